/**
 * A tenant's page in a real browser (Debian's chromium through playwright-core): a visitor
 * signed in to cenv A opens a page of cenv B whose script tries to read A's cookies and call
 * A's admin API with the visitor's session. The tenant sandbox (CSP `sandbox` without
 * `allow-same-origin`) runs the script in an opaque origin: no cookie access, no storage,
 * and no request to A carries the session. Skipped where no chromium is installed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { PageWorld } from '../helpers/pages.ts';
import { createCenv, login, request, bearer } from '../helpers/server.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => existsSync(file));

const ATTACK = `<!doctype html><html><body><script>
(async () => {
  const out = {};
  try { out.cookie = document.cookie; } catch (e) { out.cookie = 'blocked: ' + e.name; }
  try { localStorage.setItem('x', '1'); out.storage = 'ok'; } catch (e) { out.storage = 'blocked: ' + e.name; }
  out.origin = String(window.origin);
  try {
    const response = await fetch('/{{ params.victim }}/admin/users', { credentials: 'include' });
    out.fetch = response.status + ' ' + (await response.text()).slice(0, 200);
  } catch (e) { out.fetch = 'blocked: ' + e.name; }
  document.body.setAttribute('data-result', JSON.stringify(out));
})();
</script></body></html>`;

let w: PageWorld;
let browser: Browser | null = null;
/** Requests that reached cenv A's admin API, and whether they carried a session cookie. */
const probes: Array<{ cookie: boolean }> = [];

before(async () => {
  if (!CHROMIUM) return;
  w = await PageWorld.start({
    extend: (app) => {
      app.addHook('onRequest', async (req) => {
        if (req.url.includes('/admin/users')) probes.push({ cookie: /wce_session=/.test(req.headers.cookie ?? '') });
      });
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await w?.close();
});

test('a page of cenv B cannot read cenv A\'s cookies or use the visitor\'s session on A', { skip: CHROMIUM ? false : 'no chromium installed' }, async () => {
  const victim = await createCenv(w.server.url, { name: `victim-${process.pid}` });
  const saved = await w.call('POST', '/admin/templates', { path: 'evil/:victim', source: ATTACK });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  const context = await browser!.newContext();
  const page = await context.newPage();
  // The visitor signs in to A: the session and CSRF cookies are set for /victim-….
  const signedIn = await context.request.post(`${w.server.url}/${victim.name}/login`, { data: { username: victim.username, password: victim.password } });
  assert.equal(signedIn.status(), 200);
  const own = await page.goto(`${w.server.url}/${victim.name}/sessions`);
  assert.equal(own?.status(), 200, 'the session works for A itself');
  probes.length = 0;

  const response = await page.goto(`${w.server.url}/${w.name}/pages/evil/${victim.name}`);
  assert.match(response!.headers()['content-security-policy'], /^sandbox allow-scripts/);
  const handle = await page.waitForSelector('body[data-result]', { state: 'attached', timeout: 10_000 });
  const result = JSON.parse((await handle.getAttribute('data-result'))!) as Record<string, string>;
  assert.match(result.cookie, /^blocked: SecurityError/);
  assert.match(result.storage, /^blocked: SecurityError/);
  assert.equal(result.origin, 'null');
  assert.doesNotMatch(result.fetch, /^200/);
  assert.ok(probes.every((p) => !p.cookie), 'no request to A carried the session cookie');

  // Nothing was changed on A behind the visitor's back.
  const owner = await login(w.server.url, victim.name!, victim.username, victim.password);
  const users = await request(`${w.server.url}/${victim.name}/admin/users`, { headers: bearer(owner.token) });
  assert.equal(users.body.users.length, 1);
  await context.close();
});
