import assert from 'node:assert/strict';
import { test } from 'node:test';
import { time, setTimeNow } from '../../src/starlark/lib/time.ts';
import { formatDuration, parseDuration } from '../../src/starlark/lib/time-duration.ts';
import { getAttr } from '../../src/starlark/builtins/attrs.ts';
import { add, call, compare, div, mul, str, sub } from '../../src/starlark/values/ops.ts';
import type { Kwargs, Value } from '../../src/starlark/values/value.ts';
import { eqRepr, thread, throwsStar } from './helpers.ts';

const t = thread();
const fn = (name: string, args: Value[], kwargs: Kwargs | null = null, th = t): Value => call(th, time.members[name]!, args, kwargs);
const dur = (s: string): Value => fn('parse_duration', [s]);
const at = (s: string, kwargs: Kwargs | null = null): Value => fn('parse_time', [s], kwargs);

test('durations parse and print like Go', () => {
  const rows: Array<[string, string]> = [
    ['10h', '10h0m0s'], ['1.5s', '1.5s'], ['300ms', '300ms'], ['-1m30s', '-1m30s'], ['1500ns', '1.5µs'], ['0', '0s'],
    ['10h01s', '10h0m1s'], ['2h45m', '2h45m0s'], ['.5h', '30m0s'],
  ];
  for (const [input, want] of rows) assert.equal(formatDuration(parseDuration(input).ns), want, input);
  throwsStar(() => parseDuration('1'), /missing unit/);
  throwsStar(() => parseDuration('1x'), /unknown unit "x"/);
  throwsStar(() => parseDuration(''), /invalid duration/);
});

test('duration arithmetic, attributes and comparisons', () => {
  const h = dur('10h');
  eqRepr(div(h, dur('16m')), '37.5');
  eqRepr(div(h, 20), '30m0s');
  eqRepr(mul(1000, dur('1s'), t), '16m40s');
  throwsStar(() => div(20, h), /unsupported operation/);
  throwsStar(() => div(h, 0), /division by zero/);
  eqRepr(getAttr(t, h, 'minutes'), '600.0');
  eqRepr(getAttr(t, h, 'nanoseconds'), '36000000000000');
  assert.ok(compare('<', dur('1m'), dur('1h')));
  assert.equal(fn('parse_duration', [h]), h);
});

test('times: parsing, attributes, zones, formatting and arithmetic', () => {
  const ref = at('2011-04-22T13:33:48Z');
  assert.equal(str(ref), '2011-04-22 13:33:48 +0000 UTC');
  assert.ok(compare('==', at('2020-06-26T17:38:36Z'), fn('from_timestamp', [1593193116])));
  const frac = at('2020-06-26T17:38:36.123456789', [['format', '2006-01-02T15:04:05.999999999']]);
  eqRepr(getAttr(t, frac, 'unix_nano'), '1593193116123456789');
  const y2k = at('2000-01-02T03:04:05Z');
  const east = call(t, getAttr(t, y2k, 'in_location'), ['US/Eastern'], null);
  assert.ok(compare('==', east, at('2000-01-01T22:04:05-05:00')));
  assert.equal(call(t, getAttr(t, east, 'format'), ['3 04 PM Mon Jan _2 2006 MST'], null), '10 04 PM Sat Jan  1 2000 EST');
  eqRepr(sub(ref, sub(ref, dur('10h'))), '10h0m0s');
  assert.ok(compare('==', add(dur('10h'), ref, t), at('2011-04-22T23:33:48Z')));
  const t1 = fn('time', [], [['year', 2009], ['month', 6], ['day', 12], ['hour', 12], ['minute', 6], ['second', 10], ['nanosecond', 99], ['location', 'US/Eastern']]);
  eqRepr(getAttr(t, t1, 'unix'), '1244822770');
  eqRepr(getAttr(t, t1, 'hour'), '12');
  throwsStar(() => fn('time', [2009]), /unexpected positional argument/);
  assert.equal(fn('is_valid_timezone', ['UKN']), false);
  assert.equal(str(fn('from_timestamp', [0])), '1970-01-01 00:00:00 +0000 UTC');
  assert.equal(at('0001-01-01T00:00:00Z') !== null && (at('0001-01-01T00:00:00Z') as { truth(): boolean }).truth(), false);
  throwsStar(() => at('2011-13-01T00:00:00Z'), /out of range/);
});

test('time.now is injectable per thread', () => {
  const th = thread();
  setTimeNow(th, () => Date.UTC(2024, 0, 2, 3, 4, 5, 600));
  assert.equal(str(fn('now', [], null, th)), '2024-01-02 03:04:05.6 +0000 UTC');
});

test('Go layouts: formatting tokens and parsing round trips', () => {
  const ref = at('2011-04-02T13:03:08.120Z');
  const fmt = (layout: string): Value => call(t, getAttr(t, ref, 'format'), [layout], null);
  const rows: Array<[string, string]> = [
    ['2006-01-02 15:04:05', '2011-04-02 13:03:08'], ['Jan _2 06 3:4:5 PM', 'Apr  2 11 1:3:8 PM'],
    ['Monday January 2', 'Saturday April 2'], ['Mon Jan 02 002', 'Sat Apr 02 092'], ['15:04:05.000', '13:03:08.120'],
    ['15:04:05.999', '13:03:08.12'], ['Z07:00 -0700 MST', 'Z +0000 UTC'], ['03pm', '01pm'],
  ];
  for (const [layout, want] of rows) assert.equal(fmt(layout), want, layout);
  const layout = 'Mon, 02 Jan 2006 15:04:05 -0700';
  const text = call(t, getAttr(t, ref, 'format'), [layout], null) as string;
  assert.ok(compare('==', fn('parse_time', [text], [['format', layout]]), at('2011-04-02T13:03:08Z')));
  throwsStar(() => fn('parse_time', ['2011-04-02'], [['format', '2006-01-02 15']]), /cannot parse/);
  throwsStar(() => fn('parse_time', ['2011-04-02x'], [['format', '2006-01-02']]), /extra text/);
});
