/**
 * The event stream's reads, in a sandbox child, as the subscriber: the rows a commit changed
 * (by primary key) and the first rows of a table (the snapshot). They run through the access
 * guard like any tenant statement, so a subscriber gets exactly the rows its grants and row
 * policies let it select — a row it may not see simply is not in the answer.
 */
import { TenantDb } from '../db/tenant-db.ts';
import { ValidationError } from '../errors.ts';
import type { OpContext, OpHandler } from '../sandbox/handlers.ts';

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A key as JSON text for json_each: numbers and {$int} as numbers, text as strings. */
function keyJson(key: unknown[]): string {
  return `[${key.map((v) => {
    if (typeof v === 'number' || typeof v === 'string' || v === null) return JSON.stringify(v);
    if (typeof v === 'object' && v !== null && typeof (v as { $int?: unknown }).$int === 'string' && /^-?\d+$/.test((v as { $int: string }).$int)) return (v as { $int: string }).$int;
    throw new ValidationError('keys of this kind (BLOB) cannot be looked up; reload the table');
  }).join(',')}]`;
}

function keyed(ctx: OpContext, sql: string, params: unknown[], pk: string[]): { rows: Array<{ key: unknown[]; row: Record<string, unknown> }>; truncated: boolean } {
  const tdb = new TenantDb(ctx.conn, ctx.principal, ctx.context, { settings: ctx.settings, deadline: ctx.deadline });
  const result = tdb.query(sql, params);
  const rows = result.rows.map((values) => {
    const row = Object.fromEntries(result.columns.map((c, i) => [c, values[i]]));
    return { key: pk.map((c) => row[c]), row };
  });
  return { rows, truncated: result.truncated };
}

function reply(body: unknown) {
  return { status: 200, body: JSON.stringify(body), effects: { writes: [], reads: [] } };
}

export const eventRowsHandler: OpHandler<'eventRows'> = {
  run(ctx, { table, pk, keys }) {
    if (pk.length === 0 || keys.length === 0) return reply({ rows: [], truncated: false });
    const list = `[${keys.map(keyJson).join(',')}]`;
    const columns = pk.map(quote);
    const filter = pk.length === 1
      ? `${columns[0]} IN (SELECT json_extract(value, '$[0]') FROM json_each(?))`
      : `(${columns.join(', ')}) IN (SELECT ${pk.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?))`;
    return reply(keyed(ctx, `SELECT * FROM ${quote(table)} WHERE ${filter}`, [list], pk));
  },
};

export const eventSnapshotHandler: OpHandler<'eventSnapshot'> = {
  run(ctx, { table, limit }) {
    // The primary key names the rows in events; a table without one gets "reload" events.
    const pk = ctx.conn.gate.trusted(() => ctx.conn.db.prepare("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
      .all(table) as Array<{ name: string }>).map((c) => c.name);
    const order = pk.length > 0 ? ` ORDER BY ${pk.map(quote).join(', ')}` : '';
    const found = keyed(ctx, `SELECT * FROM ${quote(table)}${order} LIMIT ?`, [limit + 1], pk);
    return reply({ rows: found.rows.slice(0, limit), truncated: found.truncated || found.rows.length > limit, pk });
  },
};
