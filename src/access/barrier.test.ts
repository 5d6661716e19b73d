import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, run } from '../../test/security/fixture.ts';
import { tableShape, needsBarrier } from './barrier.ts';
import { parseSql, singleStatement, type AnyNode } from './parse.ts';

test('barrier: without indexes every column is plain; the rowid alias always is', () => {
  const f = openFixture();
  try {
    const shape = tableShape(f.admin, 'posts', ['published = 1 OR author = $user_id']);
    assert.deepEqual([...shape.plain], ['id', 'author', 'title', 'body', 'published']);
    f.admin.exec('CREATE INDEX by_body ON posts (body); CREATE INDEX by_author ON posts (author)');
    const indexed = tableShape(f.admin, 'posts', ['published = 1 OR author = $user_id']);
    assert.deepEqual([...indexed.plain], ['id', 'title', 'published'], 'body and author indexes do not hold the policy columns');
    assert.deepEqual([...tableShape(f.admin, 'posts', ['author = $user_id']).plain], ['id', 'author', 'title', 'published']);
  } finally {
    f.close();
  }
});

test('barrier: an index that also holds the policy columns keeps its column plain (and usable)', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE INDEX by_title ON posts (title, published, author); UPDATE _wce_access_version SET version = version + 1');
    assert.ok(tableShape(f.admin, 'posts', ['published = 1 OR author = $user_id']).plain.has('title'));
    const plan = (sql: string) => JSON.stringify(run(f, f.alice, `EXPLAIN QUERY PLAN ${sql}`));
    assert.match(plan("SELECT * FROM posts WHERE title = 'x'"), /USING INDEX by_title/);
    assert.match(plan('SELECT * FROM posts WHERE id = 2'), /INTEGER PRIMARY KEY/);
  } finally {
    f.close();
  }
});

test('barrier: policies with subqueries or expression indexes put every other column behind the barrier', () => {
  const f = openFixture();
  try {
    assert.deepEqual([...tableShape(f.admin, 'posts', ['EXISTS (SELECT 1 FROM tags WHERE name = title)']).plain], ['id']);
    f.admin.exec('CREATE INDEX by_lower ON posts (lower(body))');
    assert.deepEqual([...tableShape(f.admin, 'posts', ['author = $user_id']).plain], ['id']);
  } finally {
    f.close();
  }
});

test('barrier: values and affinity are unchanged for visible rows', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE INDEX by_published ON posts (published); UPDATE _wce_access_version SET version = version + 1');
    assert.ok(!tableShape(f.admin, 'posts', ['published = 1 OR author = $user_id']).plain.has('published'));
    // '1' (text) still matches the INTEGER column: the barrier keeps the column's affinity.
    assert.deepEqual(run(f, f.alice, "SELECT id, published FROM posts WHERE published = '1' ORDER BY id"), [{ id: 1, published: 1 }, { id: 3, published: 1 }]);
  } finally {
    f.close();
  }
});

const barrierFor = (sql: string) => needsBarrier(singleStatement(parseSql(sql)) as AnyNode);

test('barrier: only statements whose filters are not leakproof read through the barrier views', () => {
  for (const sql of [
    'SELECT * FROM posts WHERE id = ? AND body IN (1, 2) AND NOT published BETWEEN 1 AND 2 AND title IS NOT NULL',
    "SELECT * FROM posts p JOIN tags t ON t.id = p.id AND CAST(p.body AS TEXT) = 'x' WHERE CASE WHEN id > 1 THEN 1 END",
    'SELECT upper(body), length(title) FROM posts WHERE id = 1 ORDER BY lower(title)',
    'SELECT * FROM posts WHERE id IN (SELECT id FROM posts WHERE published = 1)',
  ]) assert.equal(barrierFor(sql), false, sql);
  for (const sql of [
    "SELECT * FROM posts WHERE abs(id) = 1",
    "SELECT * FROM posts WHERE body LIKE 'x%'",
    "SELECT * FROM posts WHERE title || body = 'x'",
    "SELECT * FROM posts WHERE body -> '$.a' = 1",
    'SELECT * FROM tags t JOIN posts p ON length(p.body) > 3',
    "SELECT * FROM tags WHERE EXISTS (SELECT 1 FROM posts WHERE CASE WHEN body = 'x' THEN abs(-9223372036854775808) END)",
    "DELETE FROM posts WHERE json(body) IS NULL",
  ]) assert.equal(barrierFor(sql), true, sql);
});

test('barrier: a leakproof lookup keeps the index of a barrier column; a risky one does not see hidden values', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE INDEX by_body ON posts (body); UPDATE _wce_access_version SET version = version + 1');
    assert.match(JSON.stringify(run(f, f.alice, "EXPLAIN QUERY PLAN SELECT * FROM posts WHERE body = 'hi'")), /USING INDEX by_body/);
    assert.deepEqual(run(f, f.alice, "SELECT id FROM posts WHERE body = 'secret-b'"), []);
    assert.deepEqual(run(f, f.alice, "SELECT id FROM posts WHERE body > '' AND CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE 1 END ORDER BY body"), [{ id: 1 }, { id: 3 }, { id: 2 }]);
  } finally {
    f.close();
  }
});
