import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifiers, reservedIdentifier, isReservedName } from './tokens.ts';

test('identifiers: bare words and every quoting form, quotes undone', () => {
  const names = identifiers('SELECT "a""b", [c d], `e``f`, g FROM t').map((t) => t.name);
  assert.deepEqual(names, ['SELECT', 'a"b', 'c d', 'e`f', 'g', 'FROM', 't']);
});

test('identifiers: strings, blobs, comments and parameters are not identifiers', () => {
  const names = identifiers("SELECT 'x''_wce_a', X'00', :_wce_p, $_wce_q -- _wce_c\n /* _wce_d */ y").map((t) => t.name);
  assert.deepEqual(names, ['SELECT', 'y']);
});

test('reservedIdentifier finds _wce_ names in any case and quoting', () => {
  for (const sql of ['SELECT * FROM _wce_users', 'SELECT * FROM "_WCE_users"', 'SELECT * FROM [_Wce_x]', 'SELECT * FROM `_wce_x`', 'SELECT * FROM main._wce_users', 'SELECT * FROM "_wce_""x"']) {
    assert.ok(reservedIdentifier(sql), sql);
  }
  assert.equal(reservedIdentifier("SELECT '_wce_users' AS x_wce_y FROM posts"), null);
});

test('an unterminated quote or comment runs to the end (nothing after it is missed)', () => {
  assert.ok(reservedIdentifier('SELECT "_wce_users'));
  assert.equal(reservedIdentifier('SELECT 1 /* _wce_users'), null);
});

test('isReservedName folds ASCII case only', () => {
  assert.equal(isReservedName('_WcE_x'), true);
  assert.equal(isReservedName('wce_x'), false);
  assert.equal(isReservedName(null), false);
});

test("Litestream's tables are reserved too (cluster mode keeps them in every cenv file)", () => {
  assert.equal(isReservedName('_litestream_seq'), true);
  assert.equal(isReservedName('_LiteStream_lock'), true);
  assert.equal(isReservedName('litestream_seq'), false);
  assert.ok(reservedIdentifier('DROP TABLE "_litestream_seq"'));
  assert.ok(reservedIdentifier('CREATE TRIGGER t AFTER INSERT ON _litestream_lock BEGIN SELECT 1; END'));
});
