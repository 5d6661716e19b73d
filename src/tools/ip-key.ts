/**
 * The key a per-address limit counts under. An IPv4 address is itself; an IPv6 client usually
 * holds a whole /64 (one customer's network), and could rotate through its 2^64 addresses to
 * dodge a per-address limit, so IPv6 addresses count by their /64 prefix. IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports) is the IPv4 address.
 *
 * @example addressKey('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 * @example addressKey('::ffff:10.0.0.7')      // '10.0.0.7'
 */
import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (without a zone), or null. */
function groups(ip: string): number[] | null {
  let text = ip.split('%')[0];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === null && missing !== 0)) return null;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g || '0', 16));
}

export function addressKey(ip: string): string {
  if (!isIPv6(ip.split('%')[0])) return ip;
  const g = groups(ip);
  if (!g) return ip;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}
