/**
 * The template editor in a real browser: edit a template's source and its query and watch
 * the sandboxed preview change before saving; save and see the page served; a template
 * mistake is shown by the preview (the last good render stays) and refused by the save at
 * its line; the Pages tab shows the cache status of the template's pages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { bearer, createCenv, login, request, type LoggedIn } from '../helpers/server.ts';
import { BrowserWorld, pasteEditorText, signIn, waitForEditorText } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };
let o: LoggedIn;
let blogId = 0;

const api = (path: string, body?: unknown, method?: string) =>
  request(`${b.server.url}/press${path}`, { method: method ?? (body === undefined ? 'GET' : 'POST'), body, headers: bearer(o.token) });

const SOURCE = '<!doctype html>\n<title>Blog</title>\n<h1>Blog</h1>\n<ul>{% for p in posts %}<li>{{ p.title }}</li>{% endfor %}</ul>\n';

before(async () => {
  await b.start();
  owner = await createCenv(b.server.url, { name: 'press' });
  o = await login(b.server.url, 'press', owner.username, owner.password);
  assert.equal((await api('/sql', { sql: 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT)' })).status, 200);
  assert.equal((await api('/sql', { sql: "INSERT INTO posts (title) VALUES ('First post'), ('Second post')" })).status, 200);
  assert.equal((await api('/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] })).status, 201);
  const created = await api('/admin/templates', { path: 'blog', source: SOURCE, queries: { posts: 'SELECT title FROM posts ORDER BY id' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  blogId = created.body.id;
});
after(() => b.close());

async function open(page: Page, id: number, text: RegExp): Promise<void> {
  await signIn(page.context(), b.server.url, 'press', owner.username, owner.password);
  await page.goto(`/press/editor/templates?template=${id}`);
  await waitForEditorText(page, text);
}

describe('template editor', () => {
  test('edit the source and a query, watch the preview change, save and see the page', b.page(async (page) => {
    await open(page, blogId, /<h1>Blog<\/h1>/);
    const frame = page.frameLocator('[data-testid=preview-frame]');
    await frame.getByText('Second post', { exact: true }).waitFor();
    // The preview runs in an opaque origin: scripts only, never same-origin.
    assert.equal(await page.getByTestId('preview-frame').getAttribute('sandbox'), 'allow-scripts');

    await pasteEditorText(page, SOURCE.replace('<h1>Blog</h1>', '<h1>Our news</h1>'));
    await frame.getByRole('heading', { name: 'Our news' }).waitFor();
    await page.getByTestId('save-state').getByText('Unsaved changes').waitFor();

    await page.getByLabel('SQL of query posts').fill("SELECT upper(title) AS title FROM posts WHERE id = 2");
    await frame.getByText('SECOND POST', { exact: true }).waitFor();
    assert.equal(await frame.getByText('First post', { exact: true }).count(), 0);
    assert.match(await page.getByTestId('preview-status').innerText(), /200.*reads posts/s);

    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+S');
    await page.getByRole('status').getByText(/Saved as version 2/).waitFor();
    const served = await fetch(`${b.server.url}/press/pages/blog`);
    const html = await served.text();
    assert.match(html, /<h1>Our news<\/h1>/);
    assert.match(html, /SECOND POST/);
    assert.doesNotMatch(html, /First post/);

    await page.getByRole('tab', { name: 'Pages' }).click();
    const entry = page.locator('.cache-entry').filter({ hasText: '/blog' });
    await entry.waitFor();
    assert.match(await entry.innerText(), /200[\s\S]*reads posts/);
  }));

  test('a template mistake: the preview says where and keeps the last good render; the save is refused at its line', b.page(async (page) => {
    const created = await api('/admin/templates', { path: 'about', source: '<h1>About</h1>\n' });
    assert.equal(created.status, 201);
    await open(page, created.body.id, /<h1>About<\/h1>/);
    const frame = page.frameLocator('[data-testid=preview-frame]');
    await frame.getByRole('heading', { name: 'About' }).waitFor();
    await pasteEditorText(page, '<h1>Broken</h1>\n<p>fine</p>\n{% if %}oops{% endif %}\n');
    const error = page.getByTestId('preview-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Line 3|Not rendered/);
    assert.equal(await frame.getByRole('heading', { name: 'Broken' }).count(), 0, 'the broken text is not shown as a render');

    await page.keyboard.press('Control+S');
    const problems = page.getByTestId('problems');
    await problems.getByText(/line 3/).waitFor();
    await page.getByTestId('save-state').getByText('Unsaved changes').waitFor();
    assert.equal((await api(`/admin/templates/${created.body.id}`)).body.source, '<h1>About</h1>\n', 'nothing saved');

    // Moving to another template keeps this one's unsaved text, and each keeps its own queries.
    await page.locator('.item').filter({ hasText: 'blog' }).click();
    await waitForEditorText(page, /<ul>\{% for p in posts %\}/);
    await page.getByTestId('save-state').getByText('Saved', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('SQL of query posts').count(), 1);
    await page.locator('.item').filter({ hasText: 'about' }).getByLabel('unsaved changes').waitFor();
    await page.locator('.item').filter({ hasText: 'about' }).click();
    await waitForEditorText(page, /<h1>Broken<\/h1>/);
    assert.equal(await page.getByLabel('SQL of query posts').count(), 0);
  }));
});
