/**
 * Sessions of a cenv (`_wce_sessions`). A token is only as good as its session row: logout
 * and revocation take effect on the next request because every request checks the row.
 */
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { nowIso } from '../tools/time.ts';
import { prepared } from '../tools/statement-cache.ts';
import type { StoredRole } from './users.ts';

export interface Session {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastUsed: string;
  ip: string | null;
  userAgent: string | null;
}

interface Row {
  id: string; user_id: string; created_at: string; expires_at: string; last_used: string;
  ip: string | null; user_agent: string | null;
}

/** last_used is written at most this often per session: a write per request would cost more than the check. */
export const TOUCH_INTERVAL_MS = 60_000;

function toSession(row: Row): Session {
  return {
    id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at,
    lastUsed: row.last_used, ip: row.ip, userAgent: row.user_agent,
  };
}

/** How long a new session lasts and how many one user may hold (the cenv's settings). */
export interface SessionRules { timeoutMs: number; maxPerUser: number }

/**
 * Starts a session for `userId`, expiring after `rules.timeoutMs`. Past `rules.maxPerUser`
 * active sessions the oldest are revoked, so a stolen password cannot pile up sessions and
 * a user's list stays short. Returns the session and how many were revoked.
 */
export function createSession(
  db: DatabaseSync, userId: string, client: { ip: string | null; userAgent: string | null }, rules: SessionRules, now = Date.now(),
): Session & { revokedOldest: number } {
  const id = randomUUID();
  const created = nowIso(now);
  const expires = nowIso(now + rules.timeoutMs);
  prepared(db, `INSERT INTO _wce_sessions (id, user_id, created_at, expires_at, last_used, ip, user_agent)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(id, userId, created, expires, created, client.ip, client.userAgent?.slice(0, 512) ?? null);
  const revoked = prepared(db, `UPDATE _wce_sessions SET revoked_at = ? WHERE id IN (
      SELECT id FROM _wce_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
      ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`).run(created, userId, created, rules.maxPerUser);
  return {
    id, userId, createdAt: created, expiresAt: expires, lastUsed: created, ip: client.ip, userAgent: client.userAgent,
    revokedOldest: Number(revoked.changes),
  };
}

/** A live session with its user's current name and role. */
export interface LiveSession { session: Session; username: string; role: StoredRole }

/**
 * The session if it exists, belongs to `userId`, is not revoked and has not expired, and
 * its user is still enabled; otherwise null. One indexed query; refreshes last_used
 * (throttled). The role comes from the user row, not the token, so a change applies at once.
 */
export function checkSession(db: DatabaseSync, sessionId: string, userId: string, now = Date.now()): LiveSession | null {
  const row = prepared(db, `SELECT s.*, u.username, u.role FROM _wce_sessions s JOIN _wce_users u ON u.id = s.user_id
    WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.enabled = 1`)
    .get(sessionId, userId, nowIso(now)) as (Row & { username: string; role: StoredRole }) | undefined;
  if (!row) return null;
  if (now - Date.parse(row.last_used) >= TOUCH_INTERVAL_MS) {
    row.last_used = nowIso(now);
    prepared(db, 'UPDATE _wce_sessions SET last_used = ? WHERE id = ?').run(row.last_used, sessionId);
  }
  return { session: toSession(row), username: row.username, role: row.role };
}

/**
 * Which of `sessions` are still live (not revoked or expired, each belonging to its user, who
 * is still enabled): one query for all of them, for the event hub's checks of its streams.
 * Does not touch last_used (a stream is not a request).
 * @example liveSessionIds(db, [{ sessionId, userId }]) // Set { sessionId } while it lasts
 */
export function liveSessionIds(db: DatabaseSync, sessions: Array<{ sessionId: string; userId: string }>, now = Date.now()): Set<string> {
  if (sessions.length === 0) return new Set();
  const rows = prepared(db, `SELECT s.id, s.user_id FROM _wce_sessions s JOIN _wce_users u ON u.id = s.user_id
    WHERE s.id IN (SELECT value FROM json_each(?)) AND s.revoked_at IS NULL AND s.expires_at > ? AND u.enabled = 1`)
    .all(JSON.stringify(sessions.map((x) => x.sessionId)), nowIso(now)) as Array<{ id: string; user_id: string }>;
  const owner = new Map(sessions.map((x) => [x.sessionId, x.userId]));
  return new Set(rows.filter((row) => owner.get(row.id) === row.user_id).map((row) => row.id));
}

/** Active sessions of one user, newest first. */
export function listSessions(db: DatabaseSync, userId: string, now = Date.now()): Session[] {
  const rows = prepared(db, `SELECT * FROM _wce_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
    ORDER BY created_at DESC`).all(userId, nowIso(now)) as unknown as Row[];
  return rows.map(toSession);
}

/** Revokes one session of `userId`; false when there was no such active session. */
export function revokeSession(db: DatabaseSync, userId: string, sessionId: string): boolean {
  const result = prepared(db, 'UPDATE _wce_sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
    .run(nowIso(), sessionId, userId);
  return Number(result.changes) > 0;
}

/** Revokes every active session of `userId`; returns how many. */
export function revokeAllSessions(db: DatabaseSync, userId: string): number {
  const result = prepared(db, 'UPDATE _wce_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
    .run(nowIso(), userId);
  return Number(result.changes);
}

/** Revokes every active session of `userId` except `keepSessionId` (the caller's own); returns how many. */
export function revokeOtherSessions(db: DatabaseSync, userId: string, keepSessionId: string): number {
  const result = prepared(db, 'UPDATE _wce_sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL')
    .run(nowIso(), userId, keepSessionId);
  return Number(result.changes);
}

/** Deletes sessions that expired or were revoked before `now`; returns how many. */
export function deleteExpiredSessions(db: DatabaseSync, now = Date.now()): number {
  const at = nowIso(now);
  const result = prepared(db, 'DELETE FROM _wce_sessions WHERE expires_at <= ? OR revoked_at <= ?').run(at, at);
  return Number(result.changes);
}

/** Active sessions per user id (users without any are absent). */
export function activeSessionCounts(db: DatabaseSync, now = Date.now()): Map<string, number> {
  const rows = prepared(db, `SELECT user_id, count(*) AS n FROM _wce_sessions WHERE revoked_at IS NULL AND expires_at > ?
    GROUP BY user_id`).all(nowIso(now)) as Array<{ user_id: string; n: number }>;
  return new Map(rows.map((row) => [row.user_id, row.n]));
}
