/**
 * Time zones and civil (wall-clock) time for the time module: IANA zones via
 * Intl, fixed offsets from parsed "-05:00" suffixes, conversions both ways.
 */
import { fail } from '../values/errors.ts';

/** A location: an IANA zone name (offset looked up per instant) or a fixed offset. */
export class Loc {
  readonly name: string;
  /** Seconds east of UTC for fixed zones; null for IANA zones. */
  readonly fixed: number | null;
  constructor(name: string, fixed: number | null) {
    this.name = name;
    this.fixed = fixed;
  }
}

export const UTC = new Loc('UTC', 0);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The location for a zone name ("" and "UTC" are UTC); null when unknown. */
export function loadLocation(name: string): Loc | null {
  if (name === '' || name === 'UTC') return UTC;
  try {
    formatter(name);
    return new Loc(name, null);
  } catch {
    return null;
  }
}

/** Milliseconds since the epoch of a proleptic-Gregorian UTC wall clock (years 0..99 included). */
export function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** Offset (seconds east of UTC) and abbreviation of `loc` at the instant `sec`. */
export function zoneAt(loc: Loc, sec: number): { offset: number; abbr: string } {
  if (loc.fixed !== null) return { offset: loc.fixed, abbr: loc.name !== '' ? loc.name : offsetName(loc.fixed, false, true) };
  const parts = formatter(loc.name).formatToParts(new Date(sec * 1000));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0';
  let year = Number(get('year'));
  if (get('era') === 'BC') year = 1 - year;
  const wall = utcMillis(year, Number(get('month')), Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const offset = Math.round((wall - Math.floor(sec) * 1000) / 1000);
  let abbr = get('timeZoneName');
  if (/^GMT[+-]/.test(abbr) || abbr === 'GMT') abbr = offsetName(offset, false);
  return { offset, abbr };
}

/** "+05", "-0330" style names Go uses for zones without an abbreviation. */
function offsetName(offset: number, colon: boolean, full = false): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  return mm === '00' && !full ? sign + hh : sign + hh + (colon ? ':' : '') + mm;
}

/** The instant (seconds) at which `loc`'s wall clock shows the given civil time. */
export function instantOf(loc: Loc, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const wall = utcMillis(y, mo, d, h, mi, s) / 1000;
  checkInstant(wall);
  if (loc.fixed !== null) return wall - loc.fixed;
  // Two refinements settle the offset except inside DST transitions (as Go, pick one side).
  let sec = wall - zoneAt(loc, wall).offset;
  sec = wall - zoneAt(loc, sec).offset;
  return sec;
}

/** Civil fields of an instant in a location. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  offset: number;
  abbr: string;
}

/** Seconds since the epoch that JS dates (and so zone lookups) support: about ±270,000 years. */
const MAX_SECONDS = 8.64e12;

/** Fails unless `sec` is within the supported range of instants. */
export function checkInstant(sec: number): void {
  if (!(Math.abs(sec) <= MAX_SECONDS)) fail('time value out of range');
}

export function civil(loc: Loc, sec: number): Civil {
  checkInstant(sec);
  const { offset, abbr } = zoneAt(loc, sec);
  const d = new Date((sec + offset) * 1000);
  const year = d.getUTCFullYear();
  const jan1 = utcMillis(year, 1, 1, 0, 0, 0);
  return {
    year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(), weekday: d.getUTCDay(), yday: Math.floor((d.getTime() - jan1) / 86400000) + 1, offset, abbr,
  };
}
