/**
 * The render op on a real guarded connection, as a sandbox child runs it: queries as
 * anonymous under grants and row policies, parameters bound, output escaping, markdown
 * sanitizing, includes limited to the cenv's templates, limits, and the save-time check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, OWNER, type Fixture } from '../../test/helpers/tenant.ts';
import { ANONYMOUS, type Principal } from '../auth/principal.ts';
import { CenvCache } from '../sandbox/cenv-cache.ts';
import type { OpContext } from '../sandbox/handlers.ts';
import type { RenderPayload, TemplateText } from '../sandbox/protocol.ts';
import { renderHandler } from './render-op.ts';
import { normalizeQueries, type QueryInput } from './query-spec.ts';

const SETUP = `
  CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, body TEXT, published INTEGER NOT NULL DEFAULT 1, created TEXT);
  CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
  INSERT INTO posts (id, title, body, published, created) VALUES
    (1, 'Hello', '**bold** text', 1, '2026-01-02 03:04:05'),
    (2, '<script>alert(1)</script>', '<script>alert(2)</script><img src=x onerror=alert(3)>', 1, NULL),
    (3, 'Secret', 'private', 0, NULL);
  INSERT INTO _wce_table_permissions (table_name, role, can_select, created_at) VALUES ('posts', 'anonymous', 1, '');
  INSERT INTO _wce_row_policies (table_name, name, commands, roles, using_expr, created_at, updated_at)
    VALUES ('posts', 'published only', '["select"]', '["anonymous"]', 'published = 1', '', '');
  INSERT INTO _wce_templates (path, syntax, source, version, created_at, updated_at) VALUES
    ('_header', 'liquid', '<header>{{ site.root }}</header>', 3, '', '');
`;

let fx: Fixture;
const cache = new CenvCache();

function ctx(principal: Principal = ANONYMOUS, timeoutMs = 2000): OpContext {
  return { conn: fx.conn, principal, context: {}, settings: fx.conn.settings(), cache, deadline: Date.now() + timeoutMs, timeoutMs, log: () => {} };
}

function text(source: string, queries: Record<string, QueryInput> = {}, path = 'posts/:id', syntax: 'liquid' | 'markdown' = 'liquid', contentType = 'text/html'): TemplateText {
  return { path, syntax, source, queries: normalizeQueries(queries), contentType };
}

function preview(template: TemplateText, params: Record<string, string> = {}, principal?: Principal, timeoutMs?: number) {
  const payload: RenderPayload = { kind: 'preview', template, path: 'p', params, site: { root: '/blog' } };
  return renderHandler.run(ctx(principal, timeoutMs), payload);
}

const POST = { post: { sql: 'SELECT id, title, body, created FROM posts WHERE id = :id', first: true, required: true } };

before(() => { fx = openFixture(SETUP); });
after(() => fx.close());

describe('render: queries as anonymous', () => {
  test('binds the path parameter, renders the row and reports the tables read', () => {
    const reply = preview(text('<h1>{{ post.title }}</h1>{% include "_header" %}', POST), { id: '1' });
    assert.equal(reply.render.error, null);
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '<h1>Hello</h1><header>/blog</header>');
    assert.deepEqual(reply.effects.reads, ['posts']);
    assert.deepEqual(reply.effects.writes, []);
    assert.equal(reply.render.includes[Object.keys(reply.render.includes)[0]], 3, 'the include and its version are recorded');
  });

  test('layouts and render work with the cenv\'s templates; include shares variables, render does not', () => {
    fx.inspect.exec(`INSERT INTO _wce_templates (path, syntax, source, version, created_at, updated_at) VALUES
      ('_base', 'liquid', '<main>{% block content %}default{% endblock %}</main>', 1, '', ''),
      ('_card', 'liquid', '[{{ post.title }}|{{ secret }}]', 1, '', '')`);
    const layout = preview(text('{% layout "_base" %}{% block content %}{{ post.title }}{% endblock %}', POST), { id: '1' });
    assert.equal(layout.render.error, null);
    assert.equal(layout.body, '<main>Hello</main>');
    const rendered = preview(text('{% assign secret = "s" %}{% render "_card", post: post %}{% include "_card" %}', POST), { id: '1' });
    assert.equal(rendered.body, '[Hello|][Hello|s]');
  });

  for (const id of ['1 OR 1=1', "1' OR '1'='1", '3', '999', '']) {
    test(`a path value is bound, never spliced: ${JSON.stringify(id)} finds no row → 404`, () => {
      const reply = preview(text('{{ post.title }}', POST), { id });
      assert.equal(reply.render.error, null);
      assert.equal(reply.render.notFound, true);
      assert.equal(reply.status, 404);
    });
  }

  test('row policies apply: the list shows only what anonymous may see', () => {
    const reply = preview(text('{% for p in posts %}{{ p.id }},{% endfor %}', { posts: 'SELECT id FROM posts ORDER BY id' }, 'index'));
    assert.equal(reply.body, '1,2,');
  });

  test('a preview as the owner sees every row', () => {
    const reply = preview(text('{{ posts.size }}', { posts: 'SELECT id FROM posts' }, 'index'), {}, OWNER);
    assert.equal(reply.body, '3');
  });

  test('a table anonymous has no grant on is a render error naming the query, not a crash', () => {
    const reply = preview(text('{{ notes }}', { notes: 'SELECT * FROM notes' }, 'index'));
    assert.equal(reply.status, 500);
    assert.match(reply.render.error!.message, /^query "notes": permission denied/);
    assert.equal(reply.render.error!.query, 'notes');
  });

  test('a query that writes is refused even where the role may write', () => {
    const reply = preview(text('x', { w: "UPDATE posts SET title = 'x'" }, 'index'), {}, OWNER);
    assert.match(reply.render.error!.message, /page queries may only read/);
    const title = fx.inspect.prepare('SELECT title FROM posts WHERE id = 1').get() as { title: string };
    assert.equal(title.title, 'Hello');
  });

  test('{% not_found %} makes the page a 404 and keeps its body', () => {
    const reply = preview(text('{% if rows == empty %}{% not_found %}nothing here{% endif %}', { rows: 'SELECT id FROM posts WHERE id > 100' }, 'index'));
    assert.equal(reply.status, 404);
    assert.equal(reply.body, 'nothing here');
  });
});

describe('render: output is inert', () => {
  test('liquid escapes row data by default', () => {
    const reply = preview(text('<h1>{{ post.title }}</h1>', POST), { id: '2' });
    assert.equal(reply.body, '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
  });

  test('the markdown filter and markdown pages drop scripts and event handlers', () => {
    const filtered = preview(text('{{ post.body | markdown }}', POST), { id: '2' });
    assert.doesNotMatch(filtered.body, /<script|onerror|alert\(2\)/);
    assert.match(filtered.body, /<img src="x" \/>/);
    const page = preview(text('# {{ post.title | raw }}\n\n{{ post.body | raw }}', POST, 'posts/:id', 'markdown'), { id: '2' });
    assert.doesNotMatch(page.body, /<script|onerror/);
    assert.match(page.body, /^<!doctype html>/);
    const bold = preview(text('{{ post.body | markdown }}', POST), { id: '1' });
    assert.equal(bold.body, '<p><strong>bold</strong> text</p>\n');
  });

  test('json is safe inside a script element; dates read SQLite text as UTC', () => {
    const reply = preview(text('<script>var p = {{ post | json | raw }};</script>{{ post.created | date: "%Y-%m-%d %H:%M %z" }}', POST), { id: '2' });
    assert.doesNotMatch(reply.body.slice(8, -9), /<\/script>/);
    const dated = preview(text('{{ post.created | date: "%Y-%m-%d %H:%M %z" }}', POST), { id: '1' });
    assert.equal(dated.body, '2026-01-02 03:04 +0000');
  });

  test('data content types (JSON, plain text) are not HTML-escaped; markup types are', () => {
    const json = preview(text('{{ post | json }}', POST, 'posts/:id', 'liquid', 'application/json'), { id: '2' });
    assert.deepEqual(JSON.parse(json.body), { id: 2, title: '<script>alert(1)</script>', body: '<script>alert(2)</script><img src=x onerror=alert(3)>', created: null });
    const plain = preview(text('{{ post.title }}', POST, 'posts/:id', 'liquid', 'text/plain'), { id: '2' });
    assert.equal(plain.body, '<script>alert(1)</script>');
    const rss = preview(text('<title>{{ post.title }}</title>', POST, 'posts/:id', 'liquid', 'application/rss+xml'), { id: '2' });
    assert.equal(rss.body, '<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
  });

  test('templates reach no prototypes, host objects or other files', () => {
    const probes = [
      '{{ post.constructor }}', '{{ post.__proto__ }}', '{{ post | map: "constructor" }}', '{{ "a" | split: "" | map: "constructor" | first }}',
      '{{ site.constructor.constructor }}', '{{ params.hasOwnProperty }}',
    ];
    for (const source of probes) {
      const reply = preview(text(source, POST), { id: '1' });
      assert.equal(reply.render.error, null, source);
      assert.doesNotMatch(reply.body, /function|native code|\[object/, source);
    }
    preview(text('{% assign __proto__ = "polluted" %}{% assign toString = 1 %}', POST), { id: '1' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    for (const name of ['/etc/passwd', '../../package.json', 'src/child.ts', 'node_modules/liquidjs/package.json']) {
      const reply = preview(text(`{% include "${name}" %}`, POST), { id: '1' });
      assert.match(reply.render.error!.message, /ENOENT|no template/, name);
    }
  });
});

describe('render: limits', () => {
  test('a render past the time limit stops and says which setting', () => {
    const reply = preview(text('{% for i in (1..3000) %}{% for j in (1..3000) %}{% for k in (1..3000) %}{% endfor %}{% endfor %}{% endfor %}', {}, 'index'), {}, ANONYMOUS, 100);
    assert.equal(reply.status, 500);
    assert.match(reply.render.error!.message, /render_timeout_ms/);
  });

  test('an include that includes itself ends as an error', () => {
    fx.inspect.exec("INSERT INTO _wce_templates (path, syntax, source, version, created_at, updated_at) VALUES ('_loop', 'liquid', 'x{% include \"_loop\" %}', 1, '', '')");
    const reply = preview(text('{% include "_loop" %}', {}, 'index'), {}, ANONYMOUS, 1000);
    assert.equal(reply.status, 500);
    assert.ok(reply.render.error);
  });
});

describe('check (on save)', () => {
  const check = (template: TemplateText) => () => renderHandler.run(ctx(OWNER), { kind: 'check', template });
  const cases: Array<[string, TemplateText, RegExp, Record<string, unknown>]> = [
    ['a Liquid syntax error, with its line', text('line one\n{% if %}\n'), /invalid value expression/, { line: 2 }],
    ['an unknown filter', text('{{ x | nope }}'), /undefined filter: nope/, { line: 1 }],
    ['SQL that does not parse', text('x', { p: 'SELEC 1' }), /syntax/i, { query: 'p' }],
    ['a table that does not exist', text('x', { p: 'SELECT * FROM nope' }), /no such table/, { query: 'p' }],
    ['a parameter the path does not bind', text('x', { p: 'SELECT * FROM posts WHERE id = :slug' }), /uses :slug, but the page path binds only :id/, {}],
    ['a positional parameter', text('x', { p: 'SELECT * FROM posts WHERE id = ?' }), /named parameters/, {}],
    ['a write', text('x', { p: 'DELETE FROM posts' }), /may only read/, { query: 'p' }],
  ];
  for (const [name, template, message, details] of cases) {
    test(`refuses ${name} with a 400`, () => {
      assert.throws(check(template), (error: { statusCode: number; message: string; details?: Record<string, unknown> }) => {
        assert.ok(error.statusCode === 400, `${error.statusCode} ${error.message}`);
        assert.match(error.message, message);
        for (const [key, value] of Object.entries(details)) assert.equal(error.details?.[key], value, key);
        return true;
      });
    });
  }

  test('accepts a good template without running anything', () => {
    const reply = check(text('{{ post.title }}', POST))();
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.effects, { writes: [], reads: [] });
  });
});
