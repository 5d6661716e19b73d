/** Per-address keys: IPv4 as is, IPv6 by /64, IPv4-mapped IPv6 as IPv4. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey } from './ip-key.ts';

const cases: Array<[string, string]> = [
  ['127.0.0.1', '127.0.0.1'],
  ['::1', '0:0:0:0::/64'],
  ['::ffff:10.0.0.7', '10.0.0.7'],
  ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
  ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
  ['2001:DB8:0001:0002::', '2001:db8:1:2::/64'],
  ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ['2001:db8::', '2001:db8:0:0::/64'],
];
for (const [ip, key] of cases) {
  test(`address key: ${ip} → ${key}`, () => assert.equal(addressKey(ip), key));
}

test('address key: two addresses of one /64 share a key, neighbouring /64s do not', () => {
  assert.equal(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:2::ffff'));
  assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
});
