/**
 * CSRF protection for cookie-authenticated requests (double submit, bound to the session).
 *
 * The CSRF token is HMAC(key, session id): the server can recompute it without storing it,
 * it changes with every session, and an attacker who can plant cookies on the victim's
 * browser still cannot produce the value for the victim's session. It is handed to the
 * client at login (JSON body and a readable `wce_csrf` cookie); a state-changing request
 * authenticated by cookie must echo it in the `x-csrf-token` header. Bearer-token requests
 * need none: a browser never attaches an Authorization header on its own.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIE = 'wce_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when `method` can change state and so needs the CSRF check under cookie auth. */
export function needsCsrf(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The server key as a KeyObject, made once: preparing raw key bytes cost ~11 µs per HMAC. */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();

/** @example csrfToken(key, session.id) // 43 characters of base64url */
export function csrfToken(key: Uint8Array, sessionId: string): string {
  let prepared = keyObjects.get(key);
  if (!prepared) {
    prepared = createSecretKey(key);
    keyObjects.set(key, prepared);
  }
  return createHmac('sha256', prepared).update(`csrf:${sessionId}`).digest('base64url');
}

/** Constant-time check of a presented token against the session's. */
export function csrfMatches(key: Uint8Array, sessionId: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfToken(key, sessionId));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
