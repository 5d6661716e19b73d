/**
 * A read-only record with named fields for scripts (`req.user.id`, `result.changes`):
 * attribute access, `dir()`, a readable repr, and no way to change it, so nothing a script
 * is handed can be used to pass state from one request to the next.
 *
 * @example new Struct('user', { id: 'u1', username: 'ada', role: 'owner' }) // user(id = "u1", …)
 */
import { repr, StarlarkError, type HostValue, type Value } from '../starlark/index.ts';

export class Struct implements HostValue {
  readonly hostType: string;
  private readonly fields: Readonly<Record<string, Value>>;

  constructor(hostType: string, fields: Record<string, Value>) {
    this.hostType = hostType;
    // No prototype: a field lookup by a script-chosen name can never reach Object's members.
    this.fields = Object.freeze(Object.assign(Object.create(null) as Record<string, Value>, fields));
  }

  getAttr(name: string): Value | undefined {
    return Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
  }

  attrNames(): string[] {
    return Object.keys(this.fields).sort();
  }

  setField(name: string): void {
    throw new StarlarkError(`cannot set .${name}: ${this.hostType} is read-only`);
  }

  truth(): boolean {
    return true;
  }

  repr(): string {
    return `${this.hostType}(${Object.entries(this.fields).map(([k, v]) => `${k} = ${repr(v)}`).join(', ')})`;
  }
}
