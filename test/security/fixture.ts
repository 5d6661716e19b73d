/**
 * A real cenv file for access tests: schema migrated, three tenant tables, users of every
 * role, grants and row policies created through the admin domain functions, and an
 * AccessGuard on a second connection (as in a sandbox child).
 *
 *   posts(id, author, title, body, published)   user: all ops, anonymous: select;
 *     policies: "visible" (select: published = 1 OR author = $user_id, user+anonymous),
 *               "own" (insert/update/delete: author = $user_id, user)
 *   notes(id, owner, text)                       no grants at all
 *   tags(id, name)                               user: select only, no policies
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/cenv/open.ts';
import { migrate } from '../../src/cenv/migrate.ts';
import { insertUser } from '../../src/auth/users.ts';
import type { Principal } from '../../src/auth/principal.ts';
import { ANONYMOUS } from '../../src/auth/principal.ts';
import { AccessGuard } from '../../src/access/guard.ts';
import { createPermission } from '../../src/access/permissions.ts';
import { createPolicy, type PolicyInput } from '../../src/access/policies.ts';
import type { Actor } from '../../src/access/admin-change.ts';

export interface Fixture {
  file: string;
  /** The admin's connection (main process side): no guard. */
  admin: DatabaseSync;
  /** The tenant connection with the guard (sandbox side). */
  db: DatabaseSync;
  guard: AccessGuard;
  owner: Principal;
  adminUser: Principal;
  alice: Principal;
  bob: Principal;
  anon: Principal;
  actor: Actor;
  close(): void;
}

function principal(db: DatabaseSync, username: string, role: 'owner' | 'admin' | 'user'): Principal {
  const user = insertUser(db, username, '$2b$04$notarealhashnotarealhashnotarealhashnotarealhashnot', role);
  return { userId: user.id, username, role, sessionId: `session-of-${username}` };
}

/** Builds the fixture; `extraPolicies` are added after the standard ones. */
export function openFixture(options: { policies?: PolicyInput[]; standardPolicies?: boolean } = {}): Fixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-access-'));
  const file = path.join(dir, 'cenv.db');
  const admin = openDatabase(file, { create: true });
  migrate(admin);
  const owner = principal(admin, 'olga', 'owner');
  const adminUser = principal(admin, 'adam', 'admin');
  const alice = principal(admin, 'alice', 'user');
  const bob = principal(admin, 'bob', 'user');
  admin.exec(`
    CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT NOT NULL, body TEXT, published INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT, text TEXT);
    CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
  `);
  const insert = admin.prepare('INSERT INTO posts (id, author, title, body, published) VALUES (?, ?, ?, ?, ?)');
  insert.run(1, alice.userId, 'alice public', 'hello', 1);
  insert.run(2, alice.userId, 'alice draft', 'secret-a', 0);
  insert.run(3, bob.userId, 'bob public', 'hi', 1);
  insert.run(4, bob.userId, 'bob draft', 'secret-b', 0);
  admin.exec("INSERT INTO notes VALUES (1, 'olga', 'owner note'); INSERT INTO tags VALUES (1, 'news'), (2, 'tech')");
  const actor: Actor = { userId: owner.userId, username: owner.username };
  createPermission(admin, { table: 'posts', role: 'user', operations: ['select', 'insert', 'update', 'delete'] }, actor);
  createPermission(admin, { table: 'posts', role: 'anonymous', operations: ['select'] }, actor);
  createPermission(admin, { table: 'tags', role: 'user', operations: ['select'] }, actor);
  if (options.standardPolicies !== false) {
    createPolicy(admin, { table: 'posts', name: 'visible', commands: ['select'], roles: ['user', 'anonymous'], using: 'published = 1 OR author = $user_id', kind: 'permissive' }, actor);
    createPolicy(admin, { table: 'posts', name: 'own', commands: ['insert', 'update', 'delete'], roles: ['user'], using: 'author = $user_id', kind: 'permissive' }, actor);
  }
  for (const policy of options.policies ?? []) createPolicy(admin, policy, actor);
  const db = openDatabase(file);
  const guard = new AccessGuard(db);
  return {
    file, admin, db, guard, owner, adminUser, alice, bob, anon: ANONYMOUS, actor,
    close() {
      db.close();
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one tenant statement as `who` and returns its rows; errors come back as the named
 * errors the HTTP layer would send (guard.explain), or SQLite's own.
 */
export function run(f: Fixture, who: Principal, sql: string, ...params: Array<string | number | null>): Array<Record<string, unknown>> {
  return f.guard.runAs(who, () => {
    try {
      const { stmt } = f.guard.prepare(sql, who);
      return (stmt.all(...params) as Array<Record<string, unknown>>).map((row) => ({ ...row }));
    } catch (error) {
      throw f.guard.explain(error) ?? error;
    }
  });
}

/** Every row of every table (tenant and `_wce_`), read on the admin connection: to prove nothing changed. */
export function snapshot(f: Fixture): string {
  // Stored tables only: a virtual table's rows live in its shadow tables (or elsewhere).
  const tables = f.admin.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
  const dump: Record<string, unknown> = {};
  for (const { name } of tables) dump[name] = f.admin.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort();
  dump.schema = f.admin.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
  return JSON.stringify(dump);
}

/** The status a failure maps to: 400/403 for our named errors, 'sqlite' for SQLite's own. */
export function failure(fn: () => unknown): number | 'sqlite' | 'none' {
  try {
    fn();
    return 'none';
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    return typeof status === 'number' ? status : 'sqlite';
  }
}
