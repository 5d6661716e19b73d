/**
 * Vim mode in a real browser: turn it on in the console, edit with vim keys (`i…<Esc>`,
 * `o`, `dd`, `:w`), see `:w` run what is left, and find vim mode still on after a reload —
 * the preference is stored on the server (`PUT /{cenv}/me/prefs`), not in the browser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCenv, login, request, bearer } from '../helpers/server.ts';
import { BrowserWorld, signIn, waitForEditorText } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };

before(async () => {
  await b.start();
  owner = await createCenv(b.server.url, { name: 'vimmer' });
});
after(() => b.close());

describe('vim mode', () => {
  test('toggle, edit with vim keys, :w runs, and the mode survives a reload', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'vimmer', owner.username, owner.password);
    await page.goto('/vimmer/console');
    await page.locator('.monaco-editor').waitFor();
    const status = page.getByTestId('vim-status');
    const toggle = page.getByRole('checkbox', { name: 'Vim mode' });
    assert.equal(await toggle.isChecked(), false);

    await toggle.check();
    await status.getByText('--NORMAL--').waitFor();
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Escape');
    await page.keyboard.type('ggdG');                         // delete everything
    await page.keyboard.type('i');
    await status.getByText('--INSERT--').waitFor();
    await page.keyboard.type("SELECT 'hello' AS greeting");
    await page.keyboard.press('Escape');
    await status.getByText('--NORMAL--').waitFor();
    await page.keyboard.type('o');
    await page.keyboard.type('this line is junk');
    await page.keyboard.press('Escape');
    await page.keyboard.type('dd');                           // the junk line goes
    await page.keyboard.type('v');
    await status.getByText('--VISUAL--').waitFor();
    await page.keyboard.press('Escape');
    await waitForEditorText(page, "SELECT 'hello' AS greeting");

    await page.keyboard.type(':w');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=result-grid]').getByText('hello', { exact: true }).waitFor();

    const o = await login(b.server.url, 'vimmer', owner.username, owner.password);
    const prefs = await request(`${b.server.url}/vimmer/me/prefs`, { headers: bearer(o.token) });
    assert.equal(prefs.body.prefs.vim_mode, true, 'saved on the server');

    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await status.getByText('--NORMAL--').waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Vim mode' }).isChecked(), true);
  }));
});
