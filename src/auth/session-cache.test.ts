/** The main process's cache of session checks: hits, and every way an entry stops counting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionCache } from './session-cache.ts';
import type { LiveSession } from './sessions.ts';

function live(id: string, userId: string, expiresAt: number): LiveSession {
  return {
    username: 'ada', role: 'user',
    session: { id, userId, createdAt: '', expiresAt: new Date(expiresAt).toISOString(), lastUsed: '', ip: null, userAgent: null },
  };
}

test('session cache: a confirmed session is a hit until invalidated, expired, stale or asked for another user', () => {
  const cache = new SessionCache({ ttlMs: 1000 });
  assert.equal(cache.set('c1', null), null);
  cache.set('c1', live('s1', 'u1', 10_000), 0);
  assert.equal(cache.get('c1', 's1', 'u1', 10)?.session.id, 's1');
  assert.equal(cache.get('c2', 's1', 'u1', 10), undefined, 'per cenv');
  assert.equal(cache.get('c1', 's1', 'u2', 10), undefined, 'a token of another user naming the same session');
  cache.set('c1', live('s1', 'u1', 10_000), 0);
  assert.equal(cache.get('c1', 's1', 'u1', 1000), undefined, 'checked again after the ttl');
  cache.set('c1', live('s1', 'u1', 500), 0);
  assert.equal(cache.get('c1', 's1', 'u1', 500), undefined, 'expired');
  cache.set('c1', live('s1', 'u1', 10_000), 0);
  cache.invalidate('c1');
  assert.equal(cache.get('c1', 's1', 'u1', 10), undefined, 'invalidated');
  cache.set('c1', live('s1', 'u1', 10_000), 20);
  assert.equal(cache.get('c1', 's1', 'u1', 30)?.session.id, 's1', 'fresh entries after an invalidation count again');
});
