/**
 * Pages over real HTTP: rendering and serving from the cache (ETag, 304, HEAD, 404s, the
 * cenv's front page), and exact invalidation — a commit through `/sql`, one published on
 * the bus the way an endpoint's commit is, and a policy change each refresh exactly the
 * pages that read the written table; other pages keep their `rendered_at`; a failing
 * re-render keeps the last good page; a burst of commits coalesces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PageWorld } from '../helpers/pages.ts';

let w: PageWorld;

before(async () => {
  w = await PageWorld.start();
  await w.sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 1)');
  await w.sql('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  await w.sql("INSERT INTO posts (title) VALUES ('first'), ('second')");
  await w.sql("INSERT INTO notes (text) VALUES ('a note')");
  await w.grant('posts');
  await w.grant('notes');
  await w.template({ path: 'index', source: '<ul>{% for p in posts %}<li>{{ p.title }}</li>{% endfor %}</ul>', queries: { posts: 'SELECT title FROM posts ORDER BY id' } });
  await w.template({ path: 'notes', source: '{% for n in notes %}<p>{{ n.text }}</p>{% endfor %}', queries: { notes: 'SELECT text FROM notes ORDER BY id' } });
  await w.template({
    path: 'posts/:id', source: '<h1>{{ post.title }}</h1>',
    queries: { post: { sql: 'SELECT title FROM posts WHERE id = :id', first: true, required: true } },
  });
  await w.template({ path: 'feed', source: '{{ posts | json }}', content_type: 'application/json', queries: { posts: 'SELECT id, title FROM posts ORDER BY id' } });
});
after(() => w.close());

describe('serving', () => {
  test('renders on the first visit, then serves the cached bytes with an ETag; If-None-Match → 304', async () => {
    const first = await w.page('index');
    assert.equal(first.status, 200);
    assert.equal(first.text, '<ul><li>first</li><li>second</li></ul>');
    assert.equal(first.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.match(first.headers.get('content-security-policy')!, /^sandbox allow-scripts allow-forms allow-popups allow-top-navigation-by-user-activation;/);
    assert.doesNotMatch(first.headers.get('content-security-policy')!, /allow-same-origin/);
    assert.equal(first.headers.get('x-content-type-options'), 'nosniff');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[\w-]+"$/);
    const again = await w.page('index');
    assert.equal(again.headers.get('etag'), etag);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await w.page('index', { headers: { 'if-none-match': header } });
      assert.equal(cached.status, 304, header);
      assert.equal(cached.text, '');
      assert.equal(cached.headers.get('etag'), etag);
    }
    assert.equal((await w.page('index', { headers: { 'if-none-match': '"stale"' } })).status, 200);
  });

  test('HEAD answers the headers of GET without a body', async () => {
    const head = await w.page('index', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength('<ul><li>first</li><li>second</li></ul>')));
    assert.ok(head.headers.get('etag'));
  });

  test('GET /{cenv}/ serves the index page; /{cenv} redirects there; the trailing slash is optional on /pages', async () => {
    const front = await fetch(`${w.server.url}/${w.name}/`);
    assert.equal(front.status, 200);
    assert.equal(await front.text(), '<ul><li>first</li><li>second</li></ul>');
    assert.match(front.headers.get('content-security-policy')!, /^sandbox /);
    const bare = await fetch(`${w.server.url}/${w.name}`, { redirect: 'manual' });
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.get('location'), `/${w.name}/`);
    for (const path of ['', 'index']) assert.equal((await w.page(path)).status, 200, path);
  });

  test('a path params page: found → 200, missing row → 404 (cached like any page)', async () => {
    assert.equal((await w.page('posts/1')).text, '<h1>first</h1>');
    const missing = await w.page('posts/99');
    assert.equal(missing.status, 404);
    assert.equal((await w.entries()).get('posts/99')?.status, 404);
  });

  test('no template for the path → a 404 page; a JSON template is served as JSON', async () => {
    for (const path of ['nope', 'posts', 'posts/1/x', 'a/b/c/d']) {
      const page = await w.page(path);
      assert.equal(page.status, 404, path);
      assert.match(page.headers.get('content-type')!, /^text\/html/);
      assert.match(page.text, /Not found/);
    }
    const feed = await w.page('feed');
    assert.equal(feed.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(feed.text), [{ id: 1, title: 'first' }, { id: 2, title: 'second' }]);
  });

  test('a cenv without an index page redirects GET /{cenv}/ to its dashboard', async () => {
    const created = await fetch(`${w.server.url}/new`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'correct horse battery' }),
    });
    const { cenv_id: id } = await created.json() as { cenv_id: string };
    const front = await fetch(`${w.server.url}/${id}/`, { redirect: 'manual' });
    assert.equal(front.status, 302);
    assert.equal(front.headers.get('location'), `/${id}/dashboard`);
  });
});

describe('invalidation', () => {
  test('a commit through /sql refreshes the pages that read the table, and only those', async () => {
    await Promise.all(['index', 'notes', 'posts/1', 'feed'].map((p) => w.page(p)));
    const before = await w.entries();
    await w.sql("INSERT INTO posts (title) VALUES ('third')");
    await w.pageShows('index', /<li>third<\/li>/);
    await w.pageShows('feed', /third/);
    await w.settled();
    const after = await w.entries();
    assert.notEqual(after.get('index')!.rendered_at, before.get('index')!.rendered_at);
    assert.notEqual(after.get('posts/1')!.rendered_at, before.get('posts/1')!.rendered_at, 'posts/1 read posts too');
    assert.equal(after.get('notes')!.rendered_at, before.get('notes')!.rendered_at, 'a page on another table keeps its rendered_at');
    assert.deepEqual(after.get('notes')!.reads, ['notes']);
  });

  test('a commit published on the bus as an endpoint\'s is (kind data) refreshes the dependent pages', async () => {
    await w.page('notes');
    const before = await w.entries();
    // An endpoint commits in a sandbox child; runOp then publishes its writes. Do both halves here.
    await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("INSERT INTO notes (text) VALUES ('from an endpoint')").run());
    await w.server.deps.bus.publish({ cenvId: w.cenv.id, principal: { userId: w.owner.userId, username: 'owner', role: 'owner', sessionId: null }, kind: 'data', writes: [{ table: 'Notes', action: 'insert', rows: 1 }] });
    await w.pageShows('notes', /from an endpoint/);
    await w.settled();
    assert.equal((await w.entries()).get('index')!.rendered_at, before.get('index')!.rendered_at);
  });

  test('a commit through a Starlark endpoint refreshes the dependent pages, and only those', async () => {
    await Promise.all(['notes', 'index'].map((p) => w.page(p)));
    await w.settled();
    const before = await w.entries();
    const saved = await w.call('POST', '/admin/endpoints', {
      method: 'POST', path: '/notes', access: 'public', run_as: 'owner',
      source: 'def handle(req):\n    db.execute("INSERT INTO notes (text) VALUES (?)", req.json["text"])\n    return {"ok": True}\n',
    });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    const posted = await w.call('POST', '/api/notes', { text: 'via endpoint' }, null);
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    await w.pageShows('notes', /via endpoint/);
    await w.settled();
    assert.equal((await w.entries()).get('index')!.rendered_at, before.get('index')!.rendered_at);
  });

  test('a policy change that hides rows from anonymous removes them from the page', async () => {
    await w.sql("INSERT INTO posts (title, published) VALUES ('draft', 0)");
    await w.pageShows('index', /<li>draft<\/li>/);
    const policy = await w.call('POST', '/admin/policies', { table: 'posts', name: 'published only', commands: ['select'], roles: ['anonymous'], using: 'published = 1' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const page = await w.pageShows('index', /^(?!.*draft)/);
    assert.match(page.text, /<li>first<\/li>/);
  });

  test('a write to a table a row policy reads refreshes the pages filtered by that policy', async () => {
    await w.sql('CREATE TABLE site (open INTEGER NOT NULL)');
    await w.sql('INSERT INTO site VALUES (1)');
    await w.sql('CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT)');
    await w.sql("INSERT INTO events (title) VALUES ('launch')");
    await w.grant('events');
    const policy = await w.call('POST', '/admin/policies', { table: 'events', name: 'while open', commands: ['select'], roles: ['anonymous'], using: 'EXISTS (SELECT 1 FROM site WHERE open = 1)' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    await w.template({ path: 'events', source: '{% for e in events %}[{{ e.title }}]{% endfor %}', queries: { events: 'SELECT title FROM events' } });
    assert.equal((await w.page('events')).text, '[launch]');
    assert.deepEqual((await w.entries()).get('events')!.reads.sort(), ['events', 'site']);
    await w.sql('UPDATE site SET open = 0');
    await w.pageShows('events', /^$/);
  });

  test('a failing re-render keeps serving the last good page and records the error', async () => {
    const good = await w.page('notes');
    const grants = await w.call('GET', '/admin/permissions');
    const notesGrant = (grants.body.permissions as Array<{ id: number; table: string }>).find((g) => g.table === 'notes')!;
    assert.equal((await w.call('DELETE', `/admin/permissions/${notesGrant.id}`)).status, 204);
    await w.eventually('the error to be recorded', async () => (await w.entries()).get('notes')!.error !== null);
    const entry = (await w.entries()).get('notes')!;
    assert.match(entry.error!, /permission denied/);
    const served = await w.page('notes');
    assert.equal(served.status, 200);
    assert.equal(served.text, good.text);
    assert.equal(served.headers.get('etag'), good.headers.get('etag'));
    await w.grant('notes');
    await w.eventually('the error to clear', async () => (await w.entries()).get('notes')!.error === null);
  });

  for (const [kind, why] of [['import', 'the file was replaced'], ['access', 'a change naming no table (a role)']] as const) {
    test(`an ${kind} event (${why}) re-renders every cached page`, async () => {
      await w.settled();
      const before = await w.entries();
      const principal = { userId: w.owner.userId, username: 'owner', role: 'owner' as const, sessionId: null };
      await w.server.deps.bus.publish({ cenvId: w.cenv.id, principal, kind, writes: [] });
      await w.eventually('every page re-rendered', async () => {
        const after = await w.entries();
        return [...before].every(([path, e]) => after.get(path)?.rendered_at !== e.rendered_at);
      });
    });
  }

  test('a flood of commit events for one table before the re-render starts renders each page once', async () => {
    await w.page('feed');
    await w.settled();
    const renders = w.server.deps.pages.refresher.renders;
    const principal = { userId: w.owner.userId, username: 'owner', role: 'owner' as const, sessionId: null };
    await Promise.all(Array.from({ length: 50 }, () => w.server.deps.bus.publish({ cenvId: w.cenv.id, principal, kind: 'data', writes: [{ table: 'posts', action: 'update', rows: 1 }] })));
    await w.settled();
    const dependent = [...(await w.entries()).values()].filter((e) => e.reads.includes('posts')).length;
    assert.equal(w.server.deps.pages.refresher.renders - renders, dependent, 'one render per dependent page');
  });

  test('a burst of HTTP commits costs fewer renders than commits, and the page ends up current', async () => {
    await w.settled();
    const renders = w.server.deps.pages.refresher.renders;
    await Promise.all(Array.from({ length: 20 }, (_, i) => w.sql('INSERT INTO notes (text) VALUES (?)', [`burst ${i}`])));
    await w.pageShows('notes', /burst 19/);
    await w.settled();
    assert.ok(w.server.deps.pages.refresher.renders - renders < 20, `${w.server.deps.pages.refresher.renders - renders} renders`);
    const text = (await w.page('notes')).text;
    for (let i = 0; i < 20; i++) assert.match(text, new RegExp(`burst ${i}<`));
  });
});
