import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer } from '../helpers/server.ts';

// One sandbox child, so both users' requests run on the same pooled connection.
test('attack: reading another user\'s last_insert_rowid(), changes() or total_changes() from a shared connection', async () => {
  const server = await startServer({ env: { WCE_SANDBOX_PROCESSES: '1' } });
  try {
    const cenv = await createCenv(server.url);
    const owner = await login(server.url, cenv.id, cenv.username, cenv.password);
    const sql = (token: string, text: string, params: unknown[] = []) =>
      request(`${server.url}/${cenv.id}/sql`, { body: { sql: text, params }, headers: bearer(token) });
    assert.equal((await sql(owner.token, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')).status, 200);
    const user = await request(`${server.url}/${cenv.id}/admin/users`, { body: { username: 'eve', password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
    assert.equal(user.status, 201);
    const eve = await login(server.url, cenv.id, 'eve', 'long enough pw');
    const insert = await sql(owner.token, 'INSERT INTO notes (id, body) VALUES (4242, ?)', ['secret']);
    assert.equal(insert.body.last_insert_rowid, 4242);
    const probe = await sql(eve.token, 'SELECT last_insert_rowid(), changes()');
    assert.equal(probe.status, 200);
    assert.deepEqual(probe.body.rows, [[0, 0]], 'the previous request\'s values are gone');
    const total = await sql(eve.token, 'SELECT total_changes()');
    assert.equal(total.status, 403);
    // Within one batch the caller's own values still work (the common insert-then-link pattern).
    const batch = await request(`${server.url}/${cenv.id}/sql`, {
      body: { statements: [{ sql: "INSERT INTO notes (body) VALUES ('a')" }, { sql: 'SELECT last_insert_rowid() = (SELECT max(id) FROM notes)' }] },
      headers: bearer(owner.token),
    });
    assert.deepEqual(batch.body.results[1].rows, [[1]]);
  } finally {
    await server.close();
  }
});
