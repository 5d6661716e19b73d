/**
 * How the server serves the web UI: HTML shells with boot data (escaped) and the UI's
 * Content-Security-Policy, never cached; /static/ assets immutable and precompressed; one
 * path serving JSON to API clients and the page to browsers (Accept constraint); no session
 * → the login page with the way back, an expired one → the same with `expired=1`; a role
 * without access or an unknown cenv → an HTML page that says so.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, createCenv, login, request, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { WEB_DIST } from '../../src/server/ui/shells.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let user: LoggedIn;

before(async () => {
  assert.ok(existsSync(path.join(WEB_DIST, 'landing.html')), 'web/dist is missing: run `npm run build:web` (npm install does this)');
  server = await startServer();
  cenv = await createCenv(server.url, { name: 'site' });
  owner = await login(server.url, 'site', cenv.username, cenv.password);
  await request(`${server.url}/site/admin/users`, { body: { username: 'ursula', password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
  user = await login(server.url, 'site', 'ursula', 'long enough pw');
});
after(() => server.close());

function get(url: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${url}`, { headers: { accept: HTML, ...headers }, redirect: 'manual' });
}

function bootOf(html: string): Record<string, any> {
  const match = /data-boot="([^"]*)"/.exec(html);
  assert.ok(match, 'the page carries boot data');
  const text = match[1].replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
  return JSON.parse(text);
}

describe('UI pages', () => {
  test('the landing page: HTML, UI policy, no-store, boot data, hashed assets', async () => {
    const response = await get('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const csp = response.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    assert.match(csp, /worker-src 'self';/, "Monaco's worker comes from /static/, never from a blob: URL");
    // The template preview is a srcdoc frame (no source needed); 'self' lets a link followed inside it show the real page.
    assert.match(csp, /frame-src 'self';/);
    const html = await response.text();
    assert.deepEqual(bootOf(html), { page: 'landing', allow_new_cenvs: true });
    assert.doesNotMatch(html, /<script>|<script(?![^>]*src=)[^>]*>/, 'no inline script');
    assert.match(html, /<script type="module" crossorigin src="\/static\/landing-[\w-]{8}\.js">/);
  });

  test('ALLOW_NEW_CENVS=false reaches the landing page', async () => {
    const closed = await startServer({ env: { ALLOW_NEW_CENVS: 'false' } });
    try {
      const html = await (await fetch(`${closed.url}/`)).text();
      assert.equal(bootOf(html).allow_new_cenvs, false);
    } finally {
      await closed.close();
    }
  });

  test('a signed-in page carries who, where and their preferences, escaped', async () => {
    await request(`${server.url}/site/me/prefs`, { method: 'PUT', body: { vim_mode: true }, headers: bearer(owner.token) });
    const response = await get('/site/dashboard', { cookie: owner.cookie });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.deepEqual(bootOf(html), {
      page: 'dashboard', cenv: { id: cenv.id, name: 'site', ref: 'site' },
      user: { id: owner.userId, username: cenv.username, role: 'owner' }, prefs: { vim_mode: true, theme: 'system' },
    });
    const name = `<script>"x'&</script>`;
    await request(`${server.url}/site/admin/users`, { body: { username: name, password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
    const nasty = await login(server.url, 'site', name, 'long enough pw');
    const page = await (await get('/site/dashboard', { cookie: nasty.cookie })).text();
    const attribute = /data-boot="([^"]*)"/.exec(page)![1];
    assert.doesNotMatch(attribute, /[<>'"]|&(?!#\d+;)/, 'every special character is an entity');
    assert.equal(bootOf(page).user.username, name);
  });

  test('one path, two answers: JSON for API clients, the page for a browser', async () => {
    const json = await fetch(`${server.url}/site/admin/users`, { headers: { cookie: owner.cookie } });
    assert.match(json.headers.get('content-type')!, /application\/json/);
    assert.ok(Array.isArray(((await json.json()) as { users: unknown }).users));
    const explicit = await fetch(`${server.url}/site/admin/users`, { headers: { cookie: owner.cookie, accept: 'application/json' } });
    assert.match(explicit.headers.get('content-type')!, /application\/json/);
    const page = await get('/site/admin/users', { cookie: owner.cookie });
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.equal(bootOf(await page.text()).page, 'users');
    const permissions = await get('/site/admin/permissions', { cookie: owner.cookie });
    assert.equal(bootOf(await permissions.text()).page, 'permissions');
  });

  test('no session: to the login page with the way back; an expired one says so', async () => {
    const none = await get('/site/admin/users?tab=x');
    assert.equal(none.status, 302);
    assert.equal(none.headers.get('location'), '/site/login?next=%2Fsite%2Fadmin%2Fusers%3Ftab%3Dx');
    const stale = await get('/site/dashboard', { cookie: 'wce_session=eyJhbGciOiJIUzI1NiJ9.e30.bad' });
    assert.equal(stale.status, 302);
    assert.equal(stale.headers.get('location'), '/site/login?next=%2Fsite%2Fdashboard&expired=1');
    const loginPage = await get('/site/login');
    assert.equal(loginPage.status, 200);
    assert.deepEqual(bootOf(await loginPage.text()), { page: 'login', cenv: { id: cenv.id, name: 'site', ref: 'site' } });
  });

  test('/{cenv}/ leads to the dashboard', async () => {
    for (const url of ['/site/', '/site', `/${cenv.id}/`]) {
      const response = await get(url);
      assert.equal(response.status, 302, url);
      assert.equal(response.headers.get('location'), `/${url.split('/')[1]}/dashboard`);
    }
  });

  test('a role without access and an unknown cenv get a page that says so', async () => {
    const denied = await get('/site/admin/users', { cookie: user.cookie });
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('content-type')!, /text\/html/);
    const boot = bootOf(await denied.text());
    assert.equal(boot.page, 'notice');
    assert.equal(boot.status, 403);
    assert.match(boot.message, /needs an owner or admin \(you are user\)/);
    assert.equal(boot.signed_in, true);
    assert.equal((await get('/site/dashboard', { cookie: user.cookie })).status, 200, 'users have a dashboard');
    for (const page of ['scripts', 'templates']) {
      assert.equal((await get(`/site/editor/${page}`, { cookie: user.cookie })).status, 403, `the ${page} editor is for owners and admins`);
      const response = await get(`/site/editor/${page}`, { cookie: owner.cookie });
      assert.equal(response.status, 200);
      assert.equal(bootOf(await response.text()).page, page);
    }
    // The JSON lists answer API clients; a browser navigation goes to their editor.
    for (const [list, editor] of [['endpoints', 'scripts'], ['templates', 'templates']]) {
      const navigation = await get(`/site/admin/${list}`, { cookie: owner.cookie });
      assert.equal(navigation.status, 302);
      assert.equal(navigation.headers.get('location'), `/site/editor/${editor}`);
      const json = await fetch(`${server.url}/site/admin/${list}`, { headers: { cookie: owner.cookie } });
      assert.equal(json.status, 200);
      assert.match(json.headers.get('content-type')!, /json/);
    }
    const unknown = await get('/no-such-cenv/dashboard');
    assert.equal(unknown.status, 404);
    assert.equal(bootOf(await unknown.text()).code, 'WCE_ERR_NOT_FOUND');
  });
});

describe('/static/ assets', () => {
  test('hashed, immutable for a year, precompressed by Accept-Encoding', async () => {
    const html = await (await get('/')).text();
    const script = /src="(\/static\/[^"]+\.js)"/.exec(html)![1];
    const br = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.match(br.headers.get('vary')!, /accept-encoding/i);
    assert.match(br.headers.get('content-type')!, /javascript/);
    assert.match(br.headers.get('content-security-policy')!, /worker-src 'self'/, 'assets (workers too) carry the UI policy');
    const gz = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    const plain = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.ok((await plain.text()).length > 0);
    assert.equal((await fetch(`${server.url}/static/nope-12345678.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/static/../package.json`)).status, 404);
  });
});
