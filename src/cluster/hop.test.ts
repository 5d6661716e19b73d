import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { signHop, verifyHop, HopError } from './hop.ts';

const key = randomBytes(32);
const hop = { node: 'n1', ip: '203.0.113.7', proto: 'https' as const, host: 'wce.example.com' };

test('a signed hop verifies for its method and URL and gives back the client', () => {
  const header = signHop(key, 'POST', '/blog/sql', hop);
  assert.deepEqual(verifyHop(key, 'POST', '/blog/sql', header), hop);
  assert.equal(verifyHop(key, 'POST', '/blog/sql', undefined), null);
});

test('a hop cannot be forged, moved to another request, or replayed later', () => {
  const header = signHop(key, 'POST', '/blog/sql', hop);
  assert.throws(() => verifyHop(randomBytes(32), 'POST', '/blog/sql', header), HopError, 'another key');
  assert.throws(() => verifyHop(key, 'GET', '/blog/sql', header), HopError, 'another method');
  assert.throws(() => verifyHop(key, 'POST', '/other/sql', header), HopError, 'another URL');
  assert.throws(() => verifyHop(key, 'POST', '/blog/sql', header, Date.now() + 31_000), /expired/);
  const [version, payload, sig] = header.split('.');
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ip: '10.0.0.1' })).toString('base64url');
  assert.throws(() => verifyHop(key, 'POST', '/blog/sql', `${version}.${forged}.${sig}`), HopError, 'changed client address');
  assert.throws(() => verifyHop(key, 'POST', '/blog/sql', 'v1.e30.'), HopError);
  assert.throws(() => verifyHop(key, 'POST', '/blog/sql', [header, header]), HopError);
});
