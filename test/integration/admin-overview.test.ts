/**
 * `GET /{cenv}/admin/overview` (the dashboard) and `GET /{cenv}/schema` (the console's
 * completion): counts, tables with row counts and recent audit entries for owners and
 * admins; a schema narrowed to what the caller may read; never WCE's `_wce_*` tables.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminWorld, type AdminWorld } from '../security/http-helpers.ts';

let w: AdminWorld;

before(async () => {
  w = await adminWorld();
  for (const sql of [
    'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)',
    "INSERT INTO notes (body) VALUES ('a'), ('b'), ('c')",
    'CREATE VIEW note_bodies AS SELECT body FROM notes',
    'CREATE VIRTUAL TABLE docs USING fts5(content)',
  ]) {
    const reply = await w.call(w.owner, 'POST', '/sql', { sql });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }
  await w.call(w.owner, 'POST', '/admin/permissions', { table: 'notes', role: 'user', operations: ['select'] });
});
after(() => w.close());

describe('GET /{cenv}/admin/overview', () => {
  test('name, id, URL, size, counts, tables with row counts, recent audit entries', async () => {
    const reply = await w.call(w.admin, 'GET', '/admin/overview');
    assert.equal(reply.status, 200);
    const o = reply.body;
    assert.equal(o.id, w.cenv.id);
    assert.equal(o.name, null);
    assert.match(o.url, new RegExp(`/${w.cenv.id}/$`));
    assert.ok(o.size.bytes > 0 && o.size.max_bytes === 100 * 1024 * 1024);
    assert.deepEqual(o.counts, { users: 3, tables: 3, views: 1, endpoints: 0, templates: 0, pages: 0 });
    assert.deepEqual(o.tables, [
      { name: 'docs', type: 'virtual', rows: null },
      { name: 'notes', type: 'table', rows: 3 },
      { name: 'posts', type: 'table', rows: 0 },
    ], 'no _wce_*, sqlite_* or FTS shadow tables; views apart');
    assert.ok(o.audit.length > 0 && o.audit.length <= 20);
    assert.equal(o.audit[0].action, 'permission_created', 'newest first');
    assert.ok(o.audit.some((a: { action: string; table: string }) => a.action === 'insert' && a.table === 'notes'));
  });

  test('is for owners and admins only', async () => {
    assert.equal((await w.call(w.user, 'GET', '/admin/overview')).status, 403);
    assert.equal((await w.call(null, 'GET', '/admin/overview')).status, 401);
  });
});

describe('GET /{cenv}/schema', () => {
  test('owners and admins see every table and view with columns', async () => {
    const reply = await w.call(w.owner, 'GET', '/schema');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.tables.map((t: { name: string; type: string }) => `${t.name}:${t.type}`), ['docs:virtual', 'note_bodies:view', 'notes:table', 'posts:table']);
    const notes = reply.body.tables.find((t: { name: string }) => t.name === 'notes');
    assert.deepEqual(notes.columns, [
      { name: 'id', type: 'INTEGER', notnull: false, pk: true },
      { name: 'body', type: 'TEXT', notnull: true, pk: false },
    ]);
  });

  test('a user sees only the tables granted to them; anonymous callers nothing', async () => {
    const reply = await w.call(w.user, 'GET', '/schema');
    assert.deepEqual(reply.body.tables.map((t: { name: string }) => t.name), ['notes']);
    assert.equal((await w.call(null, 'GET', '/schema')).status, 401);
  });
});
