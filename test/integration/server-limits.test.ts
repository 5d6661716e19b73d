import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer } from '../helpers/server.ts';

test('server-wide limits (WCE_MAX_ROWS) apply to a new cenv, and a cenv row overrides them', async () => {
  const server = await startServer({ env: { WCE_MAX_ROWS: '2' } });
  try {
    const cenv = await createCenv(server.url);
    const owner = await login(server.url, cenv.id, cenv.username, cenv.password);
    const sql = (text: string) => request(`${server.url}/${cenv.id}/sql`, { body: { sql: text }, headers: bearer(owner.token) });
    assert.equal((await sql('CREATE TABLE t (x)')).status, 200);
    assert.equal((await sql('INSERT INTO t VALUES (1), (2), (3)')).status, 200);
    const capped = await sql('SELECT x FROM t ORDER BY x');
    assert.deepEqual(capped.body.rows, [[1], [2]]);
    assert.equal(capped.body.truncated, true);
    await server.deps.pools.use(cenv.id, (db) => db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES ('max_rows', '5', '')").run());
    server.deps.settings.invalidate(cenv.id); // as the settings API does after its write
    const overridden = await sql('SELECT x FROM t ORDER BY x');
    assert.deepEqual(overridden.body.rows, [[1], [2], [3]]);
    assert.equal(overridden.body.truncated, false);
  } finally {
    await server.close();
  }
});
