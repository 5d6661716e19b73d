/**
 * The API reference at /docs in a real browser: it renders /openapi.json under the UI's
 * strict policy (a CSP violation would be a console error), offline (the browser may reach
 * only 127.0.0.1), and works from the keyboard: `/` filters the routes, `j` moves to the next
 * operation, an address with an anchor opens at that operation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserWorld } from './browser.ts';

const b = new BrowserWorld();
before(() => b.start());
after(() => b.close());

describe('the API reference', () => {
  test('renders every tag and operation, with error codes and auth, and no console error', b.page(async (page) => {
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    await page.goto('/docs');
    await page.getByRole('heading', { name: /WCE API/ }).waitFor();
    const doc = await (await fetch(`${b.server.url}/openapi.json`)).json() as { paths: Record<string, object> };
    const operations = Object.values(doc.paths).reduce((n: number, item) => n + Object.keys(item).length, 0);
    assert.equal(await page.locator('.doc-op').count(), operations);
    const sql = page.locator('#post-cenv-sql');
    await sql.getByText('Run a statement, or a batch atomically, as the caller').waitFor();
    await sql.getByText('WCE_ERR_SQL_SYNTAX').waitFor();
    await sql.getByText(/credentials sent .* are checked/).waitFor();
    assert.match(await page.locator('#get-cenv-admin-users').innerText(), /Signed in: a bearer token, or the session cookie\./);
    assert.deepEqual(problems, []);
  }));

  test('/ filters the routes, j moves between operations, an anchor opens at its operation', b.page(async (page) => {
    await page.goto('/docs');
    await page.locator('.doc-op').first().waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'doc-filter');
    await page.keyboard.type('transfer');
    assert.equal(await page.locator('.doc-op').count(), 1);
    assert.equal(await page.locator('.doc-nav li').count(), 1);
    await page.keyboard.press('Escape');
    assert.ok(await page.locator('.doc-op').count() > 1);
    await page.keyboard.press('j');
    assert.equal(await page.evaluate("document.activeElement?.closest('.doc-op')?.id"), 'get-health');
    await page.keyboard.press('j');
    assert.equal(await page.evaluate("document.activeElement?.closest('.doc-op')?.id"), 'get-health-live');
    await page.goto('/docs#post-cenv-admin-policies');
    await page.locator('#post-cenv-admin-policies').waitFor();
    await page.waitForFunction("Math.abs(document.getElementById('post-cenv-admin-policies').getBoundingClientRect().top) < 40");
  }));
});
