/**
 * The way in, in a real browser: create a cenv from the landing page, follow it to the
 * login page, see a wrong password refused inline, log in, land on the dashboard; a page
 * opened without a session sends you to the login and back; logout ends the session and an
 * ended session returns to the login page; a person changes their own password from their
 * name in the top bar, which a phone shows too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserWorld } from './browser.ts';

const b = new BrowserWorld();
before(() => b.start());
after(() => b.close());

describe('landing and login', () => {
  test('create a cenv on the landing page, then log in to its dashboard', b.page(async (page) => {
    await page.goto('/');
    await page.getByLabel('Owner username').fill('ada');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Name (optional)').fill('garden');
    await page.getByRole('button', { name: 'Create cenv' }).click();
    await page.getByText('Your cenv is ready').waitFor();
    assert.match(await page.locator('.cenv-url').textContent() ?? '', /\/garden\/$/);
    await page.getByRole('link', { name: 'Continue to log in' }).click();
    await page.waitForURL(/\/garden\/login\?username=ada/);
    assert.equal(await page.getByLabel('Username').inputValue(), 'ada');

    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    assert.match(page.url(), /\/garden\/login/, 'a failed login stays on the page');

    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/garden\/dashboard$/);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('garden', { exact: true }).first().waitFor();
  }));

  test('a taken name is refused next to the field', b.page(async (page) => {
    await page.goto('/');
    await page.getByLabel('Owner username').fill('bea');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Name (optional)').fill('garden');
    await page.getByRole('button', { name: 'Create cenv' }).click();
    const error = page.locator('#name-error');
    await error.waitFor();
    assert.match(await error.textContent() ?? '', /taken|exists|another name/i);
  }));

  test('without a session a page leads to the login and back; logout and an ended session return there', b.page(async (page) => {
    await page.goto('/garden/admin/users');
    await page.waitForURL(/\/garden\/login\?next=%2Fgarden%2Fadmin%2Fusers$/);
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/garden\/admin\/users$/);
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    // The session ends elsewhere (all sessions revoked): the next API call returns to the login.
    const csrf = (await page.context().cookies()).find((c) => c.name === 'wce_csrf')!.value;
    const revoked = await page.evaluate(async (token) => (await fetch('/garden/sessions', { method: 'DELETE', headers: { 'x-csrf-token': token } })).status, csrf);
    assert.equal(revoked, 200);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Username').fill('carl');
    await page.getByLabel('Password').fill('long enough pw');
    await page.getByRole('button', { name: 'Add user' }).last().click();
    await page.waitForURL(/\/garden\/login\?next=.*expired=1/);
    await page.getByText('Your session ended').waitFor();

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/garden\/admin\/users$/);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/garden\/login$/);
    await page.goto('/garden/dashboard');
    await page.waitForURL(/\/garden\/login\?next=/);
  }));

  test('change your own password from your name in the top bar: mistakes shown by their fields, then it works', b.page(async (page) => {
    await page.goto('/garden/login');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/garden\/dashboard$/);
    await page.getByRole('button', { name: /^Your account: ada, owner$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Your account' });
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password', { exact: true }).fill('a new long password');
    await dialog.getByLabel('New password, again').fill('a new long passwort');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('The two new passwords differ').waitFor();
    assert.equal(await dialog.getByLabel('New password, again').getAttribute('aria-invalid'), 'true');

    await dialog.getByLabel('New password, again').fill('a new long password');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('That is not your current password.').waitFor();
    assert.equal(await dialog.getByLabel('Current password').getAttribute('aria-invalid'), 'true');

    await dialog.getByLabel('Current password').fill('correct horse battery');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText(/^Password changed/).waitFor();
    assert.equal(await dialog.isVisible(), false, 'the dialog closed');
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.match(page.url(), /\/garden\/dashboard$/, 'this session goes on');

    const login = (password: string) => page.evaluate(async (pw) => (await fetch('/garden/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: pw }),
    })).status, password);
    assert.equal(await login('correct horse battery'), 401, 'the old password is refused');
    assert.equal(await login('a new long password'), 200);
  }));

  test('on a phone the account button still names you, fits the screen and opens your account', async () => {
    const ctx = await b.context({ width: 390, height: 800 });
    try {
      const page = await ctx.newPage();
      await page.goto('/garden/login');
      await page.getByLabel('Username').fill('ada');
      await page.getByLabel('Password').fill('a new long password');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/garden\/dashboard$/);
      const button = page.getByRole('button', { name: /^Your account: ada, owner$/ });
      assert.ok(await button.locator('.whoami-name').isVisible(), 'the name is shown, not only the role');
      const box = (await button.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `inside the screen: ${JSON.stringify(box)}`);
      await button.click();
      await page.getByRole('dialog', { name: 'Your account' }).getByText('Signed in as').waitFor();
    } finally {
      await ctx.close();
    }
  });
});
