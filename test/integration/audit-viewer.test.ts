/**
 * Issue 12, item 8: the audit viewer. Filters by user, action, table and time; pages newest
 * first with a cursor, without duplicates or gaps while entries are being added; the whole
 * filtered log as a CSV or JSON download (CSV escaping of commas, quotes and newlines); and
 * the retention sweep that forgets entries past `audit_retention_days`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { sweepAuditOnce } from '../../src/server/audit-sweeper.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let bob: LoggedIn;

const audit = (query: string, who: LoggedIn = owner) => request(`${server.url}/${cenv.id}/admin/audit${query}`, { headers: bearer(who.token) });
const sql = (who: LoggedIn, text: string, params: unknown[] = []) => request(`${server.url}/${cenv.id}/sql`, { body: { sql: text, params }, headers: bearer(who.token) });

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

before(async () => {
  server = await startServer();
  cenv = await createCenv(server.url, { username: 'ada' });
  owner = await login(server.url, cenv.id, 'ada', cenv.password);
  await request(`${server.url}/${cenv.id}/admin/users`, { body: { username: 'bob', password: 'bob password 1', role: 'admin' }, headers: bearer(owner.token) });
  bob = await login(server.url, cenv.id, 'bob', 'bob password 1');
  assert.equal((await sql(owner, 'CREATE TABLE notes (body TEXT)')).status, 200);
  assert.equal((await sql(owner, 'CREATE TABLE other (x INTEGER)')).status, 200);
  for (let i = 0; i < 5; i++) assert.equal((await sql(bob, 'INSERT INTO notes VALUES (?)', [`note ${i}`])).status, 200);
  assert.equal((await sql(owner, 'INSERT INTO other VALUES (1)')).status, 200);
  // A value made to break a naive CSV: commas, quotes, a newline, and a would-be formula.
  assert.equal((await sql(owner, "INSERT INTO notes VALUES ('a, \"quoted\"\nsecond line') -- =HYPERLINK(\"x\")")).status, 200);
  await request(`${server.url}/${cenv.id}/login`, { body: { username: 'bob', password: 'wrong password' } });
});
after(() => server.close());

test('filters: by user (id or name), action, table and time; newest first', async () => {
  const byBob = await audit('?user=bob&action=insert');
  assert.equal(byBob.status, 200);
  assert.equal(byBob.body.entries.length, 5);
  assert.ok(byBob.body.entries.every((e: any) => e.username === 'bob' && e.action === 'insert' && e.table === 'notes'));
  const ids = byBob.body.entries.map((e: any) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.equal((await audit(`?user=${bob.userId}&action=insert`)).body.entries.length, 5, 'a user id works as well');
  assert.deepEqual((await audit('?table=other')).body.entries.map((e: any) => e.action), ['insert', 'create_table']);
  const failed = await audit('?action=login_failed');
  assert.equal(failed.body.entries.length, 1);
  assert.deepEqual(failed.body.entries[0].detail, { reason: 'wrong password' });
  const all = (await audit('?limit=1000')).body.entries;
  const middle = all[Math.floor(all.length / 2)].at;
  const since = (await audit(`?since=${encodeURIComponent(middle)}&limit=1000`)).body.entries;
  const until = (await audit(`?until=${encodeURIComponent(middle)}&limit=1000`)).body.entries;
  assert.ok(since.every((e: any) => e.at >= middle) && until.every((e: any) => e.at < middle));
  assert.equal(since.length + until.length, all.length, 'since and until split the log with nothing lost');
  assert.equal((await audit('?since=yesterday')).status, 400);
  assert.equal((await audit('?limit=0')).status, 400);
  assert.equal((await audit('?bogus=1')).status, 400);
});

test('who may read it: owner and admins', async () => {
  assert.equal((await audit('', bob)).status, 200);
  assert.equal((await request(`${server.url}/${cenv.id}/admin/audit`)).status, 401);
  await request(`${server.url}/${cenv.id}/admin/users`, { body: { username: 'uma', password: 'uma password 1', role: 'user' }, headers: bearer(owner.token) });
  const uma = await login(server.url, cenv.id, 'uma', 'uma password 1');
  assert.equal((await audit('', uma)).status, 403);
});

test('pagination under concurrent inserts: no entry twice, none skipped', async () => {
  const before = (await audit('?limit=1000')).body.entries.map((e: any) => e.id);
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) await sql(bob, 'INSERT INTO notes VALUES (?)', [`concurrent ${i}`]);
  })();
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await audit(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200);
    seen.push(...page.body.entries.map((e: any) => e.id));
    cursor = page.body.next_cursor;
    await new Promise((resolve) => setTimeout(resolve, 5));
  } while (cursor !== null);
  writing = false;
  await writer;
  assert.equal(new Set(seen).size, seen.length, 'no duplicates');
  const first = seen[0];
  // Everything that existed up to the first entry seen, and nothing missing in between.
  const expected = (await audit('?limit=1000')).body.entries.map((e: any) => e.id).filter((id: number) => id <= first);
  assert.deepEqual(seen, expected);
  assert.ok(expected.length >= before.length);
  const added = (await audit('?limit=1000')).body.entries.filter((e: any) => e.id > first).length;
  assert.ok(added > 0, 'entries were added while the pages were read');
});

test('CSV download: the whole filtered log, commas, quotes and newlines escaped, formulas defused', async () => {
  const res = await fetch(`${server.url}/${cenv.id}/admin/audit?format=csv&table=notes&user=ada`, { headers: bearer(owner.token) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(res.headers.get('content-disposition')!, /^attachment; filename="[0-9a-f-]+-audit-.*Z\.csv"$/);
  const rows = parseCsv(await res.text());
  assert.deepEqual(rows[0], ['id', 'at', 'user_id', 'username', 'action', 'table', 'row_count', 'statement', 'detail', 'ip', 'user_agent']);
  const tricky = rows.find((r) => r[7].includes('quoted'))!;
  await server.deps.pools.use(cenv.id, (db) => db.prepare("INSERT INTO _wce_audit_log (at, action, username, table_name) VALUES ('2020-01-01T00:00:00.000Z', 'x', '=cmd|calc', 'notes')").run());
  const formula = parseCsv(await (await fetch(`${server.url}/${cenv.id}/admin/audit?format=csv&action=x`, { headers: bearer(owner.token) })).text());
  assert.equal(formula[1][3], "'=cmd|calc", 'a spreadsheet shows it, never runs it');
  assert.equal(tricky[7], "INSERT INTO notes VALUES ('a, \"quoted\"\nsecond line') -- =HYPERLINK(\"x\")", 'the statement survives intact');
  assert.equal(tricky.length, 11);
  const json = (await audit('?table=notes&user=ada&limit=1000')).body.entries;
  assert.equal(rows.length - 1, json.length, 'the same entries as the JSON API');
});

test('JSON download of everything: more than one internal page', async () => {
  await server.deps.pools.use(cenv.id, (db) => {
    const insert = db.prepare("INSERT INTO _wce_audit_log (at, action, username) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bulk', 'robot')");
    for (let i = 0; i < 2500; i++) insert.run();
  });
  const res = await fetch(`${server.url}/${cenv.id}/admin/audit?format=json&action=bulk`, { headers: bearer(owner.token) });
  assert.match(res.headers.get('content-disposition')!, /\.json"$/);
  const entries = await res.json() as any[];
  assert.equal(entries.length, 2500);
  assert.equal(new Set(entries.map((e) => e.id)).size, 2500);
});

test('a rare filter in a large log: each page scans a bounded stretch, short pages continue, nothing is lost', async () => {
  await server.deps.pools.use(cenv.id, (db) => {
    const insert = db.prepare("INSERT INTO _wce_audit_log (at, action) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)");
    insert.run('rare');
    db.exec('BEGIN');
    for (let i = 0; i < 45_000; i++) insert.run('noise');
    db.exec('COMMIT');
    insert.run('rare');
  });
  const found: number[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await audit(`?action=rare&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.entries.length <= 10);
    found.push(...page.body.entries.map((e: any) => e.id));
    cursor = page.body.next_cursor;
    pages++;
  } while (cursor !== null);
  assert.equal(found.length, 2);
  assert.ok(found[0] > found[1] + 45_000);
  assert.ok(pages >= 3, `${pages} pages: no page scanned the whole log`);
  const download = await (await fetch(`${server.url}/${cenv.id}/admin/audit?format=json&action=rare`, { headers: bearer(owner.token) })).json() as any[];
  assert.deepEqual(download.map((e) => e.id), found);
});

test('retention: the sweep deletes entries older than audit_retention_days, keeps the rest; 0 keeps everything', async () => {
  const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
  // The log is in time order: the oldest entries (the setup's) become 40 days old.
  await server.deps.pools.use(cenv.id, (db) => db.prepare(`UPDATE _wce_audit_log SET at = ?, action = 'ancient'
    WHERE id IN (SELECT id FROM _wce_audit_log ORDER BY id LIMIT 12)`).run(old));
  const count = (action: string) => server.deps.pools.use(cenv.id, (db) => (db.prepare('SELECT count(*) AS n FROM _wce_audit_log WHERE action = ?').get(action) as { n: number }).n);
  const log = { warn: (obj: object, msg: string) => assert.fail(`${msg} ${JSON.stringify(obj)}`) };
  await sweepAuditOnce(server.deps, log);
  assert.equal(await count('ancient'), 12, 'within the default 90 days');
  assert.equal((await request(`${server.url}/${cenv.id}/admin/config`, { method: 'PUT', body: { audit_retention_days: 0 }, headers: bearer(owner.token) })).status, 200);
  await sweepAuditOnce(server.deps, log);
  assert.equal(await count('ancient'), 12, '0 keeps everything');
  assert.equal((await request(`${server.url}/${cenv.id}/admin/config`, { method: 'PUT', body: { audit_retention_days: 30 }, headers: bearer(owner.token) })).status, 200);
  await sweepAuditOnce(server.deps, log);
  assert.equal(await count('ancient'), 0);
  assert.equal(await count('bulk'), 2500, 'recent entries stay');
  assert.equal(await count('noise'), 45_000);
});
