/**
 * The users of one cenv (`_wce_users`). Roles: owner, admin, user; `anonymous` is the role
 * of a caller with no session and is never stored.
 */
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { nowIso } from '../tools/time.ts';
import { prepared } from '../tools/statement-cache.ts';

export const STORED_ROLES = ['owner', 'admin', 'user'] as const;
export type StoredRole = (typeof STORED_ROLES)[number];
export type Role = StoredRole | 'anonymous';

export interface User {
  id: string;
  username: string;
  role: StoredRole;
  enabled: boolean;
  createdAt: string;
  lastLogin: string | null;
}

export interface UserWithHash extends User { passwordHash: string }

interface Row {
  id: string; username: string; password_hash: string; role: StoredRole;
  enabled: number; created_at: string; last_login: string | null;
}

export const MAX_USERNAME_LENGTH = 64;

/**
 * The form two usernames are compared in: Unicode NFKC with case folded, so "bob", "BOB" and
 * "ｂｏｂ" (fullwidth) are one name. Stored as `username_key` (unique) and used for lookups.
 * @example usernameKey('ＢＯＢ') === 'bob'
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Why a username is unacceptable, or null. */
export function usernameProblem(username: string): string | null {
  const length = [...username].length;
  if (length < 1 || length > MAX_USERNAME_LENGTH) return `username must be 1 to ${MAX_USERNAME_LENGTH} characters`;
  if (!username.isWellFormed()) return 'username must be valid Unicode text';
  if (/[\u0000-\u001f\u007f]/.test(username)) return 'username must not contain control characters';
  if (username.trim() !== username) return 'username must not start or end with white space';
  return null;
}

function toUser(row: Row): UserWithHash {
  return {
    id: row.id, username: row.username, role: row.role, enabled: row.enabled === 1,
    createdAt: row.created_at, lastLogin: row.last_login, passwordHash: row.password_hash,
  };
}

/** Public view of a user: never the hash. */
export function publicUser(user: User): User {
  const { id, username, role, enabled, createdAt, lastLogin } = user;
  return { id, username, role, enabled, createdAt, lastLogin };
}

/** Inserts a user and returns it. Throws SQLite's UNIQUE error on a taken username (after folding). */
export function insertUser(db: DatabaseSync, username: string, passwordHash: string, role: StoredRole): User {
  const id = randomUUID();
  const now = nowIso();
  prepared(db, `INSERT INTO _wce_users (id, username, username_key, password_hash, role, enabled, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 1, ?, ?)`).run(id, username, usernameKey(username), passwordHash, role, now, now);
  return { id, username, role, enabled: true, createdAt: now, lastLogin: null };
}

/** The user whose name folds to the same key as `username` (see usernameKey). */
export function findUserByName(db: DatabaseSync, username: string): UserWithHash | null {
  const row = prepared(db, 'SELECT * FROM _wce_users WHERE username_key = ?').get(usernameKey(username)) as Row | undefined;
  return row ? toUser(row) : null;
}

export function findUserById(db: DatabaseSync, id: string): UserWithHash | null {
  const row = prepared(db, 'SELECT * FROM _wce_users WHERE id = ?').get(id) as Row | undefined;
  return row ? toUser(row) : null;
}

export function recordLogin(db: DatabaseSync, id: string): string {
  const now = nowIso();
  prepared(db, 'UPDATE _wce_users SET last_login = ? WHERE id = ?').run(now, id);
  return now;
}
