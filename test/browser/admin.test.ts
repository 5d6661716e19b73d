/**
 * The admin pages in a real browser: add a user on the users page, grant them a table on
 * the permissions page, and see the grant work (that user can now read the table); change
 * a role; a row policy with a bad expression is refused next to the expression and a good
 * one is saved; a user opening an admin page sees a page saying why not; the keyboard
 * shortcuts (`?` lists them, `g` then a letter navigates) and the theme switch, kept across a
 * reload.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCenv, login, request, bearer } from '../helpers/server.ts';
import { BrowserWorld, signIn } from './browser.ts';

const b = new BrowserWorld();
let owner = { username: '', password: '' };

before(async () => {
  await b.start();
  owner = await createCenv(b.server.url, { name: 'club' });
  const o = await login(b.server.url, 'club', owner.username, owner.password);
  const created = await request(`${b.server.url}/club/sql`, { body: { sql: 'CREATE TABLE events (id INTEGER PRIMARY KEY, host TEXT, title TEXT)' }, headers: bearer(o.token) });
  assert.equal(created.status, 200);
});
after(() => b.close());

describe('users and permissions pages', () => {
  test('add a user, grant them a table, and the grant works', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/admin/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Username').fill('dora');
    await dialog.getByLabel('Password').fill('long enough pw');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').getByText('User dora added').waitFor();
    const row = page.getByRole('row', { name: /dora/ });
    assert.equal(await row.getByRole('combobox', { name: 'Role of dora' }).inputValue(), 'user');

    await page.getByRole('link', { name: 'Permissions' }).click();
    await page.getByRole('heading', { name: 'Table grants' }).waitFor();
    await page.getByLabel('Add a column for one user').selectOption({ label: 'dora' });
    await page.getByRole('checkbox', { name: 'dora may select on events' }).check();
    await page.getByRole('status').getByText('dora may now select rows of events').waitFor();
    await page.getByRole('checkbox', { name: 'dora may select on events' }).and(page.locator(':checked')).waitFor();

    const dora = await login(b.server.url, 'club', 'dora', 'long enough pw');
    const read = await request(`${b.server.url}/club/sql`, { body: { sql: 'SELECT count(*) FROM events' }, headers: bearer(dora.token) });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    const write = await request(`${b.server.url}/club/sql`, { body: { sql: "INSERT INTO events (title) VALUES ('x')" }, headers: bearer(dora.token) });
    assert.equal(write.status, 403, 'only select was granted');

    // A second operation changes dora's grant in place (one PUT: same grant, never revoked in
    // between); taking the last one away deletes it.
    const ownerToken = (await login(b.server.url, 'club', owner.username, owner.password)).token;
    const doraGrants = async () => ((await request(`${b.server.url}/club/admin/permissions`, { headers: bearer(ownerToken) })).body.permissions as Array<{ id: number; user_id: string | null; operations: string[] }>)
      .filter((g) => g.user_id === dora.userId);
    const [first] = await doraGrants();
    await page.getByRole('checkbox', { name: 'dora may insert on events' }).check();
    await page.getByRole('status').getByText('dora may now insert rows of events').waitFor();
    assert.deepEqual((await doraGrants()).map((g) => [g.id, g.operations]), [[first.id, ['select', 'insert']]]);
    await page.getByRole('checkbox', { name: 'dora may insert on events' }).uncheck();
    await page.getByRole('status').getByText('dora may no longer insert on events').waitFor();
    await page.getByRole('checkbox', { name: 'dora may select on events' }).uncheck();
    await page.getByRole('status').getByText('dora may no longer select on events').waitFor();
    assert.deepEqual(await doraGrants(), [], 'no operation left: no grant');

    await page.getByRole('checkbox', { name: 'every user may insert on events' }).check();
    await page.getByRole('status').getByText('every user may now insert rows of events').waitFor();
  }));

  test('a row policy is validated on save', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/admin/permissions');
    await page.getByRole('button', { name: 'Add a policy on events' }).click();
    const dialog = page.getByRole('dialog', { name: 'New policy on events' });
    await dialog.getByLabel('Name').fill('own events');
    await dialog.getByRole('textbox', { name: /USING/ }).fill('hostt = $user_id');
    await dialog.getByRole('button', { name: 'Validate and save' }).click();
    await dialog.getByRole('alert').getByText(/no such column: hostt/).waitFor();
    assert.equal(await dialog.getByRole('textbox', { name: /USING/ }).getAttribute('aria-invalid'), 'true');
    await dialog.getByRole('textbox', { name: /USING/ }).fill('');
    await dialog.getByRole('button', { name: 'host', exact: true }).first().click();
    await dialog.getByRole('textbox', { name: /USING/ }).press('End');
    await dialog.getByRole('textbox', { name: /USING/ }).pressSequentially(' = ');
    await dialog.getByRole('button', { name: '$user_id' }).first().click();
    assert.equal(await dialog.getByRole('textbox', { name: /USING/ }).inputValue(), 'host = $user_id');
    await dialog.getByRole('button', { name: 'Validate and save' }).click();
    await page.locator('.policy-list').getByText('own events').waitFor();
    await page.locator('.policy-list').getByText('host = $user_id').waitFor();
  }));

  test('the policy editor shows who gains or loses rows before saving', b.page(async (page) => {
    const o = await login(b.server.url, 'club', owner.username, owner.password);
    const call = async (path: string, body: unknown) => {
      const r = await request(`${b.server.url}/club${path}`, { body, headers: bearer(o.token) });
      assert.ok(r.status < 300, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const eve = await call('/admin/users', { username: 'eve', password: 'long enough pw', role: 'user' });
    await call('/sql', { sql: 'CREATE TABLE rsvps (id INTEGER PRIMARY KEY, guest TEXT, public INTEGER)' });
    await call('/sql', { sql: 'INSERT INTO rsvps (guest, public) VALUES (?, 1), (?, 0), (?, 1)', params: [eve.id, eve.id, 'someone'] });
    await call('/admin/permissions', { table: 'rsvps', role: 'user', operations: ['select'] });

    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/admin/permissions');
    await page.getByRole('button', { name: 'Add a policy on rsvps' }).click();
    const dialog = page.getByRole('dialog', { name: 'New policy on rsvps' });
    await dialog.getByLabel('Name').fill('public ones');
    await dialog.getByRole('textbox', { name: /USING/ }).fill('public = 1');
    const preview = dialog.getByTestId('policy-preview');
    await preview.getByText(/eve would see fewer/).waitFor();
    const eveRow = preview.getByRole('row', { name: /eve/ });
    assert.deepEqual((await eveRow.locator('td').allInnerTexts()).map((t) => t.trim()), ['3', '2', '−1']);
    // A draft that does not validate says why, before anything is saved.
    await dialog.getByRole('textbox', { name: /USING/ }).fill('publik = 1');
    await preview.getByText(/no such column: publik/).waitFor();
    await dialog.getByRole('textbox', { name: /USING/ }).fill('public = 1 OR guest = $user_id');
    await preview.getByText(/Nobody gains or loses a row|would see fewer/).waitFor();
    await preview.getByRole('row', { name: /eve/ }).waitFor({ state: 'detached' }); // eve keeps all 3: her own row and the public ones
    assert.equal((await request(`${b.server.url}/club/admin/policies`, { headers: bearer(o.token) })).body.policies.some((p: { name: string }) => p.name === 'public ones'), false, 'nothing saved yet');
    await dialog.getByRole('button', { name: 'Validate and save' }).click();
    await page.locator('.policy-list').getByText('public ones').waitFor();
  }));

  test('a user opening an admin page is told why not', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', 'dora', 'long enough pw');
    const response = await page.goto('/club/admin/users');
    assert.equal(response?.status(), 403);
    await page.getByRole('heading', { name: 'You cannot open this page' }).waitFor();
    await page.getByText(/needs an owner or admin \(you are user\)/).waitFor();
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByText('Welcome, dora').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'no admin links for users');
  }));

  test('keyboard shortcuts and the theme switch', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/dashboard');
    await page.getByRole('heading', { name: 'Recent activity' }).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Go to Users').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('g');
    await page.keyboard.press('u');
    await page.waitForURL(/\/club\/admin\/users$/);

    const theme = () => page.evaluate('document.documentElement.dataset.theme ?? "system"');
    assert.equal(await theme(), 'system');
    await page.getByRole('button', { name: /Theme: system/ }).click();
    await page.getByRole('button', { name: /Theme: light/ }).waitFor();
    assert.equal(await theme(), 'light');
    await page.getByRole('button', { name: /Theme: light/ }).click();
    await page.getByRole('button', { name: /Theme: dark/ }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: /Theme: dark/ }).waitFor();
    assert.equal(await theme(), 'dark', 'the theme is a saved preference');
  }));
});

describe('dashboard', () => {
  test('recent activity shows a write as it happens (live, from the event stream)', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/dashboard');
    await page.getByTestId('live-status').getByText('Live', { exact: true }).waitFor();
    const o = await login(b.server.url, 'club', owner.username, owner.password);
    const sql = "INSERT INTO events (host, title) VALUES ('live', 'written while watching')";
    assert.equal((await request(`${b.server.url}/club/sql`, { body: { sql }, headers: bearer(o.token) })).status, 200);
    // No reload, no click: the audit entry of that write appears, highlighted.
    const entry = page.locator('tr.fresh').filter({ hasText: 'written while watching' });
    await entry.waitFor({ timeout: 8000 });
    assert.match(await entry.innerText(), /insert/);
    await page.getByRole('status').getByText(/new entr(y|ies) just arrived/).waitFor();
  }));

  test('a session ended elsewhere takes the open dashboard to the login, without a click', b.page(async (page) => {
    await signIn(page.context(), b.server.url, 'club', owner.username, owner.password);
    await page.goto('/club/dashboard');
    await page.getByTestId('live-status').getByText('Live', { exact: true }).waitFor();
    const o = await login(b.server.url, 'club', owner.username, owner.password);
    assert.equal((await request(`${b.server.url}/club/sessions`, { method: 'DELETE', headers: bearer(o.token) })).status, 200);
    await page.waitForURL(/\/club\/login\?next=.*expired=1/, { timeout: 8000 });
    await page.getByText('Your session ended').waitFor();
  }));
});
