/**
 * The `time` module (as starlark-go's lib/time): time.now (injectable per
 * thread for determinism), parse_duration, parse_time, time(), from_timestamp,
 * is_valid_timezone, and the time.time / time.duration values.
 */
import { asInt, asString, params, positional } from '../builtins/args.ts';
import { fail } from '../values/errors.ts';
import { norm } from '../values/int.ts';
import type { Thread } from '../values/thread.ts';
import { Builtin, Module, type HostValue, type Kwargs, type Value } from '../values/value.ts';
import { Duration, toDuration } from './time-duration.ts';
import { formatTime, parseTime } from './time-layout.ts';
import { checkInstant, civil, instantOf, loadLocation, UTC, type Loc } from './time-zone.ts';

const NS = 1000000000n;
/** Unix seconds of Go's zero time, January 1, year 1, 00:00:00 UTC (false in a boolean context). */
const ZERO_SEC = -62135596800;

/** The thread-local key of the clock used by time.now(); see setTimeNow. */
const NOW_KEY = 'time.now';

/** Makes time.now() on this thread return `now()` (milliseconds since the epoch), e.g. a fixed instant in tests. */
export function setTimeNow(thread: Thread, now: () => number): void {
  thread.locals.set(NOW_KEY, now);
}

function location(name: string): Loc {
  return loadLocation(name) ?? fail(`unknown time zone ${name}`);
}

const TIME_ATTRS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'nanosecond', 'unix', 'unix_nano'];

export class Time implements HostValue {
  readonly hostType = 'time.time';
  /** Whole seconds since the Unix epoch, and the nanoseconds within that second. */
  readonly sec: number;
  readonly nsec: number;
  readonly loc: Loc;
  constructor(sec: number, nsec: number, loc: Loc) {
    checkInstant(sec);
    this.sec = sec;
    this.nsec = nsec;
    this.loc = loc;
  }

  static fromNanos(ns: bigint, loc: Loc): Time {
    let sec = ns / NS;
    let nsec = ns % NS;
    if (nsec < 0n) {
      nsec += NS;
      sec -= 1n;
    }
    return new Time(Number(sec), Number(nsec), loc);
  }

  get nanos(): bigint {
    return BigInt(this.sec) * NS + BigInt(this.nsec);
  }

  getAttr(name: string): Value | undefined {
    if (name === 'unix') return this.sec;
    if (name === 'unix_nano') return norm(this.nanos);
    if (name === 'nanosecond') return this.nsec;
    if (name === 'in_location' || name === 'format') return new Builtin(name, TIME_METHODS[name]!, this);
    if (!TIME_ATTRS.includes(name)) return undefined;
    return civil(this.loc, this.sec)[name as 'year'];
  }
  attrNames(): string[] {
    return [...Object.keys(TIME_METHODS), ...TIME_ATTRS];
  }
  truth(): boolean {
    return !(this.sec === ZERO_SEC && this.nsec === 0);
  }
  repr(): string {
    return formatTime('2006-01-02 15:04:05.999999999 -0700 MST', this.sec, this.nsec, this.loc);
  }
  hashKey(): string {
    return `${this.sec}.${this.nsec}`;
  }
  equals(other: Value): boolean {
    return other instanceof Time && other.sec === this.sec && other.nsec === this.nsec;
  }
  compare(other: Value): number {
    const o = other as Time;
    return this.sec !== o.sec ? Math.sign(this.sec - o.sec) : Math.sign(this.nsec - o.nsec);
  }
  binary(op: string, y: Value, right: boolean): Value | undefined {
    if (op === '+' && y instanceof Duration) return Time.fromNanos(this.nanos + y.ns, this.loc);
    if (op === '-' && !right && y instanceof Duration) return Time.fromNanos(this.nanos - y.ns, this.loc);
    if (op === '-' && y instanceof Time) return new Duration(right ? y.nanos - this.nanos : this.nanos - y.nanos);
    return undefined;
  }
}

const TIME_METHODS: Record<string, (thread: Thread, args: Value[], kwargs: Kwargs | null, recv: Value) => Value> = {
  format(_thread, args, kwargs, recv) {
    positional('format', args, kwargs, 1, 1);
    const t = recv as Time;
    return formatTime(asString('format', 'layout', args[0]!), t.sec, t.nsec, t.loc);
  },
  in_location(_thread, args, kwargs, recv) {
    positional('in_location', args, kwargs, 1, 1);
    const t = recv as Time;
    return new Time(t.sec, t.nsec, location(asString('in_location', 'location', args[0]!)));
  },
};

const PARSE_TIME = params('parse_time', 'x', 'format?', 'location?');
const TIME = params('time', 'year?', 'month?', 'day?', 'hour?', 'minute?', 'second?', 'nanosecond?', 'location?');
const RFC3339 = '2006-01-02T15:04:05Z07:00';

export const time = new Module('time', {
  from_timestamp: new Builtin('from_timestamp', (_thread, args, kwargs) => {
    positional('from_timestamp', args, kwargs, 1, 2);
    const ns = BigInt(asInt('from_timestamp', 'sec', args[0]!)) * NS + BigInt(args[1] === undefined ? 0 : asInt('from_timestamp', 'nsec', args[1]));
    return Time.fromNanos(ns, UTC);
  }),
  is_valid_timezone: new Builtin('is_valid_timezone', (_thread, args, kwargs) => {
    positional('is_valid_timezone', args, kwargs, 1, 1);
    return loadLocation(asString('is_valid_timezone', 'location', args[0]!)) !== null;
  }),
  now: new Builtin('now', (thread, args, kwargs) => {
    positional('now', args, kwargs, 0, 0);
    const clock = thread.locals.get(NOW_KEY) as (() => number) | undefined;
    const ms = clock !== undefined ? clock() : Date.now();
    return Time.fromNanos(BigInt(Math.floor(ms * 1e6)), UTC);
  }),
  parse_duration: new Builtin('parse_duration', (_thread, args, kwargs) => {
    positional('parse_duration', args, kwargs, 1, 1);
    return toDuration('parse_duration', args[0]!);
  }),
  parse_time: new Builtin('parse_time', (_thread, args, kwargs) => {
    const [x, format, loc] = PARSE_TIME.unpack(args, kwargs);
    const layout = format === undefined ? RFC3339 : asString('parse_time', 'format', format);
    const where = loc === undefined ? UTC : location(asString('parse_time', 'location', loc));
    const [sec, nsec, zone] = parseTime(layout, asString('parse_time', 'x', x!), where);
    return new Time(sec, nsec, zone);
  }),
  time: new Builtin('time', (_thread, args, kwargs) => {
    if (args.length > 0) fail('time: unexpected positional arguments');
    const a = TIME.unpack(args, kwargs);
    const n = (i: number): number => (a[i] === undefined ? 0 : asInt('time', TIME.names[i]!, a[i]!));
    const loc = a[7] === undefined ? UTC : location(asString('time', 'location', a[7]));
    return Time.fromNanos(BigInt(instantOf(loc, n(0), n(1), n(2), n(3), n(4), n(5))) * NS + BigInt(n(6)), loc);
  }),
  nanosecond: new Duration(1n),
  microsecond: new Duration(1000n),
  millisecond: new Duration(1000000n),
  second: new Duration(NS),
  minute: new Duration(60n * NS),
  hour: new Duration(3600n * NS),
});

