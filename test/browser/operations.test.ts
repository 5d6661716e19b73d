/**
 * The settings and audit pages in a real browser: the owner changes a setting and the API
 * has it; a value the API refuses is shown with its reason and nothing is saved; a setting
 * is reset to the server value; an admin sees the settings read-only; the audit log lists
 * those changes, filters by action, loads older entries, and downloads as CSV.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCenv, login, request, bearer, type LoggedIn } from '../helpers/server.ts';
import { BrowserWorld, signIn } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };
let ownerToken: LoggedIn;

const config = async () => (await request(`${b.server.url}/ops/admin/config`, { headers: bearer(ownerToken.token) })).body.settings as Array<{ key: string; value: unknown; source: string }>;
const setting = async (key: string) => (await config()).find((s) => s.key === key)!;

before(async () => {
  await b.start();
  owner = await createCenv(b.server.url, { name: 'ops' });
  ownerToken = await login(b.server.url, 'ops', owner.username, owner.password);
  const added = await request(`${b.server.url}/ops/admin/users`, { body: { username: 'ada', password: 'long enough pw', role: 'admin' }, headers: bearer(ownerToken.token) });
  assert.equal(added.status, 201);
});
after(() => b.close());

describe('settings page', () => {
  test('the owner changes a setting, a refused value is explained and saves nothing, a reset returns to the server value', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'ops', owner.username, owner.password);
    await page.goto('/ops/admin/config');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('max_rows', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved: max_rows').waitFor();
    assert.deepEqual([(await setting('max_rows')).value, (await setting('max_rows')).source], [7, 'cenv']);
    await page.getByRole('row', { name: /max_rows/ }).getByText('this cenv').waitFor();

    await page.getByLabel('sql_timeout_ms', { exact: true }).fill('soon');
    await page.getByLabel('max_rows', { exact: true }).fill('9');
    await page.getByRole('button', { name: 'Save 2 changes' }).click();
    await page.getByRole('alert').getByText(/Nothing was saved: sql_timeout_ms must be a whole number/).waitFor();
    assert.equal(await page.getByLabel('sql_timeout_ms', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal((await setting('max_rows')).value, 7, 'all or nothing: max_rows was not written either');
    await page.getByRole('button', { name: 'Discard' }).click();

    await page.getByRole('button', { name: 'Reset max_rows to the server value' }).click();
    await page.getByRole('status').getByText('max_rows follows the server value again').waitFor();
    assert.equal((await setting('max_rows')).source, 'default');
    assert.equal(await page.getByLabel('max_rows', { exact: true }).inputValue(), '1000');
  }));

  test('an admin sees the settings but cannot change them', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'ops', 'ada', 'long enough pw');
    await page.goto('/ops/admin/config');
    await page.getByText('Only the owner changes settings.').waitFor();
    assert.equal(await page.getByLabel('max_rows', { exact: true }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
  }));
});

describe('audit page', () => {
  test('lists the changes, filters by action, loads older entries and downloads CSV', b.page(async (page) => {
    for (let i = 0; i < 105; i++) {
      const res = await request(`${b.server.url}/ops/sql`, { body: { sql: i === 0 ? 'CREATE TABLE t (x)' : `INSERT INTO t VALUES (${i})` }, headers: bearer(ownerToken.token) });
      assert.equal(res.status, 200);
    }
    await signIn(page.context(), b.server.url, 'ops', owner.username, owner.password);
    await page.goto('/ops/admin/audit');
    const table = page.getByRole('region', { name: 'Audit log entries, newest first' });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), 101, 'a header and the newest 100');
    await page.getByRole('button', { name: 'Load older entries' }).click();
    await table.getByRole('row').nth(101).waitFor();

    await page.getByLabel('Action').fill('config_changed');
    await page.getByRole('button', { name: 'Filter' }).click();
    // A string, evaluated in the page (this file is type-checked without the DOM's types).
    await page.waitForFunction("[...document.querySelectorAll('tbody tr')].every((tr) => tr.textContent.includes('config_changed'))");
    assert.ok(await table.getByRole('row').count() >= 2);

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(file.suggestedFilename(), /^ops-audit-.*Z\.csv$/);
    const lines = readFileSync((await file.path())!, 'utf8').trim().split('\r\n');
    assert.equal(lines[0], 'id,at,user_id,username,action,table,row_count,statement,detail,ip,user_agent');
    assert.ok(lines.slice(1).every((line) => line.includes(',config_changed,')), 'the download has the filter applied');
  }));
});
