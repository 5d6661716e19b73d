/**
 * The OpenAPI document at /openapi.json is valid OpenAPI 3.1 (test/helpers/openapi-shape.ts)
 * and complete: every API route the server registers is in it, with a summary, a tag, a
 * success response with a schema and the error codes it answers with; nothing is documented
 * that does not exist. UI pages and /static/ are left out on purpose (kind 'ui').
 *
 * That the response schemas are true is checked elsewhere: every test server checks each
 * JSON reply against its route's schema (src/server/openapi/response-check.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { ERROR_CODES } from '../../src/errors.ts';
import { UNTAGGED } from '../../src/server/openapi/operations.ts';
import { clusterRoutes, type ClusterRouteParts } from '../../src/cluster/routes.ts';
import { startServer, request, type TestServer } from '../helpers/server.ts';
import { openApiProblems } from '../helpers/openapi-shape.ts';

let server: TestServer;
let doc: any;
const routes: RouteOptions[] = [];

/** The cluster's routes exist only in cluster mode; here they are added as they are there, to be documented too. */
const clusterParts = { nodeId: 'n1', view: {}, local: () => ({}), hopOf: () => undefined } as unknown as ClusterRouteParts;

before(async () => {
  server = await startServer({ onRoute: (route) => routes.push(route), extend: async (app) => { await app.register(clusterRoutes(clusterParts)); } });
  const res = await request(`${server.url}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  doc = res.body;
});
after(() => server.close());

/** `/:cenv/admin/modules/*` → `/{cenv}/admin/modules/{name}`, as the document writes paths. */
function documentedPath(url: string): string {
  const named = url.endsWith('*') ? `${url.slice(0, -1)}:${url.includes('/admin/modules/') ? 'name' : 'path'}` : url;
  return named.replace(/:(\w+)/g, '{$1}');
}

/** Every API route: [method, documented path]. */
function apiRoutes(): Array<[string, string]> {
  return routes.filter((r) => r.config?.kind !== 'ui').flatMap((r) => [r.method].flat()
    .filter((m) => m !== 'HEAD').map((m): [string, string] => [m.toLowerCase(), documentedPath(r.url)]));
}

function operations(): Array<[string, string, any]> {
  return Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
    Object.entries(item).filter(([m]) => m !== 'parameters').map(([method, op]): [string, string, any] => [method, path, op]));
}

test('the document is valid OpenAPI 3.1', () => {
  assert.deepEqual(openApiProblems(doc), []);
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'cookie', 'csrf', 'operator']);
  assert.deepEqual(doc.components.securitySchemes.cookie, { type: 'apiKey', in: 'cookie', name: 'wce_session', description: doc.components.securitySchemes.cookie.description });
});

test('every API route is documented, and nothing else is', () => {
  const registered = apiRoutes();
  assert.ok(registered.length > 50, `only ${registered.length} routes seen`);
  const missing = registered.filter(([method, path]) => !doc.paths[path]?.[method]).map((r) => r.join(' '));
  assert.deepEqual(missing, []);
  const known = new Set(registered.map((r) => r.join(' ')));
  const extra = operations().map(([m, p]) => `${m} ${p}`).filter((key) => !known.has(key));
  assert.deepEqual(extra, []);
  for (const path of ['/docs', '/static/{path}', '/{cenv}/dashboard', '/{cenv}/console', '/']) assert.equal(doc.paths[path], undefined, `${path} is a UI page`);
});

test('every operation has a summary, a tag, a success response with its schema, and its error codes', () => {
  const problems: string[] = [];
  for (const [method, path, op] of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!op.summary) problems.push(`${where}: no summary`);
    if (!op.tags?.length || op.tags.includes(UNTAGGED)) problems.push(`${where}: no tag (add its path to TAGS in src/server/openapi/operations.ts)`);
    const statuses = Object.keys(op.responses);
    const ok = statuses.filter((s) => /^[23]/.test(s));
    if (ok.length === 0) problems.push(`${where}: no success response`);
    for (const status of ok) if (op.responses[status].description === 'Default Response') problems.push(`${where} ${status}: no response schema`);
    if (!op.responses.default) problems.push(`${where}: no default (error) response`);
    for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
      const codes: string[] = op.responses[status].content['application/json'].schema.properties.error.properties.code.enum;
      if (codes.length === 0) problems.push(`${where} ${status}: no codes`);
      for (const code of codes) if (!ERROR_CODES.includes(code)) problems.push(`${where} ${status}: unknown code ${code}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('security follows each route\'s access level', () => {
  const op = (method: string, path: string) => doc.paths[path][method];
  assert.deepEqual(op('post', '/{cenv}/login').security, [], 'login reads no credentials');
  assert.deepEqual(op('get', '/health').security, []);
  assert.deepEqual(op('post', '/{cenv}/sql').security, [{}, { bearer: [] }, { cookie: [], csrf: [] }], 'anyone; a cookie change needs CSRF');
  assert.deepEqual(op('get', '/{cenv}/admin/users').security, [{ bearer: [] }, { cookie: [] }], 'a read needs no CSRF header');
  assert.deepEqual(op('post', '/{cenv}/admin/users').security, [{ bearer: [] }, { cookie: [], csrf: [] }]);
  const codes = (method: string, path: string, status: string) => op(method, path).responses[status].content['application/json'].schema.properties.error.properties.code.enum;
  assert.deepEqual([...codes('post', '/{cenv}/admin/users', '403')].sort(), ['WCE_ERR_CSRF', 'WCE_ERR_FORBIDDEN']);
  assert.deepEqual(codes('post', '/{cenv}/admin/users', '401'), ['WCE_ERR_UNAUTHORIZED']);
  assert.ok(codes('post', '/{cenv}/sql', '400').includes('WCE_ERR_SQL_SYNTAX'));
  assert.equal(op('get', '/{cenv}/admin/users').responses['403'].content['application/json'].schema.$ref, '#/components/schemas/Error');
  assert.deepEqual(op('get', '/cluster').security, [{ operator: [] }], 'operator routes keep their own scheme');
  assert.deepEqual(op('get', '/cluster').tags, ['cluster']);
});

test('the error shape is one component, and the document is the same on every request', async () => {
  assert.deepEqual(Object.keys(doc.components.schemas.Error.properties), ['error']);
  assert.deepEqual(doc.components.schemas.Error.properties.error.required, ['code', 'message']);
  const again = await request(`${server.url}/openapi.json`);
  assert.deepEqual(again.body, doc);
});

test('/docs is a page of the UI: its strict policy, no inline script, no third-party origin', async () => {
  const res = await fetch(`${server.url}/docs`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self';/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin');
  assert.match(html, /src="\/static\/[^"]+\.js"/);
});

test('the validator catches what it checks for', () => {
  const broken = structuredClone(doc);
  broken.openapi = '3.0.3';
  broken.paths['/{cenv}/sql'].post.responses['200'].content['application/json'].schema.nullable = true;
  broken.paths['/{cenv}/sql'].post.responses['2OO'] = { description: 'typo' };
  broken.paths['/{cenv}/sql'].post.security.push({ apiKey: [] });
  broken.paths['/{cenv}/sql'].post.parameters = [];
  broken.paths['/{cenv}/login'].post.responses['401'].content['application/json'].schema.$ref = '#/components/schemas/Nope';
  broken.paths['/{cenv}/login'].post.tags = ['nope'];
  const problems = openApiProblems(broken).join('\n');
  for (const expected of ['openapi must be "3.1.0"', '"nullable" is OpenAPI 3.0', '"2OO" is not a status code', 'security scheme apiKey is not declared',
    '{cenv} of /{cenv}/sql has no path parameter', '$ref #/components/schemas/Nope resolves to nothing', 'tag nope is not declared']) {
    assert.ok(problems.includes(expected), `not caught: ${expected}`);
  }
});
