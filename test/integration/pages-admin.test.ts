/**
 * The templates and pages admin API over real HTTP: create/list/get/change/delete with
 * versions (list, view, restore), saves refused with a 400 that says where, the live
 * preview (anonymous or as a user, nothing stored), and what a template change does to the
 * cache: its pages and the pages including it re-render, others keep their `rendered_at`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PageWorld } from '../helpers/pages.ts';

let w: PageWorld;

before(async () => {
  w = await PageWorld.start();
  await w.sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 1)');
  await w.sql("INSERT INTO posts (title, published) VALUES ('public post', 1), ('draft post', 0)");
  await w.grant('posts');
  const policy = await w.call('POST', '/admin/policies', { table: 'posts', name: 'published', commands: ['select'], roles: ['anonymous'], using: 'published = 1' });
  assert.equal(policy.status, 201);
});
after(() => w.close());

describe('templates CRUD and versions', () => {
  let id: number;

  test('create answers 201 with every field; list leaves sources out; get has the source', async () => {
    const created = await w.call('POST', '/admin/templates', { path: 'about', source: '<h1>About v1</h1>' });
    assert.equal(created.status, 201);
    id = created.body.id;
    assert.deepEqual({ ...created.body, created_at: 0, updated_at: 0 }, {
      id, path: 'about', syntax: 'liquid', source: '<h1>About v1</h1>', queries: {}, content_type: 'text/html', enabled: true,
      version: 1, created_at: 0, updated_at: 0, updated_by: w.owner.userId,
    });
    const list = await w.call('GET', '/admin/templates');
    assert.equal(list.body.templates.length, 1);
    assert.equal(list.body.templates[0].source, undefined);
    assert.equal((await w.call('GET', `/admin/templates/${id}`)).body.source, '<h1>About v1</h1>');
    assert.equal((await w.page('about')).text, '<h1>About v1</h1>');
  });

  test('a change is a new version and refreshes the page; a change of nothing is not', async () => {
    const changed = await w.call('PUT', `/admin/templates/${id}`, { source: '<h1>About v2</h1>' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.version, 2);
    await w.pageShows('about', /About v2/);
    const same = await w.call('PUT', `/admin/templates/${id}`, { source: '<h1>About v2</h1>' });
    assert.equal(same.body.version, 2);
  });

  test('versions are listed newest first, viewable, and restorable as a new version', async () => {
    const versions = await w.call('GET', `/admin/templates/${id}/versions`);
    assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [2, 1]);
    const v1 = await w.call('GET', `/admin/templates/${id}/versions/1`);
    assert.equal(v1.body.source, '<h1>About v1</h1>');
    assert.equal(v1.body.meta.path, 'about');
    const restored = await w.call('POST', `/admin/templates/${id}/versions/1/restore`);
    assert.equal(restored.status, 200);
    assert.equal(restored.body.version, 3);
    assert.equal(restored.body.source, '<h1>About v1</h1>');
    await w.pageShows('about', /About v1/);
    assert.equal((await w.call('GET', `/admin/templates/${id}/versions/9`)).status, 404);
    assert.equal((await w.call('POST', `/admin/templates/${id}/versions/9/restore`)).status, 404);
  });

  test('every change is audited', async () => {
    const actions = await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare(
      "SELECT action FROM _wce_audit_log WHERE action LIKE 'template_%' ORDER BY id").all() as Array<{ action: string }>);
    assert.deepEqual(actions.map((a) => a.action), ['template_created', 'template_updated', 'template_restored']);
  });

  test('disabling a template takes its page down; enabling brings it back', async () => {
    await w.call('PUT', `/admin/templates/${id}`, { enabled: false });
    assert.equal((await w.page('about')).status, 404);
    await w.call('PUT', `/admin/templates/${id}`, { enabled: true });
    assert.equal((await w.page('about')).status, 200);
  });

  test('delete removes the template, its versions and its cached pages', async () => {
    assert.equal((await w.call('DELETE', `/admin/templates/${id}`)).status, 204);
    assert.equal((await w.page('about')).status, 404);
    assert.equal((await w.entries()).has('about'), false);
    assert.equal((await w.call('GET', `/admin/templates/${id}`)).status, 404);
    assert.equal((await w.call('GET', `/admin/templates/${id}/versions/1`)).status, 404);
    assert.equal((await w.call('DELETE', `/admin/templates/${id}`)).status, 404);
  });
});

describe('saves are checked', () => {
  const cases: Array<[string, Record<string, unknown>, number, string, Record<string, unknown>?]> = [
    ['a Liquid error, with its line', { path: 'x1', source: 'ok\n\n{% for %}' }, 400, 'WCE_ERR_TEMPLATE_SYNTAX', { line: 3 }],
    ['an unclosed tag', { path: 'x2', source: '{% if true %}' }, 400, 'WCE_ERR_TEMPLATE_SYNTAX'],
    ['SQL that does not parse, naming the query', { path: 'x3', source: 'x', queries: { rows: 'SELECT FROM' } }, 400, 'WCE_ERR_SQL_SYNTAX', { query: 'rows' }],
    ['a missing table', { path: 'x4', source: 'x', queries: { rows: 'SELECT * FROM nope' } }, 400, 'WCE_ERR_VALIDATION', { query: 'rows' }],
    ['a parameter the path lacks', { path: 'x5/:id', source: 'x', queries: { rows: 'SELECT * FROM posts WHERE id = :slug' } }, 400, 'WCE_ERR_VALIDATION'],
    ['a query that writes', { path: 'x6', source: 'x', queries: { rows: 'DELETE FROM posts' } }, 400, 'WCE_ERR_VALIDATION', { query: 'rows' }],
    ['a reserved query name', { path: 'x7', source: 'x', queries: { site: 'SELECT 1' } }, 400, 'WCE_ERR_VALIDATION'],
    ['a bad path', { path: '/leading', source: 'x' }, 400, 'WCE_ERR_VALIDATION'],
    ['a dot segment', { path: 'a/../b', source: 'x' }, 400, 'WCE_ERR_VALIDATION'],
    ['a script content type', { path: 'x8', source: 'x', content_type: 'application/javascript' }, 400, 'WCE_ERR_VALIDATION'],
    ['an unknown field', { path: 'x9', source: 'x', owner: 'me' }, 400, 'WCE_ERR_VALIDATION'],
    ['a taken path', { path: 'taken', source: 'x' }, 409, 'WCE_ERR_CONFLICT'],
  ];
  before(async () => { await w.template({ path: 'taken', source: 'x' }); });

  for (const [name, body, status, code, details] of cases) {
    test(`refuses ${name} (${status})`, async () => {
      const reply = await w.call('POST', '/admin/templates', body);
      assert.equal(reply.status, status, JSON.stringify(reply.body));
      assert.equal(reply.body.error.code, code);
      for (const [key, value] of Object.entries(details ?? {})) assert.equal(reply.body.error.details?.[key], value, key);
    });
  }

  test('a change is checked too, and a refused change leaves the template as it was', async () => {
    const list = await w.call('GET', '/admin/templates');
    const taken = list.body.templates.find((t: { path: string }) => t.path === 'taken');
    const refused = await w.call('PUT', `/admin/templates/${taken.id}`, { source: '{{ x | nope }}' });
    assert.equal(refused.status, 400);
    assert.equal((await w.call('GET', `/admin/templates/${taken.id}`)).body.version, 1);
  });
});

describe('preview', () => {
  const body = {
    path: 'posts/:id', params: { id: '2' },
    source: '{% if post %}{{ post.title }}{% else %}{% not_found %}none{% endif %}',
    queries: { post: { sql: 'SELECT title FROM posts WHERE id = :id', first: true } },
  };

  test('renders unsaved text with live data as anonymous: private rows stay hidden', async () => {
    const reply = await w.call('POST', '/admin/templates/preview', body);
    assert.equal(reply.status, 200);
    assert.deepEqual({ ...reply.body, duration_ms: 0 }, { html: 'none', status: 404, reads: ['posts'], duration_ms: 0, not_found: true });
  });

  test('as_user renders as that user (the owner sees the draft)', async () => {
    const reply = await w.call('POST', '/admin/templates/preview', { ...body, as_user: w.owner.userId });
    assert.equal(reply.body.html, 'draft post');
  });

  test('an error comes back with its line; nothing is stored', async () => {
    const reply = await w.call('POST', '/admin/templates/preview', { path: 'p', source: 'a\n{{ 1 | divided_by: x | nope }}' });
    assert.equal(reply.status, 200);
    assert.match(reply.body.error.message, /undefined filter: nope/);
    assert.equal(reply.body.error.line, 2);
    assert.equal((await w.entries()).has('p'), false);
  });

  for (const [name, extra] of [['an unknown user', { as_user: 'nobody' }], ['a parameter the path lacks', { params: { slug: 'x' } }]] as const) {
    test(`refuses ${name} with a 400`, async () => {
      assert.equal((await w.call('POST', '/admin/templates/preview', { ...body, ...extra })).status, 400);
    });
  }
});

describe('what a template change re-renders', () => {
  test('the pages of the changed template and of templates including it; no others', async () => {
    await w.template({ path: '_footer', source: '<footer>v1</footer>' });
    await w.template({ path: 'with-footer', source: 'A{% include "_footer" %}' });
    await w.template({ path: 'plain', source: 'B' });
    await Promise.all(['with-footer', 'plain'].map((p) => w.page(p)));
    const before = await w.entries();
    const footer = (await w.call('GET', '/admin/templates')).body.templates.find((t: { path: string }) => t.path === '_footer');
    assert.equal((await w.call('PUT', `/admin/templates/${footer.id}`, { source: '<footer>v2</footer>' })).status, 200);
    await w.pageShows('with-footer', /v2/);
    await w.settled();
    assert.equal((await w.entries()).get('plain')!.rendered_at, before.get('plain')!.rendered_at);
    assert.equal((await w.page('_footer')).status, 404, 'a partial is never served');
  });

  test('POST /admin/pages/refresh re-renders every cached page', async () => {
    const before = await w.entries();
    const reply = await w.call('POST', '/admin/pages/refresh');
    assert.equal(reply.status, 202);
    assert.equal(reply.body.queued, before.size);
    await w.eventually('every page re-rendered', async () => {
      const after = await w.entries();
      return [...before].every(([path, e]) => after.get(path)?.rendered_at !== e.rendered_at);
    });
  });
});
