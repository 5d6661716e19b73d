import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, run } from '../../test/security/fixture.ts';
import { tableShape } from './barrier.ts';

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
