/**
 * Query plans through the policy views: a policy is planned as if the caller had written it,
 * so an indexed policy column gives an index SEARCH, never a scan of the whole table
 * (bench/data: "list 20 posts of the caller" under `author = $user_id`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, run, type Fixture } from '../../test/security/fixture.ts';
import type { Principal } from '../auth/principal.ts';

/** The bench's data shape: an index on (author, id), 50 authors, published every 10th post. */
function benchFixture(): Fixture {
  const f = openFixture({
    standardPolicies: false,
    policies: [
      { table: 'posts', name: 'own posts', commands: ['all'], roles: ['user'], using: 'author = $user_id', kind: 'permissive' },
      { table: 'posts', name: 'published', commands: ['select'], roles: ['anonymous'], using: 'published = 1', kind: 'permissive' },
    ],
  });
  const insert = f.admin.prepare('INSERT INTO posts (author, title, body, published) VALUES (?, ?, ?, ?)');
  f.admin.exec('BEGIN');
  for (let i = 0; i < 5000; i++) insert.run(i % 50 === 0 ? f.alice.userId : `author-${i % 50}`, `title ${i}`, 'body', i % 10 === 0 ? 1 : 0);
  f.admin.exec('COMMIT');
  f.admin.exec('CREATE INDEX posts_author ON posts (author, id); CREATE INDEX posts_published ON posts (published); ANALYZE');
  f.admin.exec('UPDATE _wce_access_version SET version = version + 1');
  return f;
}

const plan = (f: Fixture, who: Principal, sql: string) => run(f, who, `EXPLAIN QUERY PLAN ${sql}`).map((row) => String(row.detail)).join('; ');

const LIST = 'SELECT id, title, body FROM posts ORDER BY id DESC LIMIT 20';
const GET = 'SELECT id, author, title, body FROM posts WHERE id = ?';

test('plans: list 20 of the caller\'s posts searches the policy\'s index; get by id stays a rowid lookup', () => {
  const f = benchFixture();
  try {
    assert.match(f.guard.prepare(LIST, f.alice).sql, /temp\."_wce_rls_posts__user" AS "posts"/);
    assert.equal(plan(f, f.alice, LIST), 'SEARCH main.posts USING INDEX posts_author (author=?)');
    assert.equal(plan(f, f.alice, GET), 'SEARCH main.posts USING INTEGER PRIMARY KEY (rowid=?)');
    const own = f.admin.prepare('SELECT id, title, body FROM posts WHERE author = ? ORDER BY id DESC LIMIT 20').all(f.alice.userId);
    assert.deepEqual(run(f, f.alice, LIST), own.map((row) => ({ ...row })));
    assert.equal(run(f, f.alice, GET, 6).length, 0, 'another author\'s post');
  } finally {
    f.close();
  }
});

test('plans: a statement with a risky filter reads the barrier view, which keeps the policy\'s index', () => {
  const f = benchFixture();
  try {
    const risky = "SELECT id, title FROM posts WHERE title LIKE 'title 1%' ORDER BY id DESC LIMIT 20";
    assert.match(f.guard.prepare(risky, f.alice).sql, /temp\."_wce_rlb_posts__user" AS "posts"/);
    assert.equal(plan(f, f.alice, risky), 'SEARCH main.posts USING INDEX posts_author (author=?)');
  } finally {
    f.close();
  }
});

test('plans: anonymous callers read through their own view, which searches its index too', () => {
  const f = benchFixture();
  try {
    assert.match(f.guard.prepare(LIST, f.anon).sql, /temp\."_wce_rls_posts__anonymous" AS "posts"/);
    assert.match(plan(f, f.anon, 'SELECT count(*) FROM posts'), /^SEARCH main\.posts USING COVERING INDEX posts_published \(published=\?\)$/);
    assert.equal(plan(f, f.anon, GET), 'SEARCH main.posts USING INTEGER PRIMARY KEY (rowid=?)');
    assert.deepEqual(run(f, f.anon, 'SELECT count(*) AS n FROM posts'), [{ n: 502 }], '500 published here and 2 in the fixture');
  } finally {
    f.close();
  }
});

test('plans: UPDATE and DELETE find their rows through the DML view with an index', () => {
  const f = benchFixture();
  try {
    // EXPLAIN of a write is refused to users: plan the rewritten text on the same connection.
    const dmlPlan = (sql: string) => {
      const rewritten = f.guard.prepare(sql, f.alice).sql;
      assert.match(rewritten, /temp\."_wce_dml_posts__user"/);
      return f.guard.trusted(() => f.db.prepare(`EXPLAIN QUERY PLAN ${rewritten}`).all()).map((row) => String(row.detail)).join('; ');
    };
    for (const sql of ["UPDATE posts SET title = 'x' WHERE id = ?", 'DELETE FROM posts WHERE id = ?', "UPDATE posts SET title = 'x'"]) {
      const detail = dmlPlan(sql);
      assert.doesNotMatch(detail, /SCAN/, `${sql}: ${detail}`);
      assert.match(detail, /SEARCH main\.posts USING (INTEGER PRIMARY KEY \(rowid=\?\)|(COVERING )?INDEX posts_author \(author=\?\))/, sql);
    }
  } finally {
    f.close();
  }
});

test('plans: owner and admin statements are not rewritten and keep the table\'s own plan', () => {
  const f = benchFixture();
  try {
    assert.equal(f.guard.prepare(LIST, f.owner).sql, LIST);
    assert.equal(f.guard.prepare(LIST, f.adminUser).sql, LIST);
    assert.equal(plan(f, f.owner, LIST), 'SCAN posts');
    assert.equal(run(f, f.owner, 'SELECT count(*) AS n FROM posts')[0].n, 5004);
  } finally {
    f.close();
  }
});
