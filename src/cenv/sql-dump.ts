/**
 * A cenv as SQL text (`GET /{cenv}/admin/export?format=sql`), for reading, diffing or loading
 * into another SQLite: the schema, then every row as an INSERT with its values in SQLite's
 * own literal form (`quote()`: text escaped, blobs as X'…', reals exact), then indexes,
 * triggers and views, all inside one transaction. Read from a snapshot file, so the text is
 * consistent and no live connection is held while a client downloads it.
 *
 * Virtual tables are written as their CREATE statement only (their shadow tables are the
 * module's business and rebuilt by it); generated columns are left to be computed again.
 *
 * @example Readable.from(dumpSql(db)).pipe(response)
 */
import type { DatabaseSync } from 'node:sqlite';

/** Rows are gathered into chunks of about this many characters before being yielded. */
const CHUNK = 64 * 1024;

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

interface SchemaRow { type: string; name: string; tbl_name: string; sql: string | null }

function insertsFor(db: DatabaseSync, table: string): { sql: string } | null {
  const columns = (db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid').all(table) as Array<{ name: string }>)
    .map((c) => c.name);
  if (columns.length === 0) return null;
  const values = columns.map((c) => `quote(${ident(c)})`).join(` || ',' || `);
  const head = `INSERT INTO ${ident(table)}(${columns.map(ident).join(',')}) VALUES(`;
  return { sql: `SELECT ${`'${head.replaceAll("'", "''")}'`} || ${values} || ');' AS line FROM ${ident(table)}` };
}

/**
 * Yields the dump of the database open on `db` in chunks of text.
 * @example for (const chunk of dumpSql(db)) out.write(chunk)
 */
export function* dumpSql(db: DatabaseSync): Generator<string> {
  const shadow = new Set((db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'").all() as Array<{ name: string }>).map((r) => r.name));
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid").all() as unknown as SchemaRow[];
  let out = 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n';
  for (const object of objects) {
    if (object.type !== 'table' || shadow.has(object.name) || object.name.startsWith('sqlite_')) continue;
    out += `${object.sql};\n`;
    if (/^CREATE\s+VIRTUAL\s+TABLE/i.test(object.sql!)) continue;
    const inserts = insertsFor(db, object.name);
    if (!inserts) continue;
    for (const row of db.prepare(inserts.sql).iterate() as Iterable<{ line: string }>) {
      out += `${row.line}\n`;
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  if (objects.some((o) => o.name === 'sqlite_sequence')) {
    out += 'DELETE FROM sqlite_sequence;\n';
    for (const row of db.prepare('SELECT name, seq FROM sqlite_sequence').all() as Array<{ name: string; seq: number }>) {
      out += `INSERT INTO sqlite_sequence VALUES(${sqlText(row.name)},${row.seq});\n`;
    }
  }
  for (const object of objects) {
    if (object.type === 'table' || shadow.has(object.tbl_name)) continue;
    out += `${object.sql};\n`;
  }
  yield `${out}COMMIT;\n`;
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
