/**
 * Cookies, read only when asked for. `request.cookies` parses the Cookie header on first use
 * (only the cenv scope reads it, for the session cookie), and `reply.setCookie` /
 * `reply.clearCookie` append a Set-Cookie header at once. @fastify/cookie ran a hook on
 * every request and another on every answer to do the same; the API's hot path has no
 * cookies at all, and each hook stage Fastify skips saves it work (docs/dev/server.md).
 *
 * @example reply.setCookie('wce_session', token, { path: '/c1', httpOnly: true, sameSite: 'strict' })
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCookie, stringifySetCookie } from 'cookie';

export interface CookieOptions {
  path?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's cookies by name (parsed on first read). */
    readonly cookies: Readonly<Record<string, string | undefined>>;
  }
  interface FastifyReply {
    /** Adds a Set-Cookie header; `path` defaults to `/`. */
    setCookie(name: string, value: string, options?: CookieOptions): FastifyReply;
    /** Adds a Set-Cookie header that expires `name` at `path` now. */
    clearCookie(name: string, options?: Pick<CookieOptions, 'path'>): FastifyReply;
  }
}

const parsed = Symbol('wce.cookies');
type WithCookies = FastifyRequest & { [parsed]?: Record<string, string | undefined> };

/** Values that are not valid percent-encoding are kept as sent rather than failing the request. */
function decode(value: string): string {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

export function installCookies(app: FastifyInstance): void {
  app.decorateRequest(parsed, undefined);
  app.decorateRequest('cookies', {
    getter(this: WithCookies) {
      const header = this.headers.cookie;
      return (this[parsed] ??= header ? parseCookie(header, { decode }) : {});
    },
  });
  app.decorateReply('setCookie', function setCookie(this: FastifyReply, name: string, value: string, options: CookieOptions = {}) {
    return this.header('set-cookie', stringifySetCookie({ path: '/', ...options, name, value }));
  });
  app.decorateReply('clearCookie', function clearCookie(this: FastifyReply, name: string, options: Pick<CookieOptions, 'path'> = {}) {
    return this.header('set-cookie', stringifySetCookie({ path: options.path ?? '/', name, value: '', expires: new Date(0) }));
  });
}
