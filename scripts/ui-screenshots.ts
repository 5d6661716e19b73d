/**
 * `npm run screenshots`: every UI page in light and dark at 1280×800 and the pages without
 * an editor on a 390-px-wide phone, written to docs/ui/*.png (docs/ide.md shows them);
 * `npm run screenshots -- docs console` takes only the scenes named. A real
 * server with a small example cenv ("journal": notes under a row policy, three users,
 * grants, some history) so the pages show what they look like in use.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createCenv, login, request, bearer, startServer } from '../test/helpers/server.ts';
import { launch } from '../bench/ui/tti.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/ui');
mkdirSync(OUT, { recursive: true });

const server = await startServer({ env: { WCE_LOG_LEVEL: 'warn' } });
const browser = await launch();

async function seed(): Promise<{ username: string; password: string }> {
  const owner = await createCenv(server.url, { name: 'journal', username: 'ada', password: 'correct horse battery' });
  const o = await login(server.url, 'journal', 'ada', 'correct horse battery');
  const call = async (p: string, body: unknown, method = 'POST') => {
    const r = await request(`${server.url}/journal${p}`, { method, body, headers: bearer(o.token) });
    if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const bob = (await call('/admin/users', { username: 'bob', password: 'long enough pw', role: 'user' })).body;
  await call('/admin/users', { username: 'grace', password: 'long enough pw', role: 'admin' });
  await call('/sql', { sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT NOT NULL, body TEXT, stars INTEGER, attachment BLOB)' });
  await call('/sql', { sql: 'CREATE TABLE tags (note_id INTEGER REFERENCES notes(id), tag TEXT NOT NULL)' });
  const notes = [[o.userId, 'Welcome to WCE', 'Everything lives in one SQLite file.', 5], [bob.id, 'Groceries', 'eggs, flour, 9 lemons', null],
    [o.userId, 'Release plan', null, 3], [bob.id, 'Reading list', 'SQLite internals', 4], [o.userId, 'Ideas', 'vim mode everywhere', 4]];
  for (const [author, title, body, stars] of notes) {
    await call('/sql', { sql: "INSERT INTO notes (author, title, body, stars, attachment) VALUES (?, ?, ?, ?, x'89504e470d0a1a0a')", params: [author, title, body, stars] });
  }
  await call('/sql', { sql: "INSERT INTO tags VALUES (1, 'intro'), (2, 'home'), (3, 'work'), (5, 'work')" });
  await call('/admin/permissions', { table: 'notes', role: 'user', operations: ['select', 'insert', 'update'] });
  await call('/admin/permissions', { table: 'tags', role: 'anonymous', operations: ['select'] });
  await call('/admin/permissions', { table: 'tags', user_id: bob.id, operations: ['select', 'insert'] });
  await call('/admin/policies', { table: 'notes', name: 'own notes', commands: ['all'], roles: ['user'], using: 'author = $user_id', check: 'author = $user_id' });
  // Scripts: an endpoint with two versions, one that runs as the owner, a module.
  await call('/admin/modules', { name: 'lib/text.star', source: 'def excerpt(text, n = 40):\n    return text if len(text) <= n else text[:n] + "…"\n' });
  const notesApi = (await call('/admin/endpoints', { method: 'GET', path: '/notes/:id', access: 'user', source: 'def handle(req):\n    return db.query_one("SELECT * FROM notes WHERE id = ?", int(req.params["id"]))\n' })).body;
  await call(`/admin/endpoints/${notesApi.id}`, { source: NOTE_ENDPOINT }, 'PUT');
  await call('/admin/endpoints', { method: 'POST', path: '/notes', access: 'user', source: 'def handle(req):\n    r = db.execute("INSERT INTO notes (author, title) VALUES (?, ?)", req.user.id, req.json["title"])\n    return response(status=201, json={"id": r.last_insert_rowid})\n' });
  await call('/admin/endpoints', { method: 'GET', path: '/stats', access: 'public', run_as: 'owner', source: 'def handle(req):\n    return db.query_one("SELECT count(*) AS notes FROM notes")\n' });
  // Templates: a front page reading the public tags, a Markdown page per tag, a partial.
  await call('/admin/templates', { path: '_footer', source: '<footer>Made with WCE</footer>\n' });
  await call('/admin/templates', { path: 'index', source: INDEX_TEMPLATE, queries: { tags: 'SELECT tag, count(*) AS notes FROM tags GROUP BY tag ORDER BY tag' } });
  await call('/admin/templates', { path: 'tags/:tag', syntax: 'markdown', source: '# Notes tagged {{ params.tag }}\n\n{{ count.n }} notes carry this tag.\n',
    queries: { count: { sql: 'SELECT count(*) AS n FROM tags WHERE tag = :tag', first: true } } });
  await fetch(`${server.url}/journal/pages/`);
  // Settings: two of this cenv's own, so the page shows where each value comes from.
  await call('/admin/config', { max_rows: 200, cors_allowed_origins: ['https://journal.example.com'] }, 'PUT');
  await login(server.url, 'journal', 'bob', 'long enough pw');
  return owner;
}

const NOTE_ENDPOINT = `load("lib/text.star", "excerpt")

def handle(req):
    # One note of the caller (row policies apply), with an excerpt.
    note = db.query_one("SELECT id, title, body, stars FROM notes WHERE id = ?", int(req.params["id"]))
    if note == None:
        return response(status=404, json={"error": "no such note"})
    print("note", note["id"], "for", req.user.username)
    return {"id": note["id"], "title": note["title"], "excerpt": excerpt(note["body"] or "")}
`;

const INDEX_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Journal</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem; color: #222; }
    .tag { display: inline-block; background: #eef; border-radius: 999px; padding: 2px 10px; margin: 2px; }
  </style>
</head>
<body>
  <h1>Journal</h1>
  <p>{{ tags.size }} tags in use:</p>
  <p>{% for t in tags %}<a class="tag" href="{{ site.pages }}/tags/{{ t.tag }}">{{ t.tag }} · {{ t.notes }}</a> {% endfor %}</p>
  {% include "_footer" %}
</body>
</html>
`;

async function scriptsScene(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '/notes/:id' }).waitFor();
  await page.locator('.monaco-editor').waitFor();
  await page.getByLabel('Path', { exact: true }).fill('/notes/1');
  await page.getByRole('button', { name: 'Run test' }).click();
  await page.getByTestId('test-status').waitFor();
}

async function versionsScene(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '/notes/:id' }).waitFor();
  await page.getByRole('button', { name: 'Versions' }).click();
  await page.getByRole('dialog').getByText(/changes? between/).waitFor();
}

async function templatesScene(page: Page): Promise<void> {
  await page.frameLocator('[data-testid=preview-frame]').getByRole('heading', { name: 'Journal' }).waitFor();
}

async function whyScene(page: Page): Promise<void> {
  await page.locator('.monaco-editor').waitFor();
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('SELECT id, title, stars FROM notes ORDER BY id');
  await page.getByLabel('Run as').selectOption({ label: 'bob (user)' });
  await page.getByRole('button', { name: 'Why hidden?' }).click();
  await page.getByTestId('why-hidden').waitFor();
}

async function policyPreviewScene(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Edit policy own notes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: /USING/ }).fill('author = $user_id OR stars >= 4');
  await dialog.getByTestId('policy-preview').getByText(/would see more/).waitFor();
  await dialog.getByTestId('policy-preview').scrollIntoViewIfNeeded();
}

async function signedIn(context: BrowserContext): Promise<void> {
  const o = await login(server.url, 'journal', 'ada', 'correct horse battery');
  await context.addCookies(o.cookie.split('; ').map((pair) => {
    const [name, value] = pair.split('=');
    return { name, value, domain: '127.0.0.1', path: '/journal', sameSite: 'Strict' as const };
  }));
}

async function consoleScene(page: Page): Promise<void> {
  await page.locator('.monaco-editor').waitFor();
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('-- Notes with their tags; Ctrl+Enter runs\nSELECT n.id, n.title, n.body, n.stars, n.attachment, group_concat(t.tag) AS tags\nFROM notes n LEFT JOIN tags t ON t.note_id = n.id\nGROUP BY n.id\nORDER BY n.id;');
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-testid=result-grid]').waitFor();
  await page.getByRole('tab', { name: /History/ }).click();
}

const scenes: Array<{ name: string; url: string; signed: boolean; phone: boolean; ready: (page: Page) => Promise<void> }> = [
  { name: 'landing', url: '/', signed: false, phone: true, ready: (p) => p.getByRole('heading', { name: 'Create a cenv' }).waitFor() },
  { name: 'login', url: '/journal/login?username=ada', signed: false, phone: true, ready: (p) => p.getByRole('button', { name: 'Log in' }).waitFor() },
  { name: 'dashboard', url: '/journal/dashboard', signed: true, phone: true, ready: (p) => p.getByRole('heading', { name: 'Recent activity' }).waitFor() },
  { name: 'console', url: '/journal/console', signed: true, phone: false, ready: consoleScene },
  { name: 'users', url: '/journal/admin/users', signed: true, phone: true, ready: (p) => p.getByRole('row', { name: /bob/ }).waitFor() },
  { name: 'permissions', url: '/journal/admin/permissions', signed: true, phone: true, ready: (p) => p.locator('.policy-list').waitFor() },
  { name: 'scripts', url: '/journal/editor/scripts?endpoint=1', signed: true, phone: false, ready: scriptsScene },
  { name: 'scripts-versions', url: '/journal/editor/scripts?endpoint=1', signed: true, phone: false, ready: versionsScene },
  { name: 'templates', url: '/journal/editor/templates', signed: true, phone: false, ready: templatesScene },
  { name: 'console-why-hidden', url: '/journal/console', signed: true, phone: false, ready: whyScene },
  { name: 'policy-preview', url: '/journal/admin/permissions', signed: true, phone: false, ready: policyPreviewScene },
  { name: 'config', url: '/journal/admin/config', signed: true, phone: true, ready: (p) => p.getByRole('heading', { name: 'Settings' }).waitFor() },
  { name: 'audit', url: '/journal/admin/audit', signed: true, phone: true, ready: (p) => p.getByRole('region', { name: 'Audit log entries, newest first' }).waitFor() },
  { name: 'account', url: '/journal/dashboard', signed: true, phone: true, ready: async (p) => {
    await p.getByRole('button', { name: /^Your account/ }).click();
    await p.getByRole('dialog', { name: 'Your account' }).getByLabel('Current password').waitFor();
  } },
  { name: 'notice', url: '/journal/admin/users', signed: false, phone: false, ready: (p) => p.getByRole('heading', { name: 'You cannot open this page' }).waitFor() },
  { name: 'docs', url: '/docs#post-cenv-sql', signed: false, phone: true, ready: (p) => p.locator('#post-cenv-sql').getByText('WCE_ERR_SQL_SYNTAX').waitFor() },
];
const only = process.argv.slice(2);

try {
  await seed();
  const bobCookies = await login(server.url, 'journal', 'bob', 'long enough pw');
  for (const scene of scenes.filter((s) => only.length === 0 || only.includes(s.name))) {
    const variants: Array<{ suffix: string; width: number; height: number; scheme: 'light' | 'dark' }> = [
      { suffix: 'light', width: 1280, height: 800, scheme: 'light' },
      { suffix: 'dark', width: 1280, height: 800, scheme: 'dark' },
      ...(scene.phone ? [{ suffix: 'phone', width: 390, height: 844, scheme: 'light' as const }] : []),
    ];
    for (const v of variants) {
      const context = await browser.newContext({ viewport: { width: v.width, height: v.height }, colorScheme: v.scheme, baseURL: server.url, deviceScaleFactor: 1 });
      if (scene.signed) await signedIn(context);
      if (scene.name === 'notice') {
        await context.addCookies(bobCookies.cookie.split('; ').map((pair) => ({ name: pair.split('=')[0], value: pair.split('=')[1], domain: '127.0.0.1', path: '/journal', sameSite: 'Strict' as const })));
      }
      const page = await context.newPage();
      await page.goto(scene.url);
      await scene.ready(page);
      await page.waitForTimeout(300);
      const file = path.join(OUT, `${scene.name}-${v.suffix}.png`);
      await page.screenshot({ path: file, fullPage: v.suffix === 'phone' });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
