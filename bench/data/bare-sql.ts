/**
 * The bare servers' SQL: `{"sql", "params"}` run on one database with a cached prepared
 * statement, answered in the SQL API's JSON shape. Shared by the data bench's bare server and
 * the floors bench, so both floors do exactly the same work.
 *
 * @example const run = bareSql(new DatabaseSync(file)); run('{"sql":"SELECT 1"}')
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

export function bareSql(db: DatabaseSync): (text: string) => string {
  const statements = new Map<string, StatementSync>();
  return (text) => {
    const { sql, params = [] } = JSON.parse(text) as { sql: string; params?: SQLInputValue[] };
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      stmt.setReturnArrays(true);
      statements.set(sql, stmt);
    }
    const columns = stmt.columns().map((c) => c.name);
    if (columns.length === 0) {
      const { changes, lastInsertRowid } = stmt.run(...params);
      return JSON.stringify({ columns, rows: [], changes, last_insert_rowid: lastInsertRowid, truncated: false });
    }
    return JSON.stringify({ columns, rows: stmt.all(...params), changes: 0, last_insert_rowid: 0, truncated: false });
  };
}
