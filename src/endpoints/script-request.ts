/**
 * The `req` a script's `handle(req)` receives: `method`, `path`, `params`, `query`,
 * `headers` (lower-case names, never cookie or authorization), `body` (text), `json` (the
 * body parsed, or None) and `user` (None, or id/username/role). Fields are built on first
 * access, so a handler that reads only `req.params` pays for nothing else.
 *
 * @example (Starlark) def handle(req): return {"id": req.params["id"], "who": req.user.username if req.user else None}
 */
import type { ScriptRequest } from '../sandbox/protocol.ts';
import { Dict, dictSet, json, StarlarkError, type HostValue, type Thread, type Value } from '../starlark/index.ts';
import { Struct } from './struct.ts';

const FIELDS = ['body', 'headers', 'json', 'method', 'params', 'path', 'query', 'user'] as const;
type Field = (typeof FIELDS)[number];

function stringDict(thread: Thread, record: Record<string, string>): Dict {
  const d = new Dict();
  for (const [k, v] of Object.entries(record)) dictSet(thread, d, k, v);
  return d;
}

export class ScriptReq implements HostValue {
  readonly hostType = 'request';
  private readonly data: ScriptRequest;
  private readonly thread: Thread;
  private readonly built = new Map<Field, Value>();

  constructor(data: ScriptRequest, thread: Thread) {
    this.data = data;
    this.thread = thread;
  }

  getAttr(name: string): Value | undefined {
    if (!(FIELDS as readonly string[]).includes(name)) return undefined;
    const field = name as Field;
    let value = this.built.get(field);
    if (value === undefined) {
      value = this.build(field);
      this.built.set(field, value);
    }
    return value;
  }

  attrNames(): string[] {
    return [...FIELDS];
  }

  setField(name: string): void {
    throw new StarlarkError(`cannot set req.${name}: the request is read-only`);
  }

  truth(): boolean {
    return true;
  }

  repr(): string {
    return `<request ${this.data.method} ${this.data.path}>`;
  }

  private build(field: Field): Value {
    const { data, thread } = this;
    switch (field) {
      case 'method': return data.method;
      case 'path': return data.path;
      case 'body': return data.body;
      case 'params': return stringDict(thread, data.params);
      case 'query': return stringDict(thread, data.query);
      case 'headers': return stringDict(thread, data.headers);
      case 'user': return data.user === null ? null : new Struct('user', { ...data.user });
      case 'json': return this.parseBody();
    }
  }

  /** The body as JSON, or None when it is empty or not JSON (a script checks, it does not crash). */
  private parseBody(): Value {
    if (this.data.body.trim() === '') return null;
    // json.decode(x, None): None for malformed JSON; limits (nesting, steps) still raise.
    const decode = json.members.decode as { call(thread: Thread, args: Value[], kwargs: null): Value };
    return decode.call(this.thread, [this.data.body, null], null);
  }
}
