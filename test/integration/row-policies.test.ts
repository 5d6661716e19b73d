/**
 * Row policies behave as PostgreSQL's row-level security does: USING filters silently, CHECK
 * violations are errors naming the policy, permissive policies are OR'ed, restrictive ones
 * AND'ed, no permissive policy means no rows; RETURNING, ON CONFLICT and REPLACE included.
 * Runs on a real cenv file through the AccessGuard (see test/security/fixture.ts).
 */
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, run, snapshot, type Fixture } from '../security/fixture.ts';
import { createPolicy, updatePolicy, listPolicies } from '../../src/access/policies.ts';
import type { PolicyInput } from '../../src/access/policies.ts';

const ids = (rows: Array<Record<string, unknown>>) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('row policies: PostgreSQL semantics', () => {
  let f: Fixture;
  beforeEach(() => { f = openFixture(); });
  afterEach(() => f.close());

  test('USING filters SELECT silently: own drafts and published rows only', () => {
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 2, 3]);
    assert.deepEqual(ids(run(f, f.bob, 'SELECT id FROM posts')), [1, 3, 4]);
    assert.deepEqual(run(f, f.alice, 'SELECT count(*) AS n FROM posts WHERE id = 4'), [{ n: 0 }]);
  });

  test('anonymous sees published rows only; owner and admin bypass policies', () => {
    assert.deepEqual(ids(run(f, f.anon, 'SELECT id FROM posts')), [1, 3]);
    assert.deepEqual(ids(run(f, f.owner, 'SELECT id FROM posts')), [1, 2, 3, 4]);
    assert.deepEqual(ids(run(f, f.adminUser, 'SELECT id FROM posts')), [1, 2, 3, 4]);
  });

  test('UPDATE and DELETE skip rows the USING hides (no error, no change)', () => {
    const before = snapshot(f);
    assert.deepEqual(run(f, f.alice, "UPDATE posts SET title = 'x' WHERE id IN (3, 4) RETURNING id"), []);
    assert.deepEqual(run(f, f.alice, 'DELETE FROM posts WHERE author <> ? RETURNING id', f.alice.userId), []);
    assert.equal(snapshot(f), before);
  });

  test('UPDATE/DELETE RETURNING return exactly the rows changed', () => {
    assert.deepEqual(ids(run(f, f.alice, "UPDATE posts SET title = title || '!' RETURNING id")), [1, 2]);
    assert.deepEqual(ids(run(f, f.alice, 'DELETE FROM posts RETURNING id')), [1, 2]);
    assert.deepEqual(ids(run(f, f.owner, 'SELECT id FROM posts')), [3, 4]);
  });

  test('INSERT violating CHECK (falls back to USING) is an error naming the policy', () => {
    const before = snapshot(f);
    assert.throws(() => run(f, f.alice, "INSERT INTO posts (author, title) VALUES (?, 'forged')", f.bob.userId),
      (e: Error & { statusCode?: number }) => e.statusCode === 403 && /new row violates row policy "own" for table "posts"/.test(e.message));
    assert.equal(snapshot(f), before);
    assert.equal(run(f, f.alice, "INSERT INTO posts (author, title) VALUES (?, 'mine') RETURNING author", f.alice.userId)[0].author, f.alice.userId);
  });

  test('UPDATE that moves a visible row out of the CHECK is an error; nothing changes', () => {
    const before = snapshot(f);
    assert.throws(() => run(f, f.alice, 'UPDATE posts SET author = ? WHERE id = 2', f.bob.userId), /row policy "own"/);
    assert.equal(snapshot(f), before);
  });

  test('permissive policies are OR\'ed', () => {
    createPolicy(f.admin, { table: 'posts', name: 'titled', commands: ['select'], roles: ['user'], using: "title LIKE 'bob d%'", kind: 'permissive' }, f.actor);
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 2, 3, 4]);
  });

  test('restrictive policies are AND\'ed and a CHECK failure names the restrictive policy', () => {
    createPolicy(f.admin, { table: 'posts', name: 'published only', commands: ['select'], roles: ['user'], using: 'published = 1', kind: 'restrictive' }, f.actor);
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 3]);
    createPolicy(f.admin, { table: 'posts', name: 'short titles', commands: ['insert'], roles: ['user'], check: 'length(title) < 10', kind: 'restrictive' }, f.actor);
    assert.throws(() => run(f, f.alice, "INSERT INTO posts (author, title) VALUES (?, 'a very long title')", f.alice.userId), /row policy "short titles"/);
  });

  test('no permissive policy for a role or command means nothing', () => {
    // Only a restrictive policy applies to select: no rows for users; anonymous keeps its permissive one.
    const visible = listPolicies(f.admin).find((p) => p.name === 'visible')!;
    updatePolicy(f.admin, visible.id, { roles: ['anonymous'] }, f.actor);
    assert.deepEqual(run(f, f.alice, 'SELECT id FROM posts'), []);
    assert.deepEqual(ids(run(f, f.anon, 'SELECT id FROM posts')), [1, 3]);
    // UPDATE needs the select USING as well (PostgreSQL reads the row first): nothing is updated.
    assert.deepEqual(run(f, f.alice, "UPDATE posts SET title = 'x' RETURNING id"), []);
  });

  test('an INSERT with no permissive policy for insert is refused', () => {
    const own = listPolicies(f.admin).find((p) => p.name === 'own')!;
    updatePolicy(f.admin, own.id, { commands: ['update', 'delete'] }, f.actor);
    assert.throws(() => run(f, f.alice, "INSERT INTO posts (author, title) VALUES (?, 'x')", f.alice.userId), /new row violates row policy for table "posts"/);
  });

  test('USING on an insert-only policy and CHECK on a select-only policy are refused (400)', () => {
    const base: PolicyInput = { table: 'posts', name: 'x', commands: ['insert'], roles: ['user'], using: '1', kind: 'permissive' };
    assert.throws(() => createPolicy(f.admin, base, f.actor), { statusCode: 400 });
    assert.throws(() => createPolicy(f.admin, { ...base, commands: ['select'], using: null, check: '1' }, f.actor), { statusCode: 400 });
  });

  test('a NULL policy result counts as false', () => {
    createPolicy(f.admin, { table: 'notes', name: 'null', commands: ['all'], roles: ['user'], using: 'NULL', kind: 'permissive' }, f.actor);
    f.admin.prepare("INSERT INTO _wce_table_permissions (table_name, role, can_select, created_at) VALUES ('notes', 'user', 1, 'x')").run();
    f.admin.exec('UPDATE _wce_access_version SET version = version + 1');
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM notes'), []);
  });

  test('ON CONFLICT DO UPDATE on a hidden row changes nothing; on an own row it updates', () => {
    const before = snapshot(f);
    assert.deepEqual(run(f, f.alice, "INSERT INTO posts (id, author, title) VALUES (4, ?, 'x') ON CONFLICT (id) DO UPDATE SET title = 'stolen' RETURNING id", f.alice.userId), []);
    assert.equal(snapshot(f), before);
    assert.deepEqual(run(f, f.alice, "INSERT INTO posts (id, author, title) VALUES (2, ?, 'x') ON CONFLICT (id) DO UPDATE SET title = 'upserted' RETURNING title", f.alice.userId), [{ title: 'upserted' }]);
  });

  test('ON CONFLICT DO UPDATE cannot move an own row to another author', () => {
    assert.throws(() => run(f, f.alice, 'INSERT INTO posts (id, author, title) VALUES (2, ?, \'x\') ON CONFLICT (id) DO UPDATE SET author = excluded.author', f.bob.userId), /row policy "own"/);
  });

  test('REPLACE over a hidden row fails and leaves it; over an own row it replaces', () => {
    const before = snapshot(f);
    assert.throws(() => run(f, f.alice, "REPLACE INTO posts (id, author, title) VALUES (4, ?, 'mine now')", f.alice.userId));
    assert.equal(snapshot(f), before);
    run(f, f.alice, "REPLACE INTO posts (id, author, title) VALUES (2, ?, 'replaced')", f.alice.userId);
    assert.equal(run(f, f.owner, 'SELECT title FROM posts WHERE id = 2')[0].title, 'replaced');
  });

  test('principal functions: $user_id in a policy is the caller, never text spliced into SQL', () => {
    const evil = { ...f.alice, userId: "x' OR 1=1 --" };
    assert.deepEqual(ids(run(f, evil, 'SELECT id FROM posts')), [1, 3]);
  });

  test('a policy change made on another connection applies to the next statement', () => {
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 2, 3]);
    const visible = listPolicies(f.admin).find((p) => p.name === 'visible')!;
    updatePolicy(f.admin, visible.id, { using: 'author = $user_id' }, f.actor);
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 2]);
  });
});

describe('row policies that read other tables', () => {
  test('a policy subquery on another protected table works for reads and writes', () => {
    const f = openFixture();
    try {
      f.admin.exec(`CREATE TABLE members (user_id TEXT, team TEXT); CREATE TABLE docs (id INTEGER PRIMARY KEY, team TEXT, text TEXT);
        INSERT INTO members VALUES ('${f.alice.userId}', 'red'); INSERT INTO docs VALUES (1, 'red', 'r'), (2, 'blue', 'b');`);
      for (const table of ['members', 'docs']) {
        f.admin.prepare("INSERT INTO _wce_table_permissions (table_name, role, can_select, can_insert, can_update, created_at) VALUES (?, 'user', 1, 1, 1, 'x')").run(table);
      }
      createPolicy(f.admin, { table: 'members', name: 'self', commands: ['all'], roles: ['user'], using: 'user_id = $user_id', kind: 'permissive' }, f.actor);
      createPolicy(f.admin, { table: 'docs', name: 'team', commands: ['all'], roles: ['user'], using: 'team IN (SELECT team FROM members WHERE user_id = $user_id)', kind: 'permissive' }, f.actor);
      assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM docs')), [1]);
      assert.deepEqual(ids(run(f, f.alice, "UPDATE docs SET text = 'x' RETURNING id")), [1]);
      assert.deepEqual(ids(run(f, f.bob, 'SELECT id FROM docs')), []);
      // An upsert onto the hidden row never evaluates its SET there (no error oracle), changes nothing.
      assert.deepEqual(run(f, f.alice, "INSERT INTO docs (id, team, text) VALUES (2, 'red', 'x') ON CONFLICT (id) DO UPDATE SET text = CASE WHEN text = 'b' THEN abs(-9223372036854775808) ELSE 'owned' END RETURNING id"), []);
      assert.deepEqual({ ...(f.admin.prepare('SELECT text FROM docs WHERE id = 2').get() as object) }, { text: 'b' });
    } finally {
      f.close();
    }
  });
});

describe('row policies on generated columns', () => {
  test('a policy may read VIRTUAL and STORED generated columns; SELECT * still shows them', () => {
    const f = openFixture();
    try {
      f.admin.exec(`CREATE TABLE g (id INTEGER PRIMARY KEY, a INT, b INT GENERATED ALWAYS AS (a * 2) VIRTUAL, c INT GENERATED ALWAYS AS (a + 1) STORED);
        INSERT INTO _wce_table_permissions (table_name, role, can_select, can_insert, can_update, created_at) VALUES ('g', 'user', 1, 1, 1, 'x')`);
      createPolicy(f.admin, { table: 'g', name: 'small', commands: ['all'], roles: ['user'], using: 'b < 10 AND c > 0', kind: 'permissive' }, f.actor);
      assert.deepEqual(run(f, f.alice, 'INSERT INTO g (a) VALUES (2) RETURNING *'), [{ id: 1, a: 2, b: 4, c: 3 }]);
      assert.throws(() => run(f, f.alice, 'INSERT INTO g (a) VALUES (50)'), /row policy "small"/);
      assert.throws(() => run(f, f.alice, 'UPDATE g SET a = 100'), /row policy "small"/);
      assert.deepEqual(run(f, f.alice, 'SELECT * FROM g'), [{ id: 1, a: 2, b: 4, c: 3 }]);
    } finally {
      f.close();
    }
  });
});
