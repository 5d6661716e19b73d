/**
 * Pages as an attacker sees them: row data with markup is inert, path values are bound and
 * never spliced, private rows never reach a page whoever asks, templates reach no other
 * cenv's templates, pages carry the tenant sandbox, only owner/admin manage templates, and a
 * broken page tells visitors nothing about why.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PageWorld } from '../helpers/pages.ts';
import { bearer, createCenv, login, request, type LoggedIn } from '../helpers/server.ts';

let w: PageWorld;
let user: LoggedIn;

before(async () => {
  w = await PageWorld.start();
  await w.sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, body TEXT, private INTEGER NOT NULL DEFAULT 0)');
  await w.sql(`INSERT INTO posts (id, title, body, private) VALUES
    (1, '<script>alert(1)</script>', '<img src=x onerror=alert(2)> **md** <a href="javascript:alert(3)">x</a>', 0),
    (2, 'secret title', 'secret body', 1)`);
  await w.grant('posts');
  await w.call('POST', '/admin/policies', { table: 'posts', name: 'public', commands: ['select'], roles: ['anonymous'], using: 'private = 0' });
  await w.template({ path: 'posts/:id', source: '<h1>{{ post.title }}</h1>{{ post.body | markdown }}', queries: { post: { sql: 'SELECT * FROM posts WHERE id = :id', first: true, required: true } } });
  await w.template({ path: 'md/:id', syntax: 'markdown', source: '# {{ post.title | raw }}\n\n{{ post.body | raw }}', queries: { post: { sql: 'SELECT * FROM posts WHERE id = :id', first: true, required: true } } });
  await w.template({ path: 'all', source: '{% for p in posts %}[{{ p.title }}]{% endfor %}', queries: { posts: 'SELECT title FROM posts ORDER BY id' } });
  const created = await w.call('POST', '/admin/users', { username: 'ursula', password: 'long enough pw', role: 'user' });
  assert.equal(created.status, 201);
  user = await login(w.server.url, w.name, 'ursula', 'long enough pw');
});
after(() => w.close());

describe('row data is inert', () => {
  test('a <script> title is text; markdown drops event handlers and javascript: links', async () => {
    const page = await w.page('posts/1');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
    assert.doesNotMatch(page.text, /<script|onerror|javascript:/);
    assert.match(page.text, /<strong>md<\/strong>/);
  });

  test('a markdown page is sanitized as a whole, even where the template says raw', async () => {
    const page = await w.page('md/1');
    assert.doesNotMatch(page.text, /<script|onerror|javascript:/i);
  });
});

describe('path values are bound, never spliced', () => {
  // ('1e0' would find post 1: SQLite's numeric affinity reads it as 1, which is a number, not an injection.)
  const attempts = ['1 OR 1=1', "1' OR '1'='1", '1; DROP TABLE posts', '1 UNION SELECT 2', '2', '-1', '0x01'];
  for (const value of attempts) {
    test(`posts/${value} is just an id that matches nothing`, async () => {
      const page = await w.page(`posts/${encodeURIComponent(value)}`);
      assert.equal(page.status, 404, value);
      assert.doesNotMatch(page.text, /secret/);
      assert.equal((await w.entries()).get(`posts/${value}`)?.error ?? null, null, 'no SQL error either');
    });
  }

  for (const raw of ['posts/%2F', 'posts/%E0%A4%A', 'posts/..', 'posts/%2e%2e', 'posts/a%00b', 'posts//1', 'posts/1/']) {
    test(`a malformed path (${raw}) is "no such page" (or a 400 for broken encoding), never a 5xx`, async () => {
      const page = await w.page(raw);
      const expected = raw === 'posts/1/' ? 200 : raw === 'posts/%E0%A4%A' ? 400 : 404;
      assert.equal(page.status, expected, raw);
    });
  }

  test('the table is intact', async () => {
    assert.equal((await w.sql('SELECT count(*) FROM posts')).rows[0][0], 2);
  });
});

describe('private rows never reach a page', () => {
  test('not for anonymous visitors, nor for a signed-in owner (pages render as anonymous)', async () => {
    for (const headers of [{}, bearer(w.owner.token), bearer(user.token)]) {
      const response = await fetch(`${w.server.url}/${w.name}/pages/all`, { headers });
      const text = await response.text();
      assert.equal(text, '[&lt;script&gt;alert(1)&lt;/script&gt;]');
      assert.equal((await fetch(`${w.server.url}/${w.name}/pages/posts/2`, { headers })).status, 404);
    }
  });
});

describe('templates reach only their own cenv', () => {
  test('an include of another cenv\'s template name finds nothing', async () => {
    const other = await createCenv(w.server.url);
    const otherOwner = await login(w.server.url, other.id, other.username, other.password);
    const saved = await request(`${w.server.url}/${other.id}/admin/templates`, { body: { path: '_secret', source: 'TOPSECRET' }, headers: bearer(otherOwner.token) });
    assert.equal(saved.status, 201);
    for (const tag of ['include', 'render', 'layout']) {
      const reply = await w.call('POST', '/admin/templates/preview', { path: 'x', source: `{% ${tag} "_secret" %}` });
      assert.equal(reply.status, 200);
      assert.doesNotMatch(reply.body.html, /TOPSECRET/, tag);
      assert.ok(reply.body.error, tag);
    }
    const theirs = await request(`${w.server.url}/${other.id}/admin/templates/preview`, { body: { path: 'x', source: '{% include "_secret" %}' }, headers: bearer(otherOwner.token) });
    assert.equal(theirs.body.html, 'TOPSECRET', 'the same include works in its own cenv');
  });
});

describe('who may do what', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/admin/templates'], ['POST', '/admin/templates', { path: 'z', source: 'z' }], ['GET', '/admin/templates/1'],
    ['PUT', '/admin/templates/1', { source: 'z' }], ['DELETE', '/admin/templates/1'], ['GET', '/admin/templates/1/versions'],
    ['GET', '/admin/templates/1/versions/1'], ['POST', '/admin/templates/1/versions/1/restore'],
    ['POST', '/admin/templates/preview', { path: 'z', source: 'z' }], ['GET', '/admin/pages'], ['POST', '/admin/pages/refresh'],
  ];
  for (const [method, path, body] of routes) {
    test(`${method} ${path}: anonymous 401, role user 403`, async () => {
      assert.equal((await w.call(method, path, body, null)).status, 401);
      assert.equal((await w.call(method, path, body, user)).status, 403);
    });
  }

  test('a cookie-authenticated save without the CSRF header is refused', async () => {
    const owner = await login(w.server.url, w.name, w.cenv.username, w.cenv.password);
    const reply = await request(`${w.server.url}/${w.name}/admin/templates`, { body: { path: 'csrf', source: 'x' }, headers: { cookie: owner.cookie } });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error.code, 'WCE_ERR_CSRF');
  });
});

describe('headers and failures', () => {
  test('pages, their 404s and the front page carry the tenant sandbox', async () => {
    for (const path of ['posts/1', 'posts/999', 'nothing-here']) {
      const csp = (await w.page(path)).headers.get('content-security-policy')!;
      assert.match(csp, /^sandbox allow-scripts allow-forms allow-popups allow-top-navigation-by-user-activation;/, path);
      assert.doesNotMatch(csp, /allow-same-origin/, path);
    }
  });

  test('a page that never rendered tells visitors nothing about why; the owner sees the error', async () => {
    await w.sql('CREATE TABLE hidden (x TEXT)');
    await w.template({ path: 'broken', source: '{{ rows }}', queries: { rows: 'SELECT x FROM hidden' } });
    const page = await w.page('broken');
    assert.equal(page.status, 500);
    assert.doesNotMatch(page.text, /hidden|permission|query/);
    assert.match((await w.entries()).get('broken')!.error!, /permission denied/);
  });
});

describe('floods', () => {
  test('misses from one address count against sandbox_max_jobs_per_ip: 429, never a 5xx, nothing recorded', async () => {
    const setCap = async (value: string | null) => {
      await w.server.deps.pools.use(w.cenv.id, (db) => value === null
        ? db.prepare("DELETE FROM _wce_config WHERE key = 'sandbox_max_jobs_per_ip'").run()
        : db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sandbox_max_jobs_per_ip', ?, '') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(value));
      w.server.deps.settings.invalidate(w.cenv.id);
    };
    await w.template({
      path: 'slow/:n', source: '{{ c.n }}',
      queries: { c: { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT count(*) + :n AS n FROM c', first: true } },
    });
    await setCap('1');
    try {
      const pages = await Promise.all(Array.from({ length: 6 }, (_, i) => w.page(`slow/${i}`)));
      const statuses = pages.map((p) => p.status);
      assert.ok(statuses.includes(429), statuses.join(','));
      assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
      const entries = await w.entries();
      for (let i = 0; i < 6; i++) assert.equal(entries.get(`slow/${i}`)?.error ?? null, null, 'a refusal is not the page\'s error');
    } finally {
      await setCap(null);
    }
  });
});
