/**
 * Security headers by route kind, computed once (helmet rebuilt its policy per request, a
 * measurable share of a small request's cost):
 *
 * - `api` (JSON): nothing may load, nothing may frame it.
 * - `ui` (WCE's own pages): scripts, styles, fonts, images and Monaco's workers from 'self'
 *   only; no inline script; not frameable. Monaco's editor worker is a built file under
 *   /static/ (web/src/editor/monaco.ts sets `MonacoEnvironment.getWorker`), so workers need
 *   no `blob:`; inline styles stay allowed because Monaco writes style attributes and
 *   <style> elements at run time.
 * - `tenant` (a body a tenant wrote: endpoint responses, pages, previews): a CSP `sandbox`
 *   without allow-same-origin, so the document runs in an opaque origin: its scripts cannot
 *   read WCE's cookies (the CSRF cookie is script-readable on purpose) or call other cenvs'
 *   APIs with the visitor's session (SameSite=Strict cookies are not sent from an opaque
 *   origin). It is re-applied after the handler, so nothing a tenant sets can remove it.
 *
 * Documents (`ui`, `tenant`) get a few more headers than JSON answers (DOCUMENT below).
 *
 * HSTS is sent only over HTTPS (on plain HTTP it is meaningless, and on localhost harmful).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import type { RouteKind } from '../types.ts';
import { routeConfig } from '../route-config.ts';
import { addRouteHook } from '../route-hooks.ts';

/** Every answer: what a browser obeys for any response, JSON included. */
const BASE: Readonly<Record<string, string>> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

/**
 * Documents only (HTML that a browser renders, where scripts could run): the opener, agent
 * cluster, DNS prefetch, download and cross-domain-policy headers and the legacy XSS filter
 * mean nothing on a JSON answer, whose CSP (`default-src 'none'`) lets nothing load or run
 * anyway. Leaving them off the API saves ~2 µs of header validation per request (OWASP's REST
 * guidance lists the same short set for APIs).
 */
const DOCUMENT: Readonly<Record<string, string>> = {
  ...BASE,
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** The sandbox every tenant-written document runs in (DESIGN.md, "Tenant content"). */
export const TENANT_SANDBOX = 'sandbox allow-scripts allow-forms allow-popups allow-top-navigation-by-user-activation';

export const HEADERS_BY_KIND: Readonly<Record<RouteKind, Readonly<Record<string, string>>>> = Object.freeze({
  api: Object.freeze({
    ...BASE,
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  }),
  ui: Object.freeze({
    ...DOCUMENT,
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
      "font-src 'self' data:; worker-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; " +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  }),
  tenant: Object.freeze({
    ...DOCUMENT,
    // Framed only by WCE's own pages (the IDE's preview), and then still sandboxed.
    'content-security-policy': `${TENANT_SANDBOX}; frame-ancestors 'self'; base-uri 'none'`,
    // A sandboxed page has an opaque origin, so to it even its own cenv's scripts and images
    // are cross-origin: same-origin here would block them. Cookies are SameSite=Strict, so
    // another site embedding a tenant response never carries a visitor's session.
    'cross-origin-resource-policy': 'cross-origin',
    'x-frame-options': 'SAMEORIGIN',
  }),
});

const HSTS = 'max-age=31536000; includeSubDomains';

function kindOf(request: FastifyRequest): RouteKind {
  return routeConfig(request).kind ?? 'api';
}

function apply(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(HEADERS_BY_KIND[kindOf(request)]);
  if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
}

/**
 * Installs the headers on every answer, errors and 404s included. (Callback-style hooks: on
 * the hot path an async hook's promise costs more than the hook's own work.)
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    apply(request, reply);
    reply.header('x-request-id', request.id);
    done();
  });
  // Tenant handlers may set headers of their own: the policy is put back last. Only tenant
  // routes carry the hook, so every other answer skips Fastify's onSend stage.
  app.addHook('onRoute', (route) => {
    if (route.config?.kind !== 'tenant') return;
    const restore: onSendHookHandler = (_request, reply, payload, done) => {
      reply.headers(HEADERS_BY_KIND.tenant);
      done(null, payload);
    };
    addRouteHook(route, 'onSend', restore);
  });
}
