/**
 * Route-level access: a cenv route declares `config.access` and the cenv scope enforces it,
 * for every caller (anonymous, each role, another cenv's owner, a cookie without its CSRF
 * header). A route that declares nothing cannot even be registered. Also: the security
 * headers by route kind, and the tenant kind's sandbox that a handler cannot remove.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import type { Access } from '../../src/server/types.ts';

const LEVELS: Access[] = ['none', 'anonymous', 'user', 'admin', 'owner'];

async function probeRoutes(app: FastifyInstance): Promise<void> {
  for (const access of LEVELS) {
    app.get(`/probe/${access}`, { config: { access } }, async (request) => ({ role: request.caller.principal.role }));
    app.post(`/probe/${access}`, { config: { access } }, async (request) => ({ role: request.caller.principal.role }));
  }
  app.get('/probe/tenant', { config: { access: 'anonymous', kind: 'tenant' } }, async (_request, reply) => {
    // A tenant handler trying to lift its own sandbox.
    reply.header('content-security-policy', "default-src *; script-src 'unsafe-inline'");
    reply.header('x-frame-options', 'ALLOWALL');
    return reply.type('text/html').send('<script>document.cookie</script>');
  });
  app.get('/probe/ui', { config: { access: 'none', kind: 'ui' } }, async (_request, reply) => reply.type('text/html').send('<p>ui</p>'));
}

describe('route-level access', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let other: NewCenv;
  const who: Record<string, LoggedIn | null> = { anonymous: null };
  before(async () => {
    server = await startServer({ cenvRoutes: [probeRoutes] });
    cenv = await createCenv(server.url);
    other = await createCenv(server.url);
    who.owner = await login(server.url, cenv.id, cenv.username, cenv.password);
    for (const [username, role] of [['adam', 'admin'], ['ursula', 'user']]) {
      const res: { status: number } = await request(`${server.url}/${cenv.id}/admin/users`, { body: { username, password: 'long enough pw', role }, headers: bearer(who.owner!.token) });
      assert.equal(res.status, 201);
    }
    who.admin = await login(server.url, cenv.id, 'adam', 'long enough pw');
    who.user = await login(server.url, cenv.id, 'ursula', 'long enough pw');
    who.stranger = await login(server.url, other.id, other.username, other.password);
  });
  after(() => server.close());

  // [access level, caller] → expected status of GET /probe/{level}
  const expected: Record<Access, Record<string, number>> = {
    none: { anonymous: 200, user: 200, admin: 200, owner: 200, stranger: 200 },
    anonymous: { anonymous: 200, user: 200, admin: 200, owner: 200, stranger: 401 },
    user: { anonymous: 401, user: 200, admin: 200, owner: 200, stranger: 401 },
    admin: { anonymous: 401, user: 403, admin: 200, owner: 200, stranger: 401 },
    owner: { anonymous: 401, user: 403, admin: 403, owner: 200, stranger: 401 },
  };
  for (const access of LEVELS) {
    for (const [caller, status] of Object.entries(expected[access])) {
      test(`access '${access}': ${caller} → ${status}`, async () => {
        const login = who[caller];
        const res = await request(`${server.url}/${cenv.id}/probe/${access}`, { headers: login ? bearer(login.token) : {} });
        assert.equal(res.status, status, JSON.stringify(res.body));
        const role = access === 'none' || caller === 'anonymous' || caller === 'stranger' ? 'anonymous' : caller;
        if (status === 200) assert.equal(res.body.role, role, 'the route sees the principal the scope built');
        else assert.match(res.body.error.code, status === 401 ? /WCE_ERR_UNAUTHORIZED/ : /WCE_ERR_FORBIDDEN/);
      });
    }
  }

  test('a cookie-authenticated POST without the CSRF header is refused on every level that authenticates', async () => {
    for (const access of ['anonymous', 'user', 'admin', 'owner'] as const) {
      const res = await request(`${server.url}/${cenv.id}/probe/${access}`, { method: 'POST', body: {}, headers: { cookie: who.owner!.cookie } });
      assert.equal(res.status, 403, access);
      assert.equal(res.body.error.code, 'WCE_ERR_CSRF');
      const ok = await request(`${server.url}/${cenv.id}/probe/${access}`, { method: 'POST', body: {}, headers: { cookie: who.owner!.cookie, 'x-csrf-token': who.owner!.csrf } });
      assert.equal(ok.status, 200, access);
    }
  });

  test('a cenv route without config.access stops the server at startup', async () => {
    await assert.rejects(startServer({ cenvRoutes: [async (app) => { app.get('/open-by-omission', async () => ({})); }] }), /must declare config\.access/);
  });

  test('security headers follow the route kind; a tenant handler cannot lift its sandbox', async () => {
    const api = await request(`${server.url}/${cenv.id}/probe/none`);
    assert.match(api.headers.get('content-security-policy')!, /^default-src 'none'/);
    assert.equal(api.headers.get('x-frame-options'), 'DENY');
    const ui = await request(`${server.url}/${cenv.id}/probe/ui`);
    assert.match(ui.headers.get('content-security-policy')!, /script-src 'self'/);
    assert.doesNotMatch(ui.headers.get('content-security-policy')!, /unsafe-eval|script-src[^;]*unsafe-inline/);
    const tenant = await request(`${server.url}/${cenv.id}/probe/tenant`);
    const csp = tenant.headers.get('content-security-policy')!;
    assert.match(csp, /^sandbox allow-scripts allow-forms allow-popups allow-top-navigation-by-user-activation;/);
    assert.doesNotMatch(csp, /allow-same-origin|unsafe-inline/);
    assert.equal(tenant.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(tenant.headers.get('x-content-type-options'), 'nosniff');
    for (const res of [api, ui, tenant]) {
      assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
      assert.match(res.headers.get('permissions-policy')!, /camera=\(\)/);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
  });
});
