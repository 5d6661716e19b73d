/** CSV fields: RFC 4180 quoting, and formulas defused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvLine } from './csv.ts';

const cases: Array<[unknown, string]> = [
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['cr\rlf', '"cr\rlf"'],
  ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
  ['-1+1, "x"', '"\'-1+1, ""x"""'],
  [42, '42'],
  [-3, '-3'],
  [null, ''],
  [undefined, ''],
];
for (const [value, expected] of cases) {
  test(`csv: ${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => assert.equal(csvField(value), expected));
}

test('csv: a line joins with commas and ends in CRLF', () => {
  assert.equal(csvLine(['a', 1, null, 'b,c']), 'a,1,,"b,c"\r\n');
});
