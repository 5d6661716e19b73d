/**
 * Table permissions: ungranted tables and operations, anonymous callers, per-user grants,
 * revocation taking effect at once, and prepared statements never shared across principals
 * with different rights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attacks, type Attack } from './attacks.ts';
import { openFixture, run, failure, type Fixture } from './fixture.ts';
import { createPermission, deletePermission, listPermissions } from '../../src/access/permissions.ts';
import { createPolicy } from '../../src/access/policies.ts';

/** A row policy on the ungranted `notes` table: views for user and anonymous exist, still no grant. */
function policyWithoutGrant(f: Fixture): void {
  createPolicy(f.admin, { table: 'notes', name: 'everything', commands: ['select'], roles: ['user', 'anonymous'], using: '1', kind: 'permissive' }, f.actor);
}

const ungranted: Attack[] = [
  { name: 'count a policy-protected table without a grant', sql: 'SELECT count(*) FROM notes', setup: policyWithoutGrant, expect: 403 },
  { name: 'EXISTS over a policy-protected table without a grant', sql: 'SELECT EXISTS (SELECT 1 FROM notes)', setup: policyWithoutGrant, expect: 403 },
  { name: 'anonymous counts a policy-protected table without a grant', sql: 'SELECT count(*) FROM notes', as: 'anon', setup: policyWithoutGrant, expect: 403 },
  { name: 'read an ungranted table', sql: 'SELECT * FROM notes', expect: 403 },
  { name: 'count an ungranted table', sql: 'SELECT count(*) FROM notes', expect: 403 },
  { name: 'ungranted table in a subquery', sql: 'SELECT (SELECT text FROM notes)', expect: 403 },
  { name: 'ungranted table in a join', sql: 'SELECT * FROM tags JOIN notes', expect: 403 },
  { name: 'ungranted table in a CTE', sql: 'WITH c AS (SELECT * FROM notes) SELECT count(*) FROM c', expect: 403 },
  { name: 'ungranted table in EXPLAIN', sql: 'EXPLAIN SELECT * FROM notes', expect: 403 },
  { name: 'insert with select-only grant', sql: "INSERT INTO tags (name) VALUES ('x')", expect: 403 },
  { name: 'update with select-only grant', sql: "UPDATE tags SET name = 'x'", expect: 403 },
  { name: 'delete with select-only grant', sql: 'DELETE FROM tags', expect: 403 },
  { name: 'copy a granted table into an ungranted one', sql: 'INSERT INTO notes (text) SELECT name FROM tags', expect: 403 },
  { name: 'anonymous reads a table granted to users only', sql: 'SELECT * FROM tags', as: 'anon', expect: 403 },
  { name: 'anonymous inserts', sql: "INSERT INTO posts (author, title) VALUES ('x', 'y')", as: 'anon', expect: 403 },
  { name: 'anonymous deletes', sql: 'DELETE FROM posts', as: 'anon', expect: 403 },
  { name: 'bound $user_id parameter is a value, not the principal', sql: 'SELECT * FROM posts WHERE author = $user_id', params: [], expect: 'no-leak' },
];
/** A write-only inbox (anonymous may insert), a key/value table with ON CONFLICT REPLACE. */
function inbox(f: Fixture): void {
  f.admin.exec(`CREATE TABLE inbox (id INTEGER PRIMARY KEY, msg TEXT UNIQUE); INSERT INTO inbox VALUES (1, 'keep me');
    CREATE TABLE kv (k TEXT UNIQUE ON CONFLICT REPLACE, v TEXT); INSERT INTO kv VALUES ('a', 'orig');`);
  createPermission(f.admin, { table: 'inbox', role: 'anonymous', operations: ['insert'] }, f.actor);
  createPermission(f.admin, { table: 'inbox', role: 'user', operations: ['update'] }, f.actor);
  createPermission(f.admin, { table: 'kv', role: 'anonymous', operations: ['insert'] }, f.actor);
}

const replaces: Attack[] = [
  { name: 'REPLACE INTO overwrites a row with an insert-only grant', sql: "REPLACE INTO inbox (id, msg) VALUES (1, 'overwritten')", as: 'anon', setup: inbox, expect: 403 },
  { name: 'INSERT OR REPLACE with an insert-only grant', sql: "INSERT OR REPLACE INTO inbox (id, msg) VALUES (1, 'overwritten')", as: 'anon', setup: inbox, expect: 403 },
  { name: 'UPDATE OR REPLACE deletes the row in the way with an update-only grant', sql: "UPDATE OR REPLACE inbox SET msg = 'keep me' WHERE 0", setup: inbox, expect: 403 },
  { name: 'ON CONFLICT REPLACE in the schema with an insert-only grant', sql: "INSERT INTO kv VALUES ('a', 'replaced')", as: 'anon', setup: inbox, expect: 403 },
  { name: 'upsert DO UPDATE with an insert-only grant', sql: "INSERT INTO inbox (id, msg) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET msg = excluded.msg", as: 'anon', setup: inbox, expect: 403 },
];

attacks('table permissions', ungranted);
attacks('REPLACE conflict resolution', replaces);

test('table permissions: count(*) and rowid-only scans (no column, no schema reported) follow the grants', () => {
  const f = openFixture();
  try {
    assert.deepEqual(run(f, f.owner, 'SELECT count(*) AS n FROM notes'), [{ n: 1 }]);
    assert.deepEqual(run(f, f.alice, 'SELECT id FROM tags ORDER BY id'), [{ id: 1 }, { id: 2 }]);
    assert.equal(failure(() => run(f, f.alice, 'SELECT count(*) FROM notes')), 403);
  } finally {
    f.close();
  }
});

test('table permissions: names fold like SQLite (ASCII only): a grant on "é" is not one on "É"', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE TABLE "é" (x); CREATE TABLE "É" (x); INSERT INTO "É" VALUES (\'hidden\')');
    createPermission(f.admin, { table: 'é', role: 'user', operations: ['select'] }, f.actor);
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM "é"'), []);
    assert.equal(failure(() => run(f, f.alice, 'SELECT * FROM "É"')), 403);
    assert.deepEqual(run(f, f.alice, 'SELECT * FROM TAGS WHERE id = 1'), [{ id: 1, name: 'news' }], 'ASCII case still folds');
  } finally {
    f.close();
  }
});

test('table permissions: the 403 names the table and the action', () => {
  const f = openFixture();
  try {
    assert.throws(() => run(f, f.alice, "INSERT INTO tags (name) VALUES ('x')"), { message: 'permission denied: user may not insert into tags' });
    assert.throws(() => run(f, f.anon, 'SELECT * FROM notes'), { message: 'permission denied: anonymous may not select from notes' });
  } finally {
    f.close();
  }
});

test('table permissions: a per-user grant applies to that user only', () => {
  const f = openFixture();
  try {
    createPermission(f.admin, { table: 'notes', user_id: f.alice.userId!, operations: ['select'] }, f.actor);
    assert.deepEqual(run(f, f.alice, 'SELECT text FROM notes'), [{ text: 'owner note' }]);
    assert.equal(failure(() => run(f, f.bob, 'SELECT text FROM notes')), 403);
  } finally {
    f.close();
  }
});

test('table permissions: revoking a grant takes effect on the next statement (no stale cached statement)', () => {
  const f = openFixture();
  try {
    assert.equal(run(f, f.alice, 'SELECT count(*) AS n FROM tags')[0].n, 2);
    const grant = listPermissions(f.admin).find((p) => p.table === 'tags')!;
    deletePermission(f.admin, grant.id, f.actor);
    assert.equal(failure(() => run(f, f.alice, 'SELECT count(*) AS n FROM tags')), 403);
  } finally {
    f.close();
  }
});

test('table permissions: a statement prepared for one principal is not reused for a weaker one', () => {
  const f = openFixture();
  try {
    const sql = 'SELECT name FROM tags';
    assert.equal(run(f, f.alice, sql).length, 2);
    assert.equal(failure(() => run(f, f.anon, sql)), 403);
    createPermission(f.admin, { table: 'notes', user_id: f.alice.userId!, operations: ['select'] }, f.actor);
    assert.equal(run(f, f.alice, 'SELECT text FROM notes').length, 1);
    assert.equal(failure(() => run(f, f.bob, 'SELECT text FROM notes')), 403);
  } finally {
    f.close();
  }
});

test('principal functions: outside runAs nothing runs (fail closed)', () => {
  const f = openFixture();
  try {
    const { stmt } = f.guard.runAs(f.alice, () => f.guard.prepare('SELECT wce_user_id() AS id', f.alice));
    assert.throws(() => stmt.all(), /no principal/);
    assert.throws(() => f.db.prepare('SELECT 1 FROM tags'), /not authorized/);
  } finally {
    f.close();
  }
});
