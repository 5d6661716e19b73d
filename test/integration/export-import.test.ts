/**
 * Issue 12, items 6 and 7: export a consistent snapshot while a writer writes; import that
 * file into another cenv and find the same data; refuse a truncated file, a file that is not
 * SQLite, a file without an owner (and crafted or newer ones) with a 400 naming the problem
 * and the cenv exactly as it was; undo once; clone through POST /new.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startServer, request, createCenv, login, bearer, tempDir, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

let server: TestServer;
let source: NewCenv;
let target: NewCenv;
let sourceOwner: LoggedIn;
let targetOwner: LoggedIn;
let exported: Buffer;
const scratch = tempDir('wce-export-');

const sql = (cenv: NewCenv, who: LoggedIn, body: unknown) => request(`${server.url}/${cenv.id}/sql`, { body, headers: bearer(who.token) });

/** Rows of a table from a file on disk. */
function fileRows(file: string, query: string): unknown[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(query).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

/** Everything a client could tell apart in a cenv: its tables' content, users, settings, schema, sessions. */
async function digest(cenv: NewCenv): Promise<string> {
  return server.deps.pools.use(cenv.id, (db) => {
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('_wce_audit_log', 'sqlite_sequence') ORDER BY name").all() as Array<{ name: string; sql: string }>;
    for (const { name, sql: text } of tables) {
      hash.update(text);
      // Some of WCE's tables are WITHOUT ROWID: compare the rows as a sorted set.
      hash.update(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort()));
    }
    return hash.digest('hex');
  });
}

function upload(cenv: NewCenv, who: LoggedIn, file: Buffer, options: { confirm?: string; password?: string; raw?: boolean } = {}) {
  const url = `${server.url}/${cenv.id}/admin/import?confirm=${options.confirm ?? cenv.id}`;
  if (options.raw) {
    return request(url, { method: 'POST', headers: { ...bearer(who.token), 'content-type': 'application/vnd.sqlite3', ...(options.password ? { 'x-wce-password': options.password } : {}) }, raw: file as unknown as string });
  }
  const form = new FormData();
  if (options.password) form.set('password', options.password);
  form.set('file', new Blob([file]), 'cenv.db');
  return fetch(url, { method: 'POST', headers: bearer(who.token), body: form }).then(async (res) => ({ status: res.status, headers: res.headers, body: await res.json() as any }));
}

before(async () => {
  server = await startServer({ env: { WCE_SQL_TIMEOUT_MS: '30000' } });
  source = await createCenv(server.url, { name: 'shop', username: 'ada', password: 'ada password 1' });
  target = await createCenv(server.url, { name: 'other-shop', username: 'bob', password: 'bob password 1' });
  sourceOwner = await login(server.url, source.id, 'ada', 'ada password 1');
  targetOwner = await login(server.url, target.id, 'bob', 'bob password 1');
  assert.equal((await sql(source, sourceOwner, { sql: 'CREATE TABLE pairs (grp INTEGER, side TEXT, payload BLOB)' })).status, 200);
  // Some bulk, so a snapshot takes long enough for writes to land while it is made.
  assert.equal((await sql(source, sourceOwner, { sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO pairs SELECT 0, 'bulk', randomblob(50000) FROM n" })).status, 200);
  assert.equal((await sql(target, targetOwner, { sql: 'CREATE TABLE mine (v TEXT)' })).status, 200);
  assert.equal((await sql(target, targetOwner, { sql: "INSERT INTO mine VALUES ('before the import')" })).status, 200);
});
after(async () => {
  await server.close();
});

describe('export', () => {
  test('a consistent snapshot while a writer writes: every transaction whole, named after the cenv and the time', async () => {
    let writing = true;
    let acknowledged = 0;
    let duringExport = 0;
    let exporting = false;
    const writer = (async () => {
      for (let grp = 1; writing; grp++) {
        const res = await sql(source, sourceOwner, { statements: [
          { sql: "INSERT INTO pairs VALUES (?, 'left', NULL)", params: [grp] },
          { sql: "INSERT INTO pairs VALUES (?, 'right', NULL)", params: [grp] },
        ] });
        assert.equal(res.status, 200);
        acknowledged++;
        if (exporting) duringExport++;
      }
    })();
    while (acknowledged < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    exporting = true;
    const res = await fetch(`${server.url}/${source.id}/admin/export`, { headers: bearer(sourceOwner.token) });
    exported = Buffer.from(await res.arrayBuffer());
    exporting = false;
    writing = false;
    await writer;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.sqlite3');
    assert.match(res.headers.get('content-disposition')!, /^attachment; filename="shop-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db"$/);
    assert.equal(Number(res.headers.get('content-length')), exported.length);
    const file = path.join(scratch, 'export.db');
    writeFileSync(file, exported);
    assert.deepEqual(fileRows(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const groups = fileRows(file, "SELECT grp, count(*) AS n FROM pairs WHERE grp > 0 GROUP BY grp") as Array<{ grp: number; n: number }>;
    assert.ok(groups.length >= 5, `${groups.length} transactions in the snapshot`);
    assert.ok(groups.every((g) => g.n === 2), 'no transaction is torn in two');
    assert.ok(groups.length <= acknowledged, 'nothing from the future');
    assert.ok(duringExport > 0 || acknowledged > groups.length, 'writes went on while the export was made');
    const audit = await server.deps.pools.use(source.id, (db) => db.prepare("SELECT detail FROM _wce_audit_log WHERE action = 'export'").all());
    assert.equal(audit.length, 1);
  });

  test('?format=sql: the same snapshot as SQL text that loads into an empty SQLite', async () => {
    const res = await fetch(`${server.url}/${source.id}/admin/export?format=sql`, { headers: bearer(sourceOwner.token) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition')!, /filename="shop-.*\.sql"/);
    const text = await res.text();
    assert.match(text, /^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n/);
    assert.match(text, /CREATE TABLE pairs/);
    const db = new DatabaseSync(':memory:');
    db.exec(text);
    const count = db.prepare('SELECT count(*) AS n, sum(length(payload)) AS bytes FROM pairs').get() as { n: number; bytes: number };
    assert.ok(count.n > 300);
    assert.equal(count.bytes, 300 * 50000, 'blobs survive as X\'…\' literals');
    assert.equal((db.prepare("SELECT count(*) AS n FROM _wce_users WHERE username = 'ada'").get() as { n: number }).n, 1);
    db.close();
  });

  test('only the owner exports', async () => {
    assert.equal((await request(`${server.url}/${source.id}/admin/export`)).status, 401);
    assert.equal((await request(`${server.url}/${source.id}/admin/export`, { headers: bearer(targetOwner.token) })).status, 401, 'a token of another cenv');
  });
});

describe('import refusals leave the cenv exactly as it was', () => {
  function crafted(change: (db: DatabaseSync) => void): Buffer {
    const file = path.join(scratch, `crafted-${Math.random()}.db`);
    writeFileSync(file, exported);
    const db = new DatabaseSync(file);
    change(db);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    return readFileSync(file);
  }
  /** The export with the header of the `pairs` table's root page overwritten. */
  function damagedPage(): Buffer {
    const file = path.join(scratch, 'export.db');
    const [{ rootpage }] = fileRows(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'pairs'") as Array<{ rootpage: number }>;
    const b = Buffer.from(exported);
    b.fill(0x55, (rootpage - 1) * 4096, (rootpage - 1) * 4096 + 12);
    return b;
  }
  const cases: Array<[string, () => Buffer, RegExp, number]> = [
    ['a truncated file', () => exported.subarray(0, Math.floor(exported.length / 2 / 4096) * 4096), /truncated/, 400],
    ['a file cut mid-page', () => exported.subarray(0, 10_000), /truncated or damaged/, 400],
    ['a file that is not SQLite', () => Buffer.from('name,price\nbread,3\n'.repeat(100)), /not a SQLite database/, 400],
    ['an empty file', () => Buffer.alloc(0), /empty|no file/, 400],
    ['a SQLite file that is not a cenv', () => { const f = path.join(scratch, 'plain.db'); const db = new DatabaseSync(f); db.exec('CREATE TABLE t (x)'); db.close(); return readFileSync(f); }, /not a WCE cenv/, 400],
    ['a file without an owner', () => crafted((db) => db.exec("UPDATE _wce_users SET role = 'admin' WHERE role = 'owner'")), /no owner/, 400],
    ['a file whose owner is disabled', () => crafted((db) => db.exec("UPDATE _wce_users SET enabled = 0 WHERE role = 'owner'")), /owner is disabled/, 400],
    ['a file with a trigger on the audit log', () => crafted((db) => db.exec('CREATE TRIGGER x AFTER INSERT ON _wce_audit_log BEGIN DELETE FROM pairs; END')), /not as WCE made them \(unexpected or altered trigger x\)/, 400],
    ['a file from a newer WCE', () => crafted((db) => db.exec("INSERT INTO _wce_schema_version VALUES (999, 'future', '')")), /newer WCE \(schema 999/, 400],
    ['a damaged b-tree page', () => damagedPage(), /integrity_check|SQLite reports|malformed/, 400],
  ];
  for (const [what, file, reason, status] of cases) {
    test(`${what}: ${status} saying why`, async () => {
      const before = await digest(target);
      const res = await upload(target, targetOwner, file(), { password: 'ada password 1' });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.error.message, reason);
      assert.equal(await digest(target), before, 'the cenv is as it was');
      assert.equal((await request(`${server.url}/${target.id}/sessions`, { headers: bearer(targetOwner.token) })).status, 200, 'its sessions too');
    });
  }

  test('a wrong or missing confirm, a missing or wrong owner password, a non-owner, a file over the limit', async () => {
    const before = await digest(target);
    const wrongConfirm = await upload(target, targetOwner, exported, { confirm: source.id, password: 'ada password 1' });
    assert.equal(wrongConfirm.status, 400);
    assert.match(wrongConfirm.body.error.message, new RegExp(`confirm=${target.id}`));
    const noPassword = await upload(target, targetOwner, exported);
    assert.equal(noPassword.status, 400);
    assert.match(noPassword.body.error.message, /the file's owner is "ada"/);
    const wrongPassword = await upload(target, targetOwner, exported, { password: 'not adas password', raw: true });
    assert.equal(wrongPassword.status, 401);
    await request(`${server.url}/${target.id}/admin/users`, { body: { username: 'carl', password: 'carl password 1', role: 'admin' }, headers: bearer(targetOwner.token) });
    const admin = await login(server.url, target.id, 'carl', 'carl password 1');
    assert.equal((await upload(target, admin, exported, { password: 'ada password 1' })).status, 403);
    const json = await request(`${server.url}/${target.id}/admin/import?confirm=${target.id}`, { body: { file: 'x'.repeat(100) }, headers: bearer(targetOwner.token) });
    assert.equal(json.status, 415, 'a JSON body is never buffered under the import limit');
    assert.match(json.body.error.message, /application\/vnd\.sqlite3 or multipart\/form-data/);
    const limit = await request(`${server.url}/${target.id}/admin/config`, { method: 'PUT', body: { max_import_bytes: 65536 }, headers: bearer(targetOwner.token) });
    assert.equal(limit.status, 200);
    // Just over the limit: a client still sending a large body when the 413 comes would see its connection reset.
    for (const raw of [true, false]) {
      const tooBig = await upload(target, targetOwner, exported.subarray(0, 65536 + 4096), { password: 'ada password 1', raw });
      assert.equal(tooBig.status, 413, `raw: ${raw}`);
      assert.match(tooBig.body.error.message, /max_import_bytes/);
    }
    await request(`${server.url}/${target.id}/admin/config/max_import_bytes`, { method: 'DELETE', headers: bearer(targetOwner.token) });
    await request(`${server.url}/${target.id}/admin/users`, { headers: bearer(targetOwner.token) });
    // carl and the limit changed the cenv on purpose; nothing else did.
    const users = await server.deps.pools.use(target.id, (db) => db.prepare('SELECT username FROM _wce_users ORDER BY username').all().map((r) => r.username));
    assert.deepEqual(users, ['bob', 'carl']);
    assert.notEqual(before, '');
  });
});

describe('import, undo and clone', () => {
  test('importing the export into another cenv gives the same data; everyone is logged out; undo restores it once', async () => {
    const res = await upload(target, targetOwner, exported, { password: 'ada password 1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.imported, res.body.owner.username], [true, 'ada']);
    assert.equal((await request(`${server.url}/${target.id}/sessions`, { headers: bearer(targetOwner.token) })).status, 401, 'the old session is gone');
    const ada = await login(server.url, 'other-shop', 'ada', 'ada password 1');
    const file = path.join(scratch, 'export.db');
    const expected = fileRows(file, 'SELECT grp, side, length(payload) AS len FROM pairs ORDER BY rowid');
    const got = await sql(target, ada, { sql: 'SELECT grp, side, length(payload) AS len FROM pairs ORDER BY rowid' });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.rows, expected.map((r: any) => [r.grp, r.side, r.len]));
    const audit = await server.deps.pools.use(target.id, (db) => db.prepare("SELECT username, detail FROM _wce_audit_log WHERE action = 'import'").all() as Array<{ username: string; detail: string }>);
    assert.equal(audit.length, 1);
    assert.equal(JSON.parse(audit[0].detail).owner, 'ada');
    const undo = await request(`${server.url}/${target.id}/admin/import/undo`, { method: 'POST', headers: bearer(ada.token) });
    assert.equal(undo.status, 200, JSON.stringify(undo.body));
    const bob = await login(server.url, target.id, 'bob', 'bob password 1');
    assert.deepEqual((await sql(target, bob, { sql: 'SELECT v FROM mine' })).body.rows, [['before the import']]);
    assert.equal((await sql(target, bob, { sql: 'SELECT count(*) FROM pairs' })).status, 400, 'the imported table is gone again');
    const again = await request(`${server.url}/${target.id}/admin/import/undo`, { method: 'POST', headers: bearer(bob.token) });
    assert.equal(again.status, 404, 'one undo');
  });

  test('restoring one\'s own export needs no password (raw body)', async () => {
    const res = await upload(source, sourceOwner, exported, { raw: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const ada = await login(server.url, source.id, 'ada', 'ada password 1');
    assert.equal((await sql(source, ada, { sql: 'SELECT count(*) FROM pairs' })).status, 200);
    sourceOwner = ada;
  });

  test('POST /new with the file: a clone with a new id, no sessions, the file owner proven by password', async () => {
    const form = (password: string | null, name: string) => {
      const f = new FormData();
      if (password) f.set('password', password);
      f.set('name', name);
      f.set('file', new Blob([exported]), 'shop.db');
      return f;
    };
    const missing = await fetch(`${server.url}/new`, { method: 'POST', body: form(null, 'shop-copy') });
    assert.equal(missing.status, 400);
    const wrong = await fetch(`${server.url}/new`, { method: 'POST', body: form('wrong password', 'shop-copy') });
    assert.equal(wrong.status, 401);
    const res = await fetch(`${server.url}/new`, { method: 'POST', body: form('ada password 1', 'shop-copy') });
    const body = await res.json() as any;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.notEqual(body.cenv_id, source.id);
    assert.deepEqual([body.name, body.owner.username, body.cloned], ['shop-copy', 'ada', true]);
    const sessions = await server.deps.pools.use(body.cenv_id, (db) => (db.prepare('SELECT count(*) AS n FROM _wce_sessions').get() as { n: number }).n);
    assert.equal(sessions, 0);
    const ada = await login(server.url, 'shop-copy', 'ada', 'ada password 1');
    assert.deepEqual((await request(`${server.url}/shop-copy/sql`, { body: { sql: "SELECT count(*) FROM pairs WHERE side = 'bulk'" }, headers: bearer(ada.token) })).body.rows, [[300]]);
    const taken = await fetch(`${server.url}/new`, { method: 'POST', body: form('ada password 1', 'shop-copy') });
    assert.equal(taken.status, 409);
    const raw = await fetch(`${server.url}/new?name=shop-raw`, { method: 'POST', headers: { 'content-type': 'application/vnd.sqlite3', 'x-wce-password': 'ada password 1' }, body: exported });
    assert.equal(raw.status, 201);
  });
});
