/**
 * Node-to-node requests. A node that forwards a client's request to the cenv's owner tells
 * it who the client is (address, scheme, host, as the first node determined them) in one
 * header, `x-wce-hop`, signed with HMAC-SHA256 under a key every node derives from the
 * shared WCE_JWT_SECRET. The signature covers the method and URL, and the header expires
 * after 30 s, so a client can neither forge one nor move a captured one to another request
 * for long. Only a verified hop changes the request's client address: every per-address
 * limit and audit entry on the owner sees the real client, never the forwarding node.
 *
 * @example
 *   headers[HOP_HEADER] = signHop(key, 'POST', '/blog/sql', { node: 'n1', ip, proto: 'https', host });
 *   const hop = verifyHop(key, request.method, request.url, request.headers[HOP_HEADER]); // Hop | null
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

export const HOP_HEADER = 'x-wce-hop';
/** The shared key; a KeyObject (config.ts makes one) spares Node preparing it per request (~11 µs). */
export type HopKey = KeyObject | Buffer;
const VERSION = 'v1';
const MAX_SKEW_MS = 30_000;

export interface Hop {
  /** The node that forwarded the request. */
  node: string;
  /** The client's address as that node saw it (after its own WCE_TRUST_PROXY rules). */
  ip: string;
  proto: 'http' | 'https';
  host: string;
}

interface Payload { n: string; t: number; ip: string; p: 'http' | 'https'; h: string }

function mac(key: HopKey, payload: string, method: string, url: string): Buffer {
  return createHmac('sha256', key).update(`${VERSION}.${payload}\n${method.toUpperCase()}\n${url}`).digest();
}

/** The header value for a request forwarded on behalf of the client `hop` describes. */
export function signHop(key: HopKey, method: string, url: string, hop: Hop, now = Date.now()): string {
  const body: Payload = { n: hop.node, t: now, ip: hop.ip, p: hop.proto, h: hop.host };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload, method, url).toString('base64url')}`;
}

/**
 * The verified hop of a request, or null when the header is missing. Throws HopError for a
 * header that is present but forged, expired or malformed.
 */
export function verifyHop(key: HopKey, method: string, url: string, header: string | string[] | undefined, now = Date.now()): Hop | null {
  if (header === undefined) return null;
  if (typeof header !== 'string') throw new HopError('more than one x-wce-hop header');
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw new HopError('malformed x-wce-hop header');
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(key, parts[1], method, url);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HopError('x-wce-hop signature does not verify (nodes must share WCE_JWT_SECRET)');
  let body: Payload;
  try {
    body = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Payload;
  } catch {
    throw new HopError('malformed x-wce-hop payload');
  }
  if (typeof body.t !== 'number' || Math.abs(now - body.t) > MAX_SKEW_MS) throw new HopError('x-wce-hop header expired (clocks of the nodes more than 30 s apart?)');
  if (typeof body.n !== 'string' || typeof body.ip !== 'string' || typeof body.h !== 'string' || (body.p !== 'http' && body.p !== 'https')) {
    throw new HopError('malformed x-wce-hop payload');
  }
  return { node: body.n, ip: body.ip, proto: body.p, host: body.h };
}

export class HopError extends Error {
  override name = 'HopError';
}
