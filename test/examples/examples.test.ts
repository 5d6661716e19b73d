/**
 * The three example apps of examples/, each deployed with `wce push` into a fresh cenv of a
 * real server and used over HTTP the way its README says: the blog (public pages, owner-only
 * writes, comments through a run-as-owner endpoint that validates), the todo app (rows per
 * user under row policies, a JSON API, a public page per user), and the API with its own
 * accounts (sign-up, tokens, a per-account rate of writes).
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { request, login, bearer, type TestServer } from '../helpers/server.ts';
import { closeCliServer, startCliServer, type Cli } from '../helpers/cli.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
let server: TestServer;
let cli: Cli;

before(async () => ({ server, cli } = await startCliServer()));
after(() => closeCliServer(server, cli));

/** A fresh cenv with the example pushed into it; the second push must find nothing to do. */
async function deploy(name: string, example: string): Promise<void> {
  await cli.newCenv(name);
  const first = await cli.ok(['push', path.join(EXAMPLES, example)]);
  assert.match(first.stdout, /Applied \d+ changes\.\n$/);
  const again = await cli.ok(['push', path.join(EXAMPLES, example)]);
  assert.match(again.stdout, /\n0 to add, 0 to change, 0 to delete; \d+ unchanged\.\n$/);
}

/** Waits for a cached page to show `text` (pages re-render in the background after a commit). */
async function pageShows(url: string, text: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const body = await (await fetch(url)).text();
    if (body.includes(text)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never showed ${text}`);
}

describe('examples/blog', () => {
  test('public pages of published posts; owner-only writes; validated comments through a run-as-owner endpoint', async () => {
    await deploy('blog', 'blog');
    await cli.ok(['sql'], { input: "INSERT INTO posts (title, body, published) VALUES ('Hello', 'Our **first** post.', 1);\nINSERT INTO posts (title, body) VALUES ('Draft', 'not yet');\n" });
    const front = await pageShows(`${server.url}/blog/`, 'Hello');
    assert.doesNotMatch(front, /Draft/);
    assert.deepEqual((await request(`${server.url}/blog/api/posts`)).body.map((p: { title: string }) => p.title), ['Hello']);
    assert.equal((await fetch(`${server.url}/blog/pages/posts/2`)).status, 404, 'a draft has no page');

    const comment = (id: string, body: unknown) => request(`${server.url}/blog/api/posts/${id}/comments`, { body });
    const made = await comment('1', { author: 'Bo', body: 'Nice <b>post</b>' });
    assert.equal(made.status, 201);
    assert.deepEqual(made.body, { id: 1, post_id: 1, author: 'Bo', body: 'Nice <b>post</b>' });
    assert.equal((await comment('1', { author: '', body: 'x' })).status, 400);
    assert.match((await comment('1', { author: 'Bo', body: 'x'.repeat(2001) })).body.error, /^body: the comment, 1 to 2000 characters/);
    assert.equal((await comment('2', { author: 'Bo', body: 'on a draft' })).status, 404);
    assert.equal((await comment('x', { author: 'Bo', body: 'hi' })).status, 404);
    const form = await fetch(`${server.url}/blog/api/posts/1/comments`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'author=Cy&body=from+the+form', redirect: 'manual',
    });
    assert.equal(form.status, 303);
    assert.equal(new URL(form.headers.get('location')!, `${server.url}/blog/api/posts/1/comments`).pathname, '/blog/pages/posts/1');
    const page = await pageShows(`${server.url}/blog/pages/posts/1`, 'from the form');
    assert.match(page, /<h2>2 comments<\/h2>/);
    assert.match(page, /Nice &lt;b&gt;post&lt;\/b&gt;/, 'comments are escaped');
    assert.match(page, /<strong>first<\/strong>/, 'the body is Markdown');

    const write = await request(`${server.url}/blog/sql`, { body: { sql: "INSERT INTO posts (title, body, published) VALUES ('spam', 'x', 1)" } });
    assert.equal(write.status, 403, 'visitors cannot write');
    const direct = await request(`${server.url}/blog/sql`, { body: { sql: 'INSERT INTO comments (post_id, author, body) VALUES (1, ?, ?)', params: ['x', 'y'] } });
    assert.equal(direct.status, 403, 'comments go through the endpoint only');
  });
});

describe('examples/todo', () => {
  test('each user sees and changes only their own todos; the public page shows only public ones', async () => {
    await deploy('todo', 'todo');
    await cli.ok(['users', 'add', 'alice', '--password-stdin'], { input: 'alice-password\n' });
    await cli.ok(['users', 'add', 'bob', '--password-stdin'], { input: 'bob-password!\n' });
    const alice = bearer((await login(server.url, 'todo', 'alice', 'alice-password')).token);
    const bob = bearer((await login(server.url, 'todo', 'bob', 'bob-password!')).token);
    const api = (who: Record<string, string>, method: string, tail: string, body?: unknown) =>
      request(`${server.url}/todo/api${tail}`, { method, headers: who, ...(body === undefined ? {} : { body }) });

    assert.equal((await api(alice, 'POST', '/todos', { title: 'milk', public: true })).status, 201);
    assert.equal((await api(alice, 'POST', '/todos', { title: 'secret plan' })).status, 201);
    const bobs = await api(bob, 'POST', '/todos', { title: 'bob thing' });
    assert.equal(bobs.status, 201);
    assert.equal((await api(bob, 'POST', '/todos', { title: ' ' })).status, 400);
    assert.deepEqual((await api(alice, 'GET', '/todos')).body.map((t: { title: string }) => t.title), ['milk', 'secret plan']);
    assert.deepEqual((await api(bob, 'GET', '/todos')).body.map((t: { title: string }) => t.title), ['bob thing']);
    assert.equal((await api(bob, 'PATCH', '/todos/1', { done: true })).status, 404, "alice's todo is invisible to bob");
    assert.equal((await api(bob, 'DELETE', '/todos/1')).status, 404);
    const done = await api(alice, 'PATCH', '/todos/1', { done: true });
    assert.equal(done.body.done, 1);
    assert.equal((await api(alice, 'PATCH', '/todos/1', { owner: 'x' })).status, 400);
    assert.equal((await request(`${server.url}/todo/api/todos`)).status, 401, 'the API needs a session');

    const sneaky = await request(`${server.url}/todo/sql`, { headers: bob, body: { sql: "INSERT INTO todos (owner, owner_name, title) VALUES (?, 'bob', 'as alice')", params: ['someone-else'] } });
    assert.equal(sneaky.status, 403, 'the policy CHECK keeps rows to their owner, through the SQL API too');
    assert.equal(sneaky.body.error.code, 'WCE_ERR_POLICY');

    const page = await pageShows(`${server.url}/todo/pages/u/alice`, 'milk');
    assert.doesNotMatch(page, /secret plan/);
    assert.match(page, /<li class="done">milk<\/li>/);
    assert.match(await pageShows(`${server.url}/todo/pages/u/bob`, 'has not made any todo public'), /bob's list/);
  });
});

describe('examples/api-auth', () => {
  test('sign up, log in for a token, write notes at most five a minute, see only your own', async () => {
    await deploy('notes', 'api-auth');
    const api = (tail: string, init: { body?: unknown; token?: string; method?: string } = {}) => request(`${server.url}/notes/api${tail}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), ...(init.body === undefined ? {} : { body: init.body }),
      headers: init.token ? { 'x-api-token': init.token } : {},
    });
    assert.deepEqual((await api('/signup', { body: { username: 'sam', password: 'long enough pw' } })).body, { id: 1, username: 'sam' });
    assert.equal((await api('/signup', { body: { username: 'SAM', password: 'long enough pw' } })).status, 409);
    assert.equal((await api('/signup', { body: { username: 'x', password: 'long enough pw' } })).status, 400);
    assert.equal((await api('/signup', { body: { username: 'kim', password: 'short' } })).status, 400);
    assert.equal((await api('/signup', { body: { username: 'kim', password: 'kims password' } })).status, 201);
    assert.equal((await api('/login', { body: { username: 'sam', password: 'wrong password' } })).status, 401);
    const { token } = (await api('/login', { body: { username: 'sam', password: 'long enough pw' } })).body;
    assert.match(token, /^[0-9a-f]{64}$/);
    const kim = (await api('/login', { body: { username: 'kim', password: 'kims password' } })).body.token;

    assert.equal((await api('/notes')).status, 401);
    assert.equal((await api('/notes', { token: 'not-a-token' })).status, 401);
    for (let i = 1; i <= 5; i++) assert.equal((await api('/notes', { token, body: { text: `note ${i}` } })).status, 201);
    const limited = await api('/notes', { token, body: { text: 'one too many' } });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await api('/notes', { token: kim, body: { text: "kim's" } })).status, 201, 'the limit is per account');
    assert.equal((await api('/notes', { token })).body.length, 5);
    assert.deepEqual((await api('/notes', { token: kim })).body.map((n: { text: string }) => n.text), ["kim's"]);
    assert.equal((await request(`${server.url}/notes/sql`, { body: { sql: 'SELECT * FROM accounts' } })).status, 403, 'the tables are the endpoints\' alone');

    assert.equal((await api('/logout', { token, method: 'POST' })).status, 204);
    assert.equal((await api('/notes', { token })).status, 401, 'a logged-out token is gone');
  });
});
