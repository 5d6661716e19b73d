/**
 * Issue 12, item 1: the settings API. Every key is listed with its value, default, source,
 * type and bounds; PUT validates every key before writing any (all or nothing, 400 naming
 * the key); DELETE returns a key to the server's value; a change applies to the very next
 * request, in the server process and in every sandbox child, without a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { SETTING_KEYS } from '../../src/cenv/settings.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let admin: LoggedIn;
let user: LoggedIn;

const config = (who: LoggedIn | null, method = 'GET', body?: unknown, suffix = '') =>
  request(`${server.url}/${cenv.id}/admin/config${suffix}`, { method, body, headers: who ? bearer(who.token) : {} });
const setting = (res: { body: any }, key: string) => res.body.settings.find((s: any) => s.key === key);
const sql = (text: string) => request(`${server.url}/${cenv.id}/sql`, { body: { sql: text }, headers: bearer(owner.token) });

before(async () => {
  server = await startServer({ env: { WCE_MAX_ROWS: '500', WCE_SQL_TIMEOUT_MS: '20000' } });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  for (const [username, role] of [['adam', 'admin'], ['ursula', 'user']]) {
    const res = await request(`${server.url}/${cenv.id}/admin/users`, { body: { username, password: 'long enough pw', role }, headers: bearer(owner.token) });
    assert.equal(res.status, 201);
  }
  admin = await login(server.url, cenv.id, 'adam', 'long enough pw');
  user = await login(server.url, cenv.id, 'ursula', 'long enough pw');
  assert.equal((await sql('CREATE TABLE t (x INTEGER)')).status, 200);
  assert.equal((await sql('INSERT INTO t VALUES (1), (2), (3), (4), (5)')).status, 200);
});
after(() => server.close());

test('GET lists every key of the registry with value, default, source, type and bounds', async () => {
  const res = await config(owner);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.settings.map((s: any) => s.key), SETTING_KEYS);
  assert.deepEqual(setting(res, 'max_rows'), {
    key: 'max_rows', value: 500, default: 500, source: 'env', type: 'integer', min: 1, max: 1_000_000,
    env: 'WCE_MAX_ROWS', env_role: 'default', description: setting(res, 'max_rows').description,
  });
  const timeout = setting(res, 'sql_timeout_ms');
  assert.deepEqual([timeout.value, timeout.source, timeout.max, timeout.env_role], [20000, 'env', 20000, 'ceiling'], 'an environment ceiling is the maximum');
  assert.deepEqual([setting(res, 'render_timeout_ms').source, setting(res, 'cors_allowed_origins').type], ['default', 'origins']);
  assert.equal(setting(res, 'rate_limit_ip_per_min').zero_means, 'no limit');
});

test('who may read and change the settings', async () => {
  assert.equal((await config(admin)).status, 200, 'admins read');
  assert.equal((await config(user)).status, 403);
  assert.equal((await config(null)).status, 401);
  assert.equal((await config(admin, 'PUT', { max_rows: 10 })).status, 403, 'only the owner changes');
  assert.equal((await config(admin, 'DELETE', undefined, '/max_rows')).status, 403);
});

const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
  ['an unknown key', { max_rows: 3, no_such_setting: 1 }, /unknown setting "no_such_setting"/],
  ['a wrong type', { max_rows: 3, sql_timeout_ms: '1000' }, /sql_timeout_ms must be a whole number/],
  ['a value below the bounds', { max_rows: 0 }, /max_rows must be a whole number from 1 to 1000000/],
  ['a value above the ceiling', { max_rows: 3, sql_timeout_ms: 20001 }, /sql_timeout_ms .* to 20000 \(this server's ceiling, WCE_SQL_TIMEOUT_MS\)/],
  ['a bad origin', { max_rows: 3, cors_allowed_origins: ['https://a.example/path'] }, /cors_allowed_origins/],
  ['a fraction', { max_rows: 2.5 }, /max_rows must be a whole number/],
];
for (const [what, body, message] of invalid) {
  test(`PUT with ${what}: 400 naming the key, nothing written`, async () => {
    const res = await config(owner, 'PUT', body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'WCE_ERR_VALIDATION');
    assert.match(res.body.error.message, message);
    assert.equal(setting(await config(owner), 'max_rows').source, 'env', 'max_rows, valid on its own, was not written either');
  });
}

test('PUT writes every key at once; the next request runs with it, in every child; DELETE returns to the default', async () => {
  const put = await config(owner, 'PUT', { max_rows: 2, sql_timeout_ms: 15000, cors_allowed_origins: ['https://app.example.com'] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual([setting(put, 'max_rows').value, setting(put, 'max_rows').source], [2, 'cenv']);
  assert.deepEqual(setting(put, 'cors_allowed_origins').value, ['https://app.example.com']);
  // Six requests: both children (and the pipelining) serve some; none may run with the old value.
  for (let i = 0; i < 6; i++) {
    const res = await sql('SELECT x FROM t ORDER BY x');
    assert.deepEqual([res.body.rows.length, res.body.truncated], [2, true], `request ${i}`);
  }
  assert.equal((await config(owner, 'PUT', { max_rows: 4 })).status, 200);
  const all = await Promise.all(Array.from({ length: 6 }, () => sql('SELECT x FROM t')));
  assert.deepEqual(all.map((r) => r.body.rows.length), [4, 4, 4, 4, 4, 4]);
  const removed = await config(owner, 'DELETE', undefined, '/max_rows');
  assert.equal(removed.status, 200);
  assert.equal(removed.body.removed, true);
  assert.deepEqual([setting(removed, 'max_rows').value, setting(removed, 'max_rows').source], [500, 'env']);
  assert.equal((await sql('SELECT x FROM t')).body.rows.length, 5);
  const again = await config(owner, 'DELETE', undefined, '/max_rows');
  assert.equal(again.body.removed, false, 'deleting a key without an override is fine, and says so');
  const unknown = await config(owner, 'DELETE', undefined, '/max_rowz');
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /unknown setting "max_rowz"/);
});

test('a change applies in the server process too: a lower body limit refuses the next large body, naming it', async () => {
  assert.equal((await config(owner, 'PUT', { body_limit_bytes: 2048 })).status, 200);
  const big = await sql(`SELECT '${'x'.repeat(3000)}'`);
  assert.equal(big.status, 413);
  assert.match(big.body.error.message, /body_limit_bytes/);
  assert.equal((await config(owner, 'DELETE', undefined, '/body_limit_bytes')).status, 200);
  assert.equal((await sql(`SELECT '${'x'.repeat(3000)}'`)).status, 200);
});

test('every change is in the audit log with who made it', async () => {
  const rows = await server.deps.pools.use(cenv.id, (db) => db.prepare(
    "SELECT action, username, detail FROM _wce_audit_log WHERE action IN ('config_changed', 'config_reset') ORDER BY id").all() as Array<{ action: string; username: string; detail: string }>);
  assert.ok(rows.length >= 4);
  assert.deepEqual(JSON.parse(rows[0].detail), { changes: { max_rows: 2, sql_timeout_ms: 15000, cors_allowed_origins: ['https://app.example.com'] } });
  assert.ok(rows.every((r) => r.username === cenv.username));
  assert.ok(rows.some((r) => r.action === 'config_reset' && JSON.parse(r.detail).key === 'max_rows'));
});
