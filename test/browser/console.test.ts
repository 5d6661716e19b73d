/**
 * The SQL console in a real browser: run SQL and read the grid (NULL, big integers and
 * BLOBs in their lossless forms), see an error marked at its place, explain a query, use
 * the history across a reload, export, and run as another user to see only what that
 * user's row policy lets them see.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { createCenv, login, request, bearer } from '../helpers/server.ts';
import { BrowserWorld, setEditorText, signIn, waitForEditorText } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };

before(async () => {
  await b.start();
  const url = b.server.url;
  const cenv = await createCenv(url, { name: 'shop' });
  owner = cenv;
  const o = await login(url, 'shop', cenv.username, cenv.password);
  const call = async (path: string, body: unknown) => {
    const r = await request(`${url}/shop${path}`, { body, headers: bearer(o.token) });
    assert.ok(r.status < 300, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const bob = await call('/admin/users', { username: 'bob', password: 'long enough pw', role: 'user' });
  await call('/sql', { sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT, body TEXT)' });
  await call('/sql', { statements: [
    { sql: 'INSERT INTO notes (owner, body) VALUES (?, ?)', params: [o.userId, 'first'] },
    { sql: 'INSERT INTO notes (owner, body) VALUES (?, ?)', params: [bob.id, 'bob only'] },
    { sql: 'INSERT INTO notes (owner, body) VALUES (?, ?)', params: [o.userId, null] },
  ] });
  await call('/admin/permissions', { table: 'notes', role: 'user', operations: ['select'] });
  await call('/admin/policies', { table: 'notes', name: 'own notes', commands: ['select'], roles: ['user'], using: 'owner = $user_id' });
});
after(() => b.close());

async function openConsole(page: Page): Promise<void> {
  await signIn(page.context(), b.server.url, 'shop', owner.username, owner.password);
  await page.goto('/shop/console');
  await page.locator('.monaco-editor').waitFor();
}

async function run(page: Page, sql: string): Promise<void> {
  await setEditorText(page, sql);
  await page.keyboard.press('Control+Enter');
}

/** The box of an element Monaco may redraw at any frame: asked again until it holds still. */
async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number } | null> {
  for (let i = 0; i < 20; i++) {
    const found = await locator.boundingBox().catch(() => null);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

function cells(page: Page, row: number): Promise<string[]> {
  return page.locator(`[data-testid=result-grid] tbody tr:nth-child(${row}) td:not(.rownum)`).allInnerTexts();
}

describe('SQL console', () => {
  test('runs SQL with Ctrl+Enter and shows the grid with lossless values', b.page(async (page) => {
    await openConsole(page);
    await run(page, "SELECT id, body, 9223372036854775807 AS big, x'00ff10' AS data, 1.5 AS r FROM notes ORDER BY id");
    await page.locator('[data-testid=result-meta]').getByText('3 rows').waitFor();
    assert.deepEqual(await page.locator('[data-testid=result-grid] thead .col-name').allInnerTexts(), ['id', 'body', 'big', 'data', 'r']);
    assert.deepEqual(await cells(page, 1), ['1', 'first', '9223372036854775807', "x'00ff10'", '1.5']);
    assert.deepEqual(await cells(page, 3), ['3', 'NULL', '9223372036854775807', "x'00ff10'", '1.5']);
    assert.equal(await page.locator('[data-testid=result-grid] thead .col-type').nth(1).innerText(), 'text | null');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    assert.equal(csv.split('\r\n')[0], 'id,body,big,data,r');
    assert.equal(csv.split('\r\n')[3], '3,,9223372036854775807,AP8Q,1.5');
  }));

  test('an error is shown and marked where it is in the editor', b.page(async (page) => {
    await openConsole(page);
    await run(page, 'SELECT 1;\nSELECT body,\n  nope FROM notes');
    const error = page.getByTestId('sql-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Error on line 3/);
    assert.match(await error.innerText(), /no such column: nope/);
    // The underline sits on line 3, under the 4 characters of "nope" only.
    const mark = await box(page.locator('.monaco-editor .squiggly-error'));
    const line = await box(page.locator('.monaco-editor .view-line').filter({ hasText: /nope\sFROM/ }));
    assert.ok(mark && line, `mark ${JSON.stringify(mark)}, line ${JSON.stringify(line)}`);
    assert.ok(mark.y >= line.y - 2 && mark.y + mark.height <= line.y + line.height + 2, 'on the line of the error');
    const lineStart = (await page.locator('.monaco-editor .view-line').filter({ hasText: /nope\sFROM/ }).locator('span span').first().boundingBox())!;
    assert.ok(mark.width > 0 && mark.width < line.width / 2 && mark.x > lineStart.x, 'under the name, not the whole statement');

    await run(page, 'SELEC 1');
    await error.getByText(/syntax error/).waitFor();
    await page.locator('.monaco-editor .squiggly-error').waitFor();
  }));

  test('EXPLAIN QUERY PLAN shows the plan of the statement', b.page(async (page) => {
    await openConsole(page);
    await setEditorText(page, 'SELECT * FROM notes WHERE id = 2');
    await page.getByRole('button', { name: 'Explain query plan' }).click();
    await page.locator('.plan').getByText(/SEARCH notes USING INTEGER PRIMARY KEY/).waitFor();
  }));

  test('history keeps queries across a reload and puts one back in the editor', b.page(async (page) => {
    await openConsole(page);
    await run(page, 'SELECT count(*) AS n FROM notes');
    await page.locator('[data-testid=result-meta]').getByText('1 row').waitFor();
    await run(page, "SELECT 'second' AS s");
    await page.locator('[data-testid=result-grid]').getByText('second').waitFor();
    await page.reload();
    await waitForEditorText(page, "SELECT 'second' AS s"); // the draft survived the reload
    await page.getByRole('tab', { name: /History/ }).click();
    const items = page.locator('.history-item');
    assert.equal(await items.count() >= 2, true);
    assert.match(await items.nth(0).innerText(), /SELECT 'second' AS s/);
    await items.nth(1).click();
    await waitForEditorText(page, 'SELECT count(*) AS n FROM notes');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid=result-grid] .col-name').getByText('n', { exact: true }).waitFor();
  }));

  test('run as another user shows only the rows that user may see', b.page(async (page) => {
    await openConsole(page);
    await run(page, 'SELECT id, body FROM notes ORDER BY id');
    await page.locator('[data-testid=result-meta]').getByText('3 rows').waitFor();
    await page.getByLabel('Run as').selectOption({ label: 'bob (user)' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const meta = page.locator('[data-testid=result-meta]');
    await meta.getByText('1 row', { exact: true }).waitFor();
    await meta.getByText('as bob').waitFor();
    assert.deepEqual(await cells(page, 1), ['2', 'bob only']);
  }));

  test('"Why hidden?" names the policy that hides each row from the user', b.page(async (page) => {
    await openConsole(page);
    await setEditorText(page, 'SELECT 1;\nSELECT id, body FROM notes ORDER BY id');
    await page.getByLabel('Run as').selectOption({ label: 'bob (user)' });
    await page.getByRole('button', { name: 'Why hidden?' }).click();
    const why = page.getByTestId('why-hidden');
    await why.getByText('bob sees 1 of the 3 rows you see').waitFor();
    const rows = why.getByRole('region', { name: 'Hidden rows' }).locator('tbody tr');
    assert.equal(await rows.count(), 2);
    for (const i of [0, 1]) assert.match(await rows.nth(i).innerText(), /own notes/);
    assert.match(await rows.nth(0).innerText(), /first/);
    assert.match(await why.getByTestId('why-rewritten').innerText(), /_wce_rls_notes__user/);
    await why.getByRole('listitem').filter({ hasText: 'select on notes' }).waitFor();
  }));
});
