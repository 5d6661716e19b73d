/** time.duration values (int64 nanoseconds, like Go's time.Duration). */
import { fail } from '../values/errors.ts';
import { norm } from '../values/int.ts';
import { typeName } from '../values/kinds.ts';
import { Float, type HostValue, type Value } from '../values/value.ts';

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

export class Duration implements HostValue {
  readonly hostType = 'time.duration';
  readonly ns: bigint;
  constructor(ns: bigint) {
    if (ns > MAX_INT64 || ns < -MAX_INT64 - 1n) fail('time.duration out of range');
    this.ns = ns;
  }

  getAttr(name: string): Value | undefined {
    const ns = Number(this.ns);
    switch (name) {
      case 'hours': return new Float(ns / 3.6e12);
      case 'minutes': return new Float(ns / 6e10);
      case 'seconds': return new Float(ns / 1e9);
      case 'milliseconds': return norm(this.ns / 1000000n);
      case 'microseconds': return norm(this.ns / 1000n);
      case 'nanoseconds': return norm(this.ns);
    }
    return undefined;
  }
  attrNames(): string[] {
    return ['hours', 'minutes', 'seconds', 'milliseconds', 'microseconds', 'nanoseconds'];
  }
  truth(): boolean {
    return this.ns !== 0n;
  }
  repr(): string {
    return formatDuration(this.ns);
  }
  hashKey(): bigint {
    return this.ns;
  }
  equals(other: Value): boolean {
    return other instanceof Duration && other.ns === this.ns;
  }
  compare(other: Value): number {
    const o = (other as Duration).ns;
    return this.ns < o ? -1 : this.ns > o ? 1 : 0;
  }
  binary(op: string, y: Value, right: boolean): Value | undefined {
    const x = this.ns;
    if (op === '+' && y instanceof Duration) return new Duration(x + y.ns);
    if (op === '-' && y instanceof Duration) return new Duration(right ? y.ns - x : x - y.ns);
    if (op === '*' && (typeof y === 'number' || typeof y === 'bigint')) return new Duration(x * BigInt(y));
    if (op === '/' || op === '//') {
      if (right) return fail('unsupported operation');
      if (y instanceof Duration) {
        if (y.ns === 0n) fail(`${this.hostType} division by zero`);
        return op === '/' ? new Float(Number(x) / Number(y.ns)) : norm(x / y.ns);
      }
      if (op === '/' && (typeof y === 'number' || typeof y === 'bigint')) {
        if (y == 0) fail(`${this.hostType} division by zero`);
        return new Duration(x / BigInt(y));
      }
      if (op === '/' && y instanceof Float) {
        if (y.value === 0) fail(`${this.hostType} division by zero`);
        return new Duration(BigInt(Math.trunc(Number(x) / y.value)));
      }
    }
    return undefined;
  }
}

/** Go's Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000000000n) {
    const [unit, scale] = u < 1000n ? ['ns', 1n] : u < 1000000n ? ['µs', 1000n] : ['ms', 1000000n];
    out = fraction(u, scale) + unit;
  } else {
    const secs = fraction(u % 60000000000n, 1000000000n) + 's';
    u /= 60000000000n;
    const h = u / 60n, m = u % 60n;
    out = h > 0n ? `${h}h${m}m${secs}` : m > 0n ? `${m}m${secs}` : secs;
  }
  return neg ? '-' + out : out;
}

/** v / scale as a decimal without trailing zeros. */
function fraction(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const digits = String(scale).length - 1;
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/** Go's time.ParseDuration: "1h30m", "-1.5s", "300ms"; fails with Go's messages. */
export function parseDuration(s: string): Duration {
  const bad = (msg: string): never => fail(`time: ${msg} ${JSON.stringify(s)}`);
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return new Duration(0n);
  if (rest === '') bad('invalid duration');
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (m[0] === '' || m[0] === '.') bad('invalid duration');
    rest = rest.slice(m[0].length);
    const u = /^[^\d.]+/.exec(rest);
    if (u === null) bad('missing unit in duration');
    const unit = (Object.hasOwn(UNITS, u![0]) ? UNITS[u![0]] : undefined) ?? fail(`time: unknown unit ${JSON.stringify(u![0])} in duration ${JSON.stringify(s)}`);
    rest = rest.slice(u![0].length);
    const frac = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit + (frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
  }
  return new Duration(neg ? -total : total);
}

/** A duration argument: a duration, or a string parsed as one. */
export function toDuration(fn: string, v: Value): Duration {
  if (v instanceof Duration) return v;
  if (typeof v === 'string') return parseDuration(v);
  return fail(`${fn}: got ${typeName(v)}, want a duration, string, or int`);
}
