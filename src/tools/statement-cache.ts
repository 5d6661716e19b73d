/**
 * Prepared statements cached per connection, so hot queries (the session check on every
 * authenticated request) are parsed once per connection instead of once per call.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const caches = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * Returns the cached statement for `sql` on `db`, preparing it the first time.
 * Only for SQL written by WCE itself; tenant SQL has its own cache with access checks.
 * @example prepared(db, 'SELECT * FROM _wce_users WHERE id = ?').get(id)
 */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
