/**
 * What the OpenAPI document says about a route beyond its own schemas, derived from what the
 * route already declares, so no route repeats it and none can forget it:
 *
 * - its tag, from its path (one table below);
 * - its security, from `config.access` (bearer token, or the session cookie — with the CSRF
 *   header for a change), optional for `anonymous` routes, none for `none`;
 * - its errors: those its declarations imply (a body → 400/413/415, a session → 401, an
 *   admin level → 403, a cenv path → 404 for an unknown cenv, a cookie change → 403 CSRF),
 *   plus the codes the route lists itself in `schema.errors`, grouped by status.
 *
 * UI pages and assets (`kind: 'ui'`) are left out: they serve HTML to browsers, not an API.
 *
 * @example transformRoute({ schema, url: '/:cenv/admin/users', route }) // { schema: { …, tags: ['users'], security, 'x-wce-errors' } }
 */
import type { RouteOptions } from 'fastify';
import { ERROR_STATUS } from '../../errors.ts';
import type { Access } from '../types.ts';

/** Tags in the order the reference shows them, each with the paths (below `/{cenv}` for cenv routes) it covers. */
export const TAGS: ReadonlyArray<{ name: string; description: string; paths: RegExp }> = [
  { name: 'server', description: 'Probes, metrics and this document', paths: /^\/(health|metrics|openapi\.json)(\/|$)/ },
  { name: 'cenvs', description: 'Create a cenv (one SQLite file: one app)', paths: /^\/new$/ },
  { name: 'auth', description: 'Log in and out, sessions, preferences', paths: /^\/:cenv\/(login|logout|sessions|me)(\/|$)/ },
  { name: 'sql', description: 'Run SQL as the caller, under grants and row policies', paths: /^\/:cenv\/(sql|schema)$/ },
  { name: 'events', description: 'Server-sent events of committed changes the caller may see', paths: /^\/:cenv\/events$/ },
  { name: 'app', description: "The cenv's own Starlark endpoints and rendered pages", paths: /^\/:cenv\/(api|pages)?(\/|$)/ },
  { name: 'users', description: 'Users, their sessions, ownership (owner and admin)', paths: /^\/:cenv\/admin\/(users|transfer-ownership)(\/|$)/ },
  { name: 'access', description: 'Table permissions, row policies and the policy debugger', paths: /^\/:cenv\/admin\/(permissions|policies|explain)(\/|$)/ },
  { name: 'endpoints', description: 'Writing Starlark endpoints and modules: versions, test runs, logs', paths: /^\/:cenv\/admin\/(endpoints|modules)(\/|$)/ },
  { name: 'templates', description: 'Templates, previews and the page cache', paths: /^\/:cenv\/admin\/(templates|pages)(\/|$)/ },
  { name: 'operations', description: 'Overview, settings, audit log, export and import', paths: /^\/:cenv\/admin\/(overview|config|audit|export|import)(\/|$)/ },
  { name: 'cors', description: "CORS preflights of a cenv's routes", paths: /^\/:cenv\/\*$/ },
  { name: 'cluster', description: 'Cluster mode: nodes, ownership, replication (operator)', paths: /^\/_?cluster(\/|$)/ },
];
/** The tag of a route no entry above covers; the OpenAPI test fails on it. */
export const UNTAGGED = 'untagged';

/** The route option naming error codes a route can answer with beyond those its declarations imply. */
export type ErrorCodes = readonly string[];

const SECURITY_BEARER = { bearer: [] };
const SECURITY_COOKIE = { cookie: [] };
const SECURITY_COOKIE_CSRF = { cookie: [], csrf: [] };

function tagOf(url: string): string {
  return TAGS.find((tag) => tag.paths.test(url))?.name ?? UNTAGGED;
}

function changes(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

/** Who may call: nothing for `none` (and top-level routes), a session or not for `anonymous`. */
function securityOf(access: Access | undefined, methods: readonly string[]): Array<Record<string, string[]>> {
  if (access === undefined || access === 'none') return [];
  const cookie = methods.some(changes) ? SECURITY_COOKIE_CSRF : SECURITY_COOKIE;
  const schemes = [SECURITY_BEARER, cookie];
  return access === 'anonymous' ? [{}, ...schemes] : schemes;
}

/** Every code a route may answer with, from its declarations and its own list. */
export function errorCodesOf(route: RouteOptions, url: string): string[] {
  const { schema, config } = route;
  const methods = [route.method].flat();
  const access = config?.access;
  const codes = new Set<string>();
  if (schema?.body || schema?.documentBody) ['WCE_ERR_VALIDATION', 'WCE_ERR_INVALID_JSON', 'WCE_ERR_PAYLOAD_TOO_LARGE', 'WCE_ERR_UNSUPPORTED_MEDIA_TYPE'].forEach((c) => codes.add(c));
  if (schema?.params || schema?.querystring) codes.add('WCE_ERR_VALIDATION');
  // Every cenv route: an unknown cenv, and a cenv that has all its connections busy.
  if (url.startsWith('/:cenv')) ['WCE_ERR_NOT_FOUND', 'WCE_ERR_UNAVAILABLE'].forEach((c) => codes.add(c));
  if (config?.rateLimit !== false && config?.kind !== 'ui') codes.add('WCE_ERR_RATE_LIMITED');
  if (access !== undefined && access !== 'none') codes.add('WCE_ERR_UNAUTHORIZED');
  if (access === 'admin' || access === 'owner') codes.add('WCE_ERR_FORBIDDEN');
  if (access !== undefined && access !== 'none' && methods.some(changes)) codes.add('WCE_ERR_CSRF');
  for (const code of schema?.errors ?? []) {
    if (!ERROR_STATUS.has(code)) throw new Error(`route ${methods.join(',')} ${url} lists an unknown error code ${code} (see src/errors.ts)`);
    codes.add(code);
  }
  return [...codes];
}

/** Codes grouped by their status: { '401': ['WCE_ERR_UNAUTHORIZED'], … }. */
export function byStatus(codes: readonly string[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const code of codes) (grouped[String(ERROR_STATUS.get(code))] ??= []).push(code);
  return grouped;
}

const CENV_PARAM = { type: 'string', description: "the cenv's id (a UUID) or its name" };

/**
 * Path parameters as the document shows them: `{cenv}` described, and the `*` of a wildcard
 * route named (`{path}`, `{name}`): the rest of the path, slashes included.
 */
function pathParams(url: string, schema: Record<string, any>): { url: string; schema: Record<string, any> } {
  if (!url.startsWith('/:cenv') && !url.endsWith('*')) return { url, schema };
  const params = schema.params ?? { type: 'object', properties: {} };
  const properties: Record<string, unknown> = { ...params.properties };
  if (url.startsWith('/:cenv')) properties.cenv = CENV_PARAM;
  if (!url.endsWith('*')) return { url, schema: { ...schema, params: { ...params, properties } } };
  const name = url.includes('/admin/modules/') ? 'name' : 'path';
  delete properties['*'];
  properties[name] = { type: 'string', description: 'the rest of the path (it may hold slashes)' };
  return { url: `${url.slice(0, -1)}:${name}`, schema: { ...schema, params: { ...params, properties } } };
}

/**
 * @fastify/swagger's `transform`: adds the tag, security and error codes (as `x-wce-errors`,
 * turned into responses by document.ts once the whole document exists) and hides UI routes.
 */
export function transformRoute({ schema, url, route }: { schema: Record<string, any>; url: string; route: RouteOptions }): { schema: Record<string, any>; url: string } {
  if (route.config?.kind === 'ui') return { schema: { ...schema, hide: true }, url };
  const methods = [route.method].flat();
  const named = pathParams(url, schema ?? {});
  const { errors: _listed, documentBody, ...rest } = named.schema;
  const documented = {
    ...rest,
    ...(documentBody ? { body: documentBody } : {}),
    tags: rest.tags ?? [tagOf(url)],
    security: rest.security ?? securityOf(route.config?.access, methods),
    'x-wce-errors': byStatus(errorCodesOf(route, url)),
  };
  return { schema: documented, url: named.url };
}
