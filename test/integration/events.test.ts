/**
 * The event stream with real subscribers over HTTP: each sees only the rows its grants and
 * policies show, a row leaving its view is a `leave` with the key only, a revoked grant ends
 * the table's events, a policy change re-evaluates, `Last-Event-ID` resumes without loss (or
 * says `reset` when it cannot), snapshots, limits, and slow consumers dropped.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { openEvents, type SseClient } from '../helpers/sse.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let alice: LoggedIn;
let bob: LoggedIn;
const open: SseClient[] = [];
const sql = (who: LoggedIn, text: string, params: unknown[] = []) => request(`${server.url}/${cenv.id}/sql`, { body: { sql: text, params }, headers: bearer(who.token) });
const admin = (method: string, path: string, body?: unknown) => request(`${server.url}/${cenv.id}${path}`, { method, body, headers: bearer(owner.token) });

async function subscribe(who: LoggedIn | null, query: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await openEvents(`${server.url}/${cenv.id}/events?${query}`, { ...(who ? bearer(who.token) : {}), ...headers });
  open.push(client);
  if (client.status === 200) await client.next((e) => e.event === 'ready');
  return client;
}

before(async () => {
  server = await startServer({ env: { WCE_EVENTS_MAX_SUBSCRIBERS_PER_USER: '3' } });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  for (const name of ['alice', 'bob']) assert.equal((await admin('POST', '/admin/users', { username: name, password: 'long enough pw', role: 'user' })).status, 201);
  alice = await login(server.url, cenv.id, 'alice', 'long enough pw');
  bob = await login(server.url, cenv.id, 'bob', 'long enough pw');
  assert.equal((await sql(owner, 'CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT, title TEXT, public INTEGER DEFAULT 0)')).status, 200);
  assert.equal((await admin('POST', '/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert', 'update', 'delete'] })).status, 201);
  assert.equal((await admin('POST', '/admin/policies', { table: 'posts', name: 'own', commands: ['all'], roles: ['user'], using: 'author = $user_id' })).status, 201);
});
afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  // Let the server notice the closed streams before the next test counts subscribers.
  await new Promise((resolve) => setTimeout(resolve, 100));
});
after(() => server.close());

describe('GET /{cenv}/events', () => {
  test("a user gets events only for rows their policy shows: alice sees her rows, never bob's", async () => {
    const events = await subscribe(alice, 'tables=posts');
    assert.equal(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal((await sql(bob, "INSERT INTO posts (id, author, title) VALUES (1, ?, 'bob secret')", [bob.userId])).status, 200);
    assert.equal((await sql(alice, "INSERT INTO posts (id, author, title) VALUES (2, ?, 'alice post')", [alice.userId])).status, 200);
    const change = await events.next((e) => e.event === 'change');
    assert.deepEqual(change.data, { table: 'posts', op: 'insert', key: [2], row: { id: 2, author: alice.userId, title: 'alice post', public: 0 } });
    assert.match(change.id!, /^[0-9a-z]+-\d+$/);
    assert.ok(!JSON.stringify(events.events).includes('bob secret'), 'nothing of a row alice may not see');
    assert.equal(events.events.filter((e) => e.event === 'change').length, 1);
  });

  test('an update that moves a row out of her view is a leave with its key only, not the new row', async () => {
    const events = await subscribe(alice, 'tables=posts');
    assert.equal((await sql(alice, "UPDATE posts SET title = 'edited' WHERE id = 2")).status, 200);
    await events.next((e) => e.event === 'change' && e.data.row.title === 'edited');
    assert.equal((await sql(owner, 'UPDATE posts SET author = ? WHERE id = 2', [bob.userId])).status, 200);
    const leave = await events.next((e) => e.event === 'leave');
    assert.deepEqual(leave.data, { table: 'posts', key: [2] });
    const bobs = await subscribe(bob, 'tables=posts');
    assert.equal((await sql(owner, "UPDATE posts SET title = 'owner edit' WHERE id = 1")).status, 200);
    await bobs.next((e) => e.event === 'change' && e.data.key[0] === 1);
    assert.deepEqual((await events.quiet(200)).filter((e) => e.event !== 'ready'), [], 'alice hears nothing of rows she never had');
  });

  test('a delete of a row she had is a leave', async () => {
    assert.equal((await sql(alice, "INSERT INTO posts (id, author, title) VALUES (3, ?, 'short lived')", [alice.userId])).status, 200);
    const events = await subscribe(alice, 'tables=posts&snapshot=1');
    const snapshot = await events.next((e) => e.event === 'snapshot');
    assert.deepEqual(snapshot.data.rows.map((r: { key: number[] }) => r.key), [[3]], 'the snapshot holds only what she may see');
    assert.equal((await sql(alice, 'DELETE FROM posts WHERE id = 3')).status, 200);
    assert.deepEqual((await events.next((e) => e.event === 'leave')).data, { table: 'posts', key: [3] });
  });

  test('Last-Event-ID resumes after a disconnect without loss', async () => {
    const first = await subscribe(alice, 'tables=posts');
    assert.equal((await sql(alice, "INSERT INTO posts (id, author, title) VALUES (10, ?, 'before')", [alice.userId])).status, 200);
    const seen = await first.next((e) => e.event === 'change' && e.data.key[0] === 10);
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const id of [11, 12]) assert.equal((await sql(alice, "INSERT INTO posts (id, author, title) VALUES (?, ?, 'while away')", [id, alice.userId])).status, 200);
    const resumed = await subscribe(alice, 'tables=posts', { 'last-event-id': seen.id! });
    await resumed.next((e) => e.event === 'change' && e.data.key[0] === 12);
    assert.deepEqual(resumed.events.filter((e) => e.event === 'change').map((e) => e.data.key[0]), [11, 12]);
    const stale = await subscribe(alice, 'tables=posts', { 'last-event-id': '0-1' });
    assert.equal((await stale.next((e) => e.event === 'reset')).event, 'reset');
  });

  test('a policy change re-evaluates: rows she had and may no longer see leave', async () => {
    assert.equal((await sql(alice, "INSERT INTO posts (id, author, title, public) VALUES (20, ?, 'soon hidden', 1)", [alice.userId])).status, 200);
    const events = await subscribe(alice, 'tables=posts&snapshot=1');
    await events.next((e) => e.event === 'snapshot');
    const policy = await admin('POST', '/admin/policies', { table: 'posts', name: 'no public', kind: 'restrictive', commands: ['select'], roles: ['user'], using: 'public = 0' });
    assert.equal(policy.status, 201);
    assert.deepEqual((await events.next((e) => e.event === 'leave' && e.data.key[0] === 20)).data, { table: 'posts', key: [20] });
    assert.equal((await admin('DELETE', `/admin/policies/${policy.body.id}`)).status, 204);
  });

  test('a grant revoked mid-stream stops the events of that table', async () => {
    const events = await subscribe(alice, 'tables=posts');
    const grants = (await admin('GET', '/admin/permissions')).body.permissions as Array<{ id: number; table: string }>;
    assert.equal((await admin('DELETE', `/admin/permissions/${grants.find((g) => g.table === 'posts')!.id}`)).status, 204);
    const revoked = await events.next((e) => e.event === 'revoked');
    assert.equal(revoked.data.table, 'posts');
    assert.match(revoked.data.message, /may not select from posts/);
    assert.equal((await sql(owner, "INSERT INTO posts (id, author, title) VALUES (30, ?, 'after revoke')", [alice.userId])).status, 200);
    assert.deepEqual((await events.quiet(200)).filter((e) => e.event === 'change'), []);
    assert.equal((await admin('POST', '/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert', 'update', 'delete'] })).status, 201);
  });

  test('refusals are ordinary JSON errors before the stream opens', async () => {
    const anonymous = await openEvents(`${server.url}/${cenv.id}/events?tables=posts`);
    assert.equal(anonymous.status, 403, 'anonymous has no grant on posts');
    const unknown = await openEvents(`${server.url}/${cenv.id}/events?tables=nope`, bearer(alice.token));
    assert.equal(unknown.status, 400);
    assert.equal((await openEvents(`${server.url}/${cenv.id}/events`, bearer(alice.token))).status, 400);
    assert.equal((await openEvents(`${server.url}/${cenv.id}/events?tables=_wce_users`, bearer(owner.token))).status, 400);
    for (const client of open.splice(0)) client.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const three = await Promise.all([1, 2, 3].map(() => subscribe(bob, 'tables=posts')));
    assert.ok(three.every((c) => c.status === 200));
    assert.equal((await openEvents(`${server.url}/${cenv.id}/events?tables=posts`, bearer(bob.token))).status, 429);
    for (const client of three) client.close();
  });

  test('a slow consumer is dropped rather than buffered without bound', async () => {
    const port = Number(new URL(server.url).port);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /${cenv.id}/events?tables=posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\n\r\n`);
    socket.pause(); // never reads again
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = server.deps.events.registry.cenv(cenv.id).count;
    const big = 'x'.repeat(200_000);
    for (let i = 0; i < 40 && server.deps.events.registry.cenv(cenv.id).count >= before; i++) {
      assert.equal((await sql(alice, 'INSERT INTO posts (id, author, title) VALUES (?, ?, ?)', [1000 + i, alice.userId, big])).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(server.deps.events.registry.cenv(cenv.id).count, before - 1, 'the consumer that stopped reading was dropped');
    socket.destroy();
  });

  test('endpoints publish to channels: delivered after the run commits, to subscribers the endpoint admits', async () => {
    const source = 'def handle(req):\n    msg = req.json["text"]\n    if msg == "boom":\n        events.publish("chat", {"text": "never sent"})\n        fail("refused")\n    events.publish("chat", {"from": req.user.username, "text": msg})\n    return {"ok": True}\n';
    const created = await admin('POST', '/admin/endpoints', { method: 'POST', path: '/chat', source, access: 'user' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await admin('POST', '/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] })).status, 201);
    const member = await subscribe(bob, 'channels=chat');
    const outsider = await subscribe(null, 'channels=chat');
    const say = (text: string) => request(`${server.url}/${cenv.id}/api/chat`, { body: { text }, headers: bearer(alice.token) });
    assert.equal((await say('boom')).status, 500);
    assert.equal((await say('hello')).status, 200);
    const message = await member.next((e) => e.event === 'message');
    assert.deepEqual(message.data, { channel: 'chat', value: { from: 'alice', text: 'hello' } });
    assert.equal(member.events.filter((e) => e.event === 'message').length, 1, 'the failed run published nothing');
    assert.deepEqual((await outsider.quiet(200)).filter((e) => e.event === 'message'), [], 'a user endpoint\'s messages never reach anonymous subscribers');
  });

  test('a stream ends with its session: revoked by an admin, or by a password change made elsewhere', async () => {
    // Revoked: bob's sessions are ended by the owner; his stream says so and closes.
    const revoked = await subscribe(bob, 'tables=posts');
    assert.equal((await admin('DELETE', `/admin/users/${bob.userId}/sessions`)).status, 200);
    const ended = await revoked.next((e) => e.event === 'ended');
    assert.match(ended.data.reason, /session ended/);
    assert.equal((await sql(owner, "INSERT INTO posts (author, title) VALUES (?, 'after the end')", [bob.userId])).status, 200);
    assert.ok(!JSON.stringify(await revoked.quiet(300)).includes('after the end'), 'nothing after the end');

    // A password change in one session ends the streams of the others, not its own.
    const first = await login(server.url, cenv.id, 'bob', 'long enough pw');
    const second = await login(server.url, cenv.id, 'bob', 'long enough pw');
    const other = await subscribe(first, 'tables=posts');
    const own = await subscribe(second, 'tables=posts');
    const changed = await request(`${server.url}/${cenv.id}/me/password`, { body: { current_password: 'long enough pw', new_password: 'a newer long pw' }, headers: bearer(second.token) });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await other.next((e) => e.event === 'ended');
    assert.equal((await sql(second, "INSERT INTO posts (author, title) VALUES (?, 'still here')", [bob.userId])).status, 200);
    await own.next((e) => e.event === 'change' && e.data.row?.title === 'still here');
    assert.ok(!own.events.some((e) => e.event === 'ended'), 'the session that made the change keeps its stream');
    bob = await login(server.url, cenv.id, 'bob', 'a newer long pw');
  });
});
