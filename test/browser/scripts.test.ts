/**
 * The script editor in a real browser: create an endpoint, test the editor's text, save it
 * and call it over HTTP (and see the call in its runs); a syntax error is refused and marked
 * at its line; an old version is compared with the current one and restored; vim's `:w`
 * saves; an endpoint that runs as the owner says so.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { bearer, createCenv, login, request, type LoggedIn } from '../helpers/server.ts';
import { BrowserWorld, pasteEditorText, signIn, waitForEditorText } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };
let o: LoggedIn;

const api = (path: string, body?: unknown, method?: string) =>
  request(`${b.server.url}/lab${path}`, { method: method ?? (body === undefined ? 'GET' : 'POST'), body, headers: bearer(o.token) });

before(async () => {
  await b.start();
  owner = await createCenv(b.server.url, { name: 'lab' });
  o = await login(b.server.url, 'lab', owner.username, owner.password);
  assert.equal((await api('/sql', { sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)' })).status, 200);
  assert.equal((await api('/admin/permissions', { table: 'notes', role: 'anonymous', operations: ['select'] })).status, 201);
});
after(() => b.close());

async function open(page: Page, query = ''): Promise<void> {
  await signIn(page.context(), b.server.url, 'lab', owner.username, owner.password);
  await page.goto(`/lab/editor/scripts${query}`);
}

/** The box of an element Monaco may redraw at any frame: asked again until it holds still. */
async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number } | null> {
  for (let i = 0; i < 20; i++) {
    const found = await locator.first().boundingBox().catch(() => null);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** Creates an endpoint through the API; returns its id. */
async function endpoint(method: string, path: string, source: string, extra: Record<string, unknown> = {}): Promise<number> {
  const created = await api('/admin/endpoints', { method, path, source, access: 'public', ...extra });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

describe('script editor', () => {
  test('create an endpoint, test it, save it and call it over HTTP', b.page(async (page) => {
    await open(page);
    await page.getByRole('button', { name: 'New', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New endpoint' });
    await dialog.getByLabel('Path pattern').fill('/greet/:name');
    await dialog.getByLabel('Who may call it').selectOption('public');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: '/greet/:name' }).waitFor();
    await waitForEditorText(page, /def handle\(req\):/);

    await pasteEditorText(page, 'def handle(req):\n    print("greeting", req.params["name"])\n    n = db.query_one("SELECT count(*) AS n FROM notes")["n"]\n    return {"hello": req.params["name"], "x": req.query.get("x", ""), "notes": n}\n');
    await page.getByTestId('save-state').getByText('Unsaved changes').waitFor();
    await page.getByLabel('Path', { exact: true }).fill('/greet/ada');
    await page.getByLabel('Query').fill('x=1');
    await page.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByTestId('test-result');
    await result.getByTestId('test-status').getByText('200').waitFor();
    assert.deepEqual(JSON.parse(await result.getByTestId('test-body').innerText()), { hello: 'ada', x: '1', notes: 0 });
    assert.equal(await result.getByTestId('test-output').innerText(), 'greeting ada');
    await result.getByText(/\d+ steps/).waitFor();

    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+S');
    await page.getByRole('status').getByText('Saved as version 2').waitFor();
    await page.getByTestId('save-state').getByText('Saved', { exact: true }).waitFor();

    const called = await request(`${b.server.url}/lab/api/greet/bob?x=2`);
    assert.equal(called.status, 200);
    assert.deepEqual(called.body, { hello: 'bob', x: '2', notes: 0 });

    await page.getByRole('tab', { name: 'Runs' }).click();
    const run = page.locator('.run').first();
    await run.getByText('GET /greet/bob').waitFor();
    await run.locator('summary').click();
    await run.getByText('greeting bob').waitFor();
  }));

  test('a syntax error is refused and marked at its line', b.page(async (page) => {
    const id = await endpoint('GET', '/broken', 'def handle(req):\n    return "fine"\n');
    await open(page, `?endpoint=${id}`);
    await waitForEditorText(page, /return "fine"/);
    await pasteEditorText(page, 'def handle(req):\n    x = 1\n    return nope\n');
    await page.keyboard.press('Control+S');
    const problems = page.getByTestId('problems');
    await problems.getByText(/Line 3, column 12/).waitFor();
    assert.match(await problems.innerText(), /nope/);
    await page.getByTestId('save-state').getByText('Unsaved changes').waitFor();
    // The squiggle sits on line 3.
    const mark = await box(page.locator('.monaco-editor .squiggly-error'));
    const line3 = await box(page.locator('.monaco-editor .view-line').filter({ hasText: 'return nope' }));
    assert.ok(mark && line3, 'a squiggle and its line');
    assert.ok(mark.y >= line3.y - 2 && mark.y + mark.height <= line3.y + line3.height + 2, 'under line 3');
    const stored = await api(`/admin/endpoints/${id}`);
    assert.equal(stored.body.version, 1, 'nothing was saved');

    // Completion of WCE's names: after `db.` its three functions, each label inside its row.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('db.');
    const row = page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'query_one' });
    await row.waitFor();
    const label = await box(row.locator('.label-name'));
    const rowBox = await box(row);
    assert.ok(label && rowBox && label.y >= rowBox.y && label.y + label.height <= rowBox.y + rowBox.height + 1, 'the label is drawn inside its row');
    assert.deepEqual((await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).sort(), ['execute', 'query', 'query_one']);
    assert.match(stored.body.source, /return "fine"/);
  }));

  test('see an old version beside the current one and restore it', b.page(async (page) => {
    const id = await endpoint('GET', '/story', 'def handle(req):\n    return "first draft"\n', { run_as: 'owner' });
    assert.equal((await api(`/admin/endpoints/${id}`, { source: 'def handle(req):\n    return "second draft"\n' }, 'PUT')).status, 200);
    await open(page, `?endpoint=${id}`);
    await waitForEditorText(page, /second draft/);
    // Run-as-owner endpoints say so, in the list and above the editor.
    await page.getByRole('note').getByText('Runs as the owner.').waitFor();
    await page.locator('.item[aria-current="true"]').getByText('runs as owner').waitFor();

    await page.getByRole('button', { name: 'Versions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Versions of GET /story' });
    await dialog.getByRole('status').getByText('1 change between version 1 and version 2 (current)').waitFor();
    const diff = dialog.getByTestId('diff');
    await diff.locator('.view-line').getByText('first draft').first().waitFor();
    await diff.locator('.view-line').getByText('second draft').first().waitFor();
    assert.ok(await diff.locator('.line-delete, .char-delete').count() > 0, 'removed text is marked');
    await dialog.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('status').getByText('Restored as version 3').waitFor();
    await waitForEditorText(page, /first draft/);
    const stored = await api(`/admin/endpoints/${id}`);
    assert.equal(stored.body.version, 3);
    assert.match(stored.body.source, /first draft/);
    assert.equal((await request(`${b.server.url}/lab/api/story`)).body, 'first draft');
  }));

  test('vim mode: edit with vim keys and save with :w', b.page(async (page) => {
    const id = await endpoint('GET', '/vim', 'def handle(req):\n    return "old"\n');
    await open(page, `?endpoint=${id}`);
    await waitForEditorText(page, /return "old"/);
    await page.getByRole('checkbox', { name: 'Vim mode' }).check();
    const status = page.getByTestId('vim-status');
    await status.getByText('--NORMAL--').waitFor();
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Escape');
    await page.keyboard.type('G');            // last line (empty)
    await page.keyboard.type('k');            // the return line
    await page.keyboard.type('dd');
    await page.keyboard.type('O');            // open a line above… then write the new return
    await status.getByText('--INSERT--').waitFor();
    await page.keyboard.type('return "new"');
    await page.keyboard.press('Escape');
    await waitForEditorText(page, /def handle\(req\):\s+return "new"/);
    await page.keyboard.type(':w');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Saved as version 2').waitFor();
    assert.equal((await request(`${b.server.url}/lab/api/vim`)).body, 'new');
    // Leave the preference as it was for other tests of this user.
    await page.getByRole('checkbox', { name: 'Vim mode' }).uncheck();
  }));
});
