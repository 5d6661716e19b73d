/**
 * The commit-event bus hears every committed change, from the sandbox and from the admin API:
 * tenant writes (kind `data`), grants and policies (`access`, naming their table), users
 * (`users`, or `access` when a role changes) — and nothing for a refused change.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import type { CommitEvent } from '../../src/db/commit-bus.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
const events: CommitEvent[] = [];
const call = (method: string, path: string, body?: unknown) => request(`${server.url}/${cenv.id}${path}`, { method, body, headers: bearer(owner.token) });

/** The events published by one action, once the bus has delivered them. */
async function eventsOf(action: () => Promise<unknown>): Promise<Array<Pick<CommitEvent, 'kind' | 'writes'>>> {
  events.length = 0;
  await action();
  await new Promise((resolve) => setTimeout(resolve, 30));
  return events.map(({ kind, writes }) => ({ kind, writes }));
}

before(async () => {
  server = await startServer();
  server.deps.bus.subscribe((event) => { events.push(event); });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  assert.equal((await call('POST', '/sql', { sql: 'CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT)' })).status, 200);
});
after(() => server.close());

test('admin changes reach the bus with their kind and the table whose visibility changed', async () => {
  const grant = await eventsOf(() => call('POST', '/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] }));
  assert.deepEqual(grant, [{ kind: 'access', writes: [{ table: 'posts', action: 'grant', rows: null }] }]);
  let policyId = 0;
  const policy = await eventsOf(async () => {
    const res = await call('POST', '/admin/policies', { table: 'posts', name: 'mine', commands: ['select'], roles: ['anonymous'], using: '0' });
    policyId = res.body.id;
  });
  assert.deepEqual(policy, [{ kind: 'access', writes: [{ table: 'posts', action: 'policy', rows: null }] }]);
  assert.deepEqual(await eventsOf(() => call('DELETE', `/admin/policies/${policyId}`)), [{ kind: 'access', writes: [{ table: 'posts', action: 'policy', rows: null }] }]);
  let userId = '';
  const created = await eventsOf(async () => {
    userId = (await call('POST', '/admin/users', { username: 'ursula', password: 'long enough pw', role: 'user' })).body.id;
  });
  assert.deepEqual(created, [{ kind: 'users', writes: [] }]);
  assert.deepEqual(await eventsOf(() => call('PUT', `/admin/users/${userId}`, { role: 'admin' })), [{ kind: 'access', writes: [] }]);
});

test('a tenant write is kind data with its rows; a refused admin change publishes nothing', async () => {
  const write = await eventsOf(() => call('POST', '/sql', { sql: "INSERT INTO posts (author) VALUES ('a'), ('b')" }));
  assert.deepEqual(write, [{ kind: 'data', writes: [{ table: 'posts', action: 'insert', rows: 2 }] }]);
  assert.deepEqual(await eventsOf(() => call('POST', '/admin/permissions', { table: 'nope', role: 'user', operations: ['select'] })), []);
  assert.deepEqual(await eventsOf(() => call('POST', '/sql', { sql: 'SELECT * FROM posts' })), []);
});
