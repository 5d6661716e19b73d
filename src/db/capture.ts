/**
 * Recording which rows a job changed, for cenvs someone listens to (src/events): a session
 * (SQLite's session extension) is attached to the connection for the job, and afterwards the
 * changed rows' primary keys are read out of its changeset, per table, in the JSON forms
 * of values.ts. Jobs of cenvs nobody listens to pay nothing.
 *
 * @example
 *   const capture = startCapture(conn);
 *   try { runTheJob(); } finally { reply.effects.changes = capture.finish(); }
 */
import type { Session } from 'node:sqlite';
import type { TenantConnection } from './connection.ts';
import { parseChangeset, type ChangeOp, type KeyValue } from './changeset.ts';

/** Keys reported per table and job at most; past it the table is marked `overflow`. */
export const MAX_CHANGED_KEYS = 1000;

/** What one job changed in one table. */
export interface ChangedRows {
  table: string;
  /** Primary-key column names, in key order. */
  pk: string[];
  /** One key per changed row (values in the lossless JSON forms). */
  keys: unknown[][];
  /** What happened to each row, in the order of `keys`. */
  ops: ChangeOp[];
  /** More rows changed than MAX_CHANGED_KEYS: listeners should reload the table. */
  overflow: boolean;
}

function jsonValue(value: KeyValue): unknown {
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (value instanceof Uint8Array) return { $blob: Buffer.from(value).toString('base64') };
  return value;
}

export interface Capture { finish(): ChangedRows[] }

export function startCapture(conn: TenantConnection): Capture {
  const session: Session = conn.gate.trusted(() => conn.db.createSession());
  return {
    finish() {
      try {
        const tables = parseChangeset(conn.gate.trusted(() => session.changeset()));
        // WCE's own tables (_wce_*) change with every write (audit); listeners never see them.
        return tables.filter((t) => !t.table.toLowerCase().startsWith('_wce_') && t.changes.length > 0).map((t) => {
          const columns = conn.gate.trusted(() => conn.db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(t.table) as Array<{ name: string }>);
          return {
            table: t.table,
            pk: t.pkColumns.map((i) => columns[i]?.name ?? `column${i}`),
            keys: t.changes.slice(0, MAX_CHANGED_KEYS).map((c) => c.key.map(jsonValue)),
            ops: t.changes.slice(0, MAX_CHANGED_KEYS).map((c) => c.op),
            overflow: t.changes.length > MAX_CHANGED_KEYS,
          };
        });
      } catch (error) {
        // The job's work stands (it may have committed): listeners miss these changes rather
        // than the writer being told its write failed.
        console.error('could not read the changes of a job for the event stream:', error);
        return [];
      } finally {
        session.close();
      }
    },
  };
}
