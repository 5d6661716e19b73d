/**
 * Tenant content never runs in WCE's origin, shown in a real browser. A visitor signed in to
 * cenv "victim" opens a page that cenv "evil" serves from a Starlark endpoint; the page's
 * script tries to read the visitor's CSRF cookie and to call the victim's JSON API with the
 * visitor's session. Served as tenant content (CSP sandbox without allow-same-origin), it runs
 * in an opaque origin: the cookie is out of reach and the API answers without the session.
 * The same script run in WCE's own origin (the control) does both, so the test shows the
 * defence, not a broken attack.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserWorld } from './browser.ts';
import { createCenv, login, request, bearer } from '../helpers/server.ts';

const b = new BrowserWorld();
before(() => b.start());
after(() => b.close());

/** The attack: what a tenant page would try, reporting what it got. */
const ATTACK = `(async () => {
  const out = {};
  try { out.cookie = document.cookie; } catch (e) { out.cookie = 'refused: ' + e.name; }
  try {
    const res = await fetch('/victim/sessions', { credentials: 'include' });
    out.status = res.status;
    out.body = await res.text();
  } catch (e) { out.status = 'refused: ' + e.name; }
  return out;
})()`;

test('a tenant page cannot read the CSRF cookie or call another cenv with the visitor\'s session', b.page(async (page) => {
  const server = b.server;
  await createCenv(server.url, { name: 'victim', username: 'vera', password: 'correct horse battery' });
  const evil = await createCenv(server.url, { name: 'evil', username: 'eve', password: 'correct horse battery' });
  const eve = await login(server.url, evil.id, 'eve', 'correct horse battery');
  const source = `def handle(req):\n    return response(body = ${JSON.stringify(`<!doctype html><title>gift</title><pre id="out">waiting</pre><p id="lib">not loaded</p><script src="/evil/api/lib.js"></script><script>${ATTACK}.then((r) => { document.getElementById('out').textContent = JSON.stringify(r); });</script>`)}, headers = {"content-type": "text/html"})\n`;
  const created = await request(`${server.url}/evil/admin/endpoints`, { body: { method: 'GET', path: '/gift', access: 'public', source }, headers: bearer(eve.token) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // The page may still use its own cenv's scripts (they are cross-origin to its opaque origin).
  const lib = `def handle(req):\n    return response(body = "document.getElementById('lib').textContent = 'loaded';", headers = {"content-type": "text/javascript"})\n`;
  assert.equal((await request(`${server.url}/evil/admin/endpoints`, { body: { method: 'GET', path: '/lib.js', access: 'public', source: lib }, headers: bearer(eve.token) })).status, 201);

  // The visitor signs in to the victim cenv in this browser (session and CSRF cookies set).
  await page.goto('/victim/login');
  await page.getByLabel('Username').fill('vera');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/victim\/dashboard$/);

  // Control: in WCE's own origin the same script reads the cookie and the API.
  const control = await page.evaluate(ATTACK) as { cookie: string; status: number; body: string };
  assert.match(control.cookie, /wce_csrf=/, 'from WCE\'s origin the CSRF cookie is readable (by design)');
  assert.equal(control.status, 200);
  assert.match(control.body, /"sessions"/);

  // The tenant page: sandboxed, opaque origin.
  const response = await page.goto('/evil/api/gift');
  assert.match(response!.headers()['content-security-policy'], /^sandbox allow-scripts/);
  await page.locator('#out').filter({ hasNotText: 'waiting' }).waitFor();
  const attack = JSON.parse(await page.locator('#out').textContent() ?? '{}') as { cookie: string; status: number | string; body?: string };
  assert.match(attack.cookie, /^refused: SecurityError/, 'document.cookie is refused in the sandbox');
  assert.ok(attack.status !== 200, `the victim's API must not answer the tenant page with the session (got ${attack.status})`);
  assert.doesNotMatch(attack.body ?? '', /"sessions"/);
  assert.equal(await page.evaluate('window.origin'), 'null', 'the tenant page runs in an opaque origin');
  assert.equal(await page.locator('#lib').textContent(), 'loaded', 'a script from its own cenv loads');
}));
