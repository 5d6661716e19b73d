/**
 * The per-endpoint log of runs: time, status, duration, steps, `print` output and the error
 * with its backtrace, newest first. Kept in the main process's memory, bounded per endpoint
 * (runs and bytes) and in total (the least recently written endpoints' logs go first), so a
 * chatty script cannot grow the server. Not persisted: a restart starts empty. Writing it
 * into the cenv file would add a write transaction to every call of every endpoint.
 *
 * @example
 *   logs.add(cenvId, 7, { at: Date.now(), request_id, method: 'GET', path: '/posts/1', status: 200, … });
 *   logs.list(cenvId, 7) // newest first
 */

export interface RunError {
  code: string;
  message: string;
  /** The Starlark traceback, when the script failed inside Starlark. */
  backtrace: string | null;
  line?: number;
  column?: number;
}

export interface RunRecord {
  /** When the run started (ISO 8601). */
  at: string;
  request_id: string;
  method: string;
  /** The request path below /{cenv}/api, without the query (which may carry secrets). */
  path: string;
  status: number;
  duration_ms: number;
  steps: number;
  version: number | null;
  user: string | null;
  logs: string[];
  error: RunError | null;
}

export interface RunLogLimits { runs: number; bytes: number; totalBytes: number }

export const DEFAULT_RUN_LOG_LIMITS: RunLogLimits = { runs: 200, bytes: 1024 * 1024, totalBytes: 64 * 1024 * 1024 };

/** A record as kept: the time as a number, turned into text only when someone reads the log. */
export type StoredRun = Omit<RunRecord, 'at'> & { at: number };

interface Log { records: Array<{ record: StoredRun; bytes: number }>; bytes: number }

/** The approximate size a record costs (its text; the fixed fields are small). */
function sizeOf(record: StoredRun): number {
  let bytes = 200 + record.path.length + (record.user?.length ?? 0);
  for (const line of record.logs) bytes += line.length + 4;
  if (record.error) bytes += record.error.message.length + (record.error.backtrace?.length ?? 0);
  return bytes * 2;
}

export class RunLogs {
  private readonly limits: RunLogLimits;
  /** Keyed by `cenvId/endpointId`; Map order is least recently written first. */
  private readonly logs = new Map<string, Log>();
  private total = 0;

  constructor(limits: RunLogLimits = DEFAULT_RUN_LOG_LIMITS) {
    this.limits = limits;
  }

  add(cenvId: string, endpointId: number, record: StoredRun): void {
    const key = `${cenvId}/${endpointId}`;
    const log = this.logs.get(key) ?? { records: [], bytes: 0 };
    this.logs.delete(key);
    this.logs.set(key, log);
    const bytes = sizeOf(record);
    log.records.push({ record, bytes });
    log.bytes += bytes;
    this.total += bytes;
    // Keep the newest record even when it alone is over the byte bound.
    while (log.records.length > 1 && (log.records.length > this.limits.runs || log.bytes > this.limits.bytes)) {
      const dropped = log.records.shift()!;
      log.bytes -= dropped.bytes;
      this.total -= dropped.bytes;
    }
    for (const [other, victim] of this.logs) {
      if (this.total <= this.limits.totalBytes || other === key) break;
      this.drop(other, victim);
    }
  }

  /** Up to `limit` records of one endpoint, newest first. */
  list(cenvId: string, endpointId: number, limit = this.limits.runs): RunRecord[] {
    const log = this.logs.get(`${cenvId}/${endpointId}`);
    if (!log) return [];
    return log.records.slice(-limit).reverse().map(({ record }) => ({ ...record, at: new Date(record.at).toISOString() }));
  }

  /** Drops one endpoint's log (it was deleted). */
  forget(cenvId: string, endpointId: number): void {
    const key = `${cenvId}/${endpointId}`;
    const log = this.logs.get(key);
    if (log) this.drop(key, log);
  }

  /** Drops every log of a cenv (its file was replaced or removed). */
  forgetCenv(cenvId: string): void {
    for (const [key, log] of [...this.logs]) if (key.startsWith(`${cenvId}/`)) this.drop(key, log);
  }

  /** Bytes held in all, for tests and metrics. */
  get bytes(): number {
    return this.total;
  }

  private drop(key: string, log: Log): void {
    this.logs.delete(key);
    this.total -= log.bytes;
  }
}
