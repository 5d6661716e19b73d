/**
 * `npm run screenshots`: every UI page in light and dark at 1280×800 and the pages without
 * an editor on a 390-px-wide phone, written to docs/ui/*.png (the README shows them). A real
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
  const call = (p: string, body: unknown, method = 'POST') => request(`${server.url}/journal${p}`, { method, body, headers: bearer(o.token) });
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
  await login(server.url, 'journal', 'bob', 'long enough pw');
  return owner;
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
  { name: 'notice', url: '/journal/admin/users', signed: false, phone: false, ready: (p) => p.getByRole('heading', { name: 'You cannot open this page' }).waitFor() },
];

try {
  await seed();
  const bobCookies = await login(server.url, 'journal', 'bob', 'long enough pw');
  for (const scene of scenes) {
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
