/**
 * A route constraint on the Accept header, so one path can serve JSON to API clients and
 * the UI page to a browser navigation (`GET /{cenv}/admin/users`) without an `if` inside
 * the JSON handlers. A route declared with `constraints: { accept: 'html' }` matches only
 * requests that prefer HTML; everything else falls through to the unconstrained JSON route.
 *
 * "Prefers HTML" means the Accept header starts with `text/html`: every browser lists it
 * first on a navigation, while fetch() sends `*\/*` or what the caller set, and API clients
 * send `application/json` or nothing. Full q-value parsing would decide the same cases
 * at a higher cost on every request (the router derives constraints for all requests once
 * any route uses one).
 */
import type { FastifyInstance } from 'fastify';

export const ACCEPT_HTML = { accept: 'html' } as const;

type Store = unknown;

/** Registers the `accept` constraint on `app` (once, before routes that use it). */
export function installAcceptConstraint(app: FastifyInstance): void {
  app.addConstraintStrategy({
    name: 'accept',
    storage() {
      let html: Store | null = null;
      return {
        get: (value: unknown) => (value === 'html' ? html : null),
        set: (value: unknown, store: Store) => { if (value === 'html') html = store; },
      } as never;
    },
    validate(value: unknown) {
      if (value !== 'html') throw new Error('the accept constraint takes only "html"');
    },
    deriveConstraint(req: { headers: Record<string, string | string[] | undefined> }) {
      const accept = req.headers.accept;
      return typeof accept === 'string' && accept.startsWith('text/html') ? 'html' : undefined;
    },
  } as never);
}
