/**
 * Resource attacks the access layer itself must survive with a client error (never a crash
 * of the process or a 5xx): huge and deeply nested statements, giant values. Deadlines,
 * memory caps and the database size limit are enforced by the sandbox (src/sandbox) and
 * tested there; a runaway recursive CTE is not the guard's to stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attacks, type Attack } from './attacks.ts';
import { openFixture, run, failure } from './fixture.ts';
import { MAX_SQL_LENGTH } from '../../src/db/connection.ts';
import { BoundedCache } from '../../src/tools/lru.ts';

const nested = (depth: number) => 'SELECT ' + '(SELECT '.repeat(depth) + 'body FROM posts' + ')'.repeat(depth);

const resources: Attack[] = [
  { name: 'statement longer than the limit', sql: 'SELECT ' + '1'.repeat(MAX_SQL_LENGTH), expect: 400 },
  { name: 'expression chain deep enough to overflow a recursive walk', sql: 'SELECT ' + Array.from({ length: 20000 }, () => '1').join('+'), expect: 400 },
  { name: '1,200 nested subqueries over a protected table', sql: nested(1200), expect: 400 },
  { name: '200 nested subqueries over a protected table', sql: nested(200), expect: 400 },
  { name: 'giant zeroblob', sql: 'SELECT length(zeroblob(2000000000))', expect: 'fails' },
  { name: 'giant printf width', sql: "SELECT length(printf('%.*c', 2000000000, 'x'))", expect: 'fails' },
];
attacks('resource exhaustion', resources);

test('resource exhaustion: thousands of distinct statements keep the caches bounded', () => {
  const f = openFixture();
  try {
    for (let i = 0; i < 1200; i++) run(f, f.alice, `SELECT ${i} AS n FROM posts LIMIT 1`);
    assert.equal(failure(() => run(f, f.alice, 'SELECT 1 FROM posts')), 'none');
  } finally {
    f.close();
  }
  const cache = new BoundedCache<number, number>(3);
  for (let i = 0; i < 10; i++) cache.set(i, i);
  assert.equal(cache.size, 3);
  assert.equal(cache.get(9), 9);
  assert.equal(cache.get(0), undefined);
});
