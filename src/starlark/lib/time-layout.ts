/**
 * Go reference-time layouts ("2006-01-02T15:04:05Z07:00") for time.format and
 * time.parse_time: tokenising, formatting and parsing.
 */
import { fail } from '../values/errors.ts';
import { civil, instantOf, Loc, UTC, type Civil } from './time-zone.ts';

type Token = { lit: string } | { std: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Standard chunks, longest first so that e.g. "2006" wins over "2". */
const STD = [
  'January', 'Monday', 'Jan', 'Mon', 'MST', '2006', '002', '-07:00:00', '-0700', '-07:00', '-07', 'Z07:00:00', 'Z0700', 'Z07:00',
  'Z07', '01', '02', '03', '04', '05', '06', '15', '__2', '_2', 'PM', 'pm', '1', '2', '3', '4', '5',
];
const FRACTION = /^[.,](0+|9+)(?!\d)/;

/** Splits a layout into literals and standard chunks. */
export function tokenize(layout: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const rest = layout.slice(i);
    const frac = FRACTION.exec(rest);
    const std = frac !== null ? frac[0] : STD.find((s) => rest.startsWith(s) && !(/^(Jan|Mon)$/.test(s) && /^[a-z]/.test(rest.slice(s.length))));
    if (std === undefined) {
      lit += layout[i];
      i++;
      continue;
    }
    if (lit !== '') out.push({ lit });
    lit = '';
    out.push({ std });
    i += std.length;
  }
  if (lit !== '') out.push({ lit });
  return out;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function zoneText(offset: number, std: string): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2), mm = pad(Math.floor((a % 3600) / 60), 2), ss = pad(a % 60, 2);
  const body = std.replace(/^[Z-]/, '');
  if (body === '07') return sign + hh;
  if (body === '0700') return sign + hh + mm;
  if (body === '07:00') return sign + hh + ':' + mm;
  return sign + hh + ':' + mm + ':' + ss;
}

function formatChunk(std: string, c: Civil, nsec: number): string {
  switch (std) {
    case 'January': return MONTHS[c.month - 1]!;
    case 'Jan': return MONTHS[c.month - 1]!.slice(0, 3);
    case 'Monday': return DAYS[c.weekday]!;
    case 'Mon': return DAYS[c.weekday]!.slice(0, 3);
    case 'MST': return c.abbr;
    case '2006': return pad(c.year, 4);
    case '06': return pad(c.year % 100, 2);
    case '002': return pad(c.yday, 3);
    case '01': return pad(c.month, 2);
    case '1': return String(c.month);
    case '02': return pad(c.day, 2);
    case '_2': return String(c.day).padStart(2, ' ');
    case '__2': return String(c.yday).padStart(3, ' ');
    case '2': return String(c.day);
    case '15': return pad(c.hour, 2);
    case '03': return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
    case '3': return String(c.hour % 12 === 0 ? 12 : c.hour % 12);
    case '04': return pad(c.minute, 2);
    case '4': return String(c.minute);
    case '05': return pad(c.second, 2);
    case '5': return String(c.second);
    case 'PM': return c.hour >= 12 ? 'PM' : 'AM';
    case 'pm': return c.hour >= 12 ? 'pm' : 'am';
  }
  if (std[0] === '.' || std[0] === ',') {
    const digits = pad(nsec, 9).slice(0, std.length - 1);
    if (std[1] === '0') return std[0] + digits;
    const trimmed = digits.replace(/0+$/, '');
    return trimmed === '' ? '' : std[0] + trimmed;
  }
  return zoneText(c.offset, std);
}

/** Formats an instant in a location with a Go layout. */
export function formatTime(layout: string, sec: number, nsec: number, loc: Loc): string {
  const c = civil(loc, sec);
  return tokenize(layout).map((t) => ('lit' in t ? t.lit : formatChunk(t.std, c, nsec))).join('');
}

/** Parses `value` with a Go layout; a zone in the text wins over `loc`. Returns [sec, nsec, loc]. */
export function parseTime(layout: string, value: string, loc: Loc): [number, number, Loc] {
  let s = value;
  const bad = (): never => fail(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(s)}`);
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(s);
    if (m === null) bad();
    s = s.slice(m![0].length);
    return Number(m![0]);
  };
  const word = (names: string[], len?: number): number => {
    const i = names.findIndex((n) => s.toLowerCase().startsWith((len ? n.slice(0, len) : n).toLowerCase()));
    if (i < 0) bad();
    s = s.slice(len ?? names[i]!.length);
    return i;
  };
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nsec = 0;
  let pm: boolean | null = null;
  let offset: number | null = null;
  let zoneAbbr: string | null = null;
  const fraction = (): void => {
    const m = /^[.,](\d+)/.exec(s);
    if (m === null) return;
    nsec = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
    s = s.slice(m[0].length);
  };
  for (const t of tokenize(layout)) {
    if ('lit' in t) {
      if (!s.startsWith(t.lit)) bad();
      s = s.slice(t.lit.length);
      continue;
    }
    const std = t.std;
    switch (std) {
      case 'January': month = word(MONTHS) + 1; break;
      case 'Jan': month = word(MONTHS, 3) + 1; break;
      case 'Monday': word(DAYS); break;
      case 'Mon': word(DAYS, 3); break;
      case 'MST': { const m = /^[A-Z]{3,5}/.exec(s) ?? bad(); zoneAbbr = m[0]; s = s.slice(m[0].length); break; }
      case '2006': year = num(4, 4); break;
      case '06': { const y = num(2, 2); year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case '01': case '1': month = num(std.length, 2); break;
      case '02': case '2': case '_2': s = std === '_2' ? s.replace(/^ /, '') : s; day = num(std === '02' ? 2 : 1, 2); break;
      case '002': case '__2': num(1, 3); break;
      case '15': hour = num(1, 2); break;
      case '03': case '3': hour = num(std.length, 2); break;
      case '04': case '4': minute = num(std.length, 2); break;
      case '05': case '5': second = num(std.length, 2); fraction(); break;
      case 'PM': case 'pm': pm = word(['AM', 'PM']) === 1; break;
      default:
        if (std[0] === '.' || std[0] === ',') fraction();
        else offset = parseOffset();
    }
  }
  if (s !== '') fail(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(s)}`);
  if (pm !== null && hour < 12 && pm) hour += 12;
  if (pm === false && hour === 12) hour = 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    fail(`parsing time ${JSON.stringify(value)}: value out of range`);
  }
  function parseOffset(): number {
    if (s[0] === 'Z') {
      s = s.slice(1);
      return 0;
    }
    const m = /^([+-])(\d\d):?(\d\d)?(?::?(\d\d))?/.exec(s) ?? bad();
    s = s.slice(m[0].length);
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -v : v;
  }
  if (offset !== null) {
    const zone = offset === 0 && loc === UTC ? UTC : new Loc('', offset);
    return [instantOf(zone, year, month, day, hour, minute, second), nsec, zone];
  }
  if (zoneAbbr === 'UTC') return [instantOf(UTC, year, month, day, hour, minute, second), nsec, UTC];
  return [instantOf(loc, year, month, day, hour, minute, second), nsec, loc];
}
