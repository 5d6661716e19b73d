/**
 * How a failed run is answered. Limits keep their own status and a message that names the
 * setting to raise: the time limit or step budget → 504, a value or response too large →
 * 413, the database's limits as the database reports them (507 full, 503 busy or out of
 * memory). Everything else that went wrong inside the script — `fail()`, a type error, a
 * refused query — is a 500 `WCE_ERR_SCRIPT` whose message and backtrace only owner/admin
 * callers see (the main process decides). Either way it is recorded in the endpoint's log.
 *
 * @example failureOf(err, { timeoutMs: 5000, maxSteps: 5e7, deadline }) // { status: 504, code: 'WCE_ERR_TIMEOUT', … }
 */
import { StarlarkError, StarlarkSyntaxError } from '../starlark/index.ts';
import type { ScriptFailure } from '../sandbox/protocol.ts';
import { DbError } from './db-module.ts';
import { JsonTooLargeError } from './json-text.ts';

/** Database failures that are limits or load, not mistakes in the script. */
const DB_LIMIT_STATUSES = new Set([413, 503, 504, 507]);
const TOO_BIG = /^(?:string length|list length|dict size) \d+ exceeds limit|excessive repeat|^out of memory/;

export interface RunBounds { timeoutMs: number; maxSteps: number; deadline: number }

function located(error: StarlarkError): Pick<ScriptFailure, 'backtrace' | 'line' | 'column'> {
  return { backtrace: error.format(), ...(error.pos && error.pos.line > 0 ? { line: error.pos.line, column: error.pos.col } : {}) };
}

/**
 * The failure for what a run threw; anything that is not the script's (a fault in WCE) is
 * returned as null so the caller rethrows it as an internal error.
 */
export function failureOf(error: unknown, bounds: RunBounds): ScriptFailure | null {
  if (error instanceof StarlarkSyntaxError) {
    const first = error.diagnostics[0];
    return {
      status: 500, code: 'WCE_ERR_SCRIPT', message: `the source does not compile: ${error.message}`, backtrace: null,
      ...(first ? { line: first.pos.line, column: first.pos.col } : {}),
    };
  }
  if (error instanceof DbError) {
    const status = error.wce.statusCode ?? 500;
    if (DB_LIMIT_STATUSES.has(status)) return { status, code: error.wce.code ?? 'WCE_ERR_INTERNAL', message: error.wce.message, ...located(error) };
    return { status: 500, code: 'WCE_ERR_SCRIPT', message: error.msg, cause: error.wce.code, ...located(error) };
  }
  if (error instanceof JsonTooLargeError) return { status: 413, code: 'WCE_ERR_PAYLOAD_TOO_LARGE', message: error.msg, ...located(error) };
  if (error instanceof StarlarkError) {
    if (/^deadline exceeded/.test(error.msg) || Date.now() > bounds.deadline) {
      return {
        status: 504, code: 'WCE_ERR_TIMEOUT', ...located(error),
        message: `the endpoint ran longer than its ${bounds.timeoutMs} ms limit and was stopped; make it do less or raise starlark_timeout_ms`,
      };
    }
    if (/^step budget of \d+ exceeded/.test(error.msg)) {
      return {
        status: 504, code: 'WCE_ERR_TIMEOUT', ...located(error),
        message: `the endpoint ran more than its ${bounds.maxSteps} steps and was stopped; make it do less or raise starlark_max_steps`,
      };
    }
    if (TOO_BIG.test(error.msg)) {
      return { status: 413, code: 'WCE_ERR_PAYLOAD_TOO_LARGE', message: `the endpoint built a value that is too large: ${error.msg}`, ...located(error) };
    }
    return { status: 500, code: 'WCE_ERR_SCRIPT', message: error.msg, ...located(error) };
  }
  const wce = error as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof wce?.statusCode === 'number' && wce.statusCode !== 500 && typeof wce.code === 'string') {
    // A limit met outside Starlark: the commit (507 full), the clock between statements.
    return { status: wce.statusCode, code: wce.code, message: String(wce.message), backtrace: null };
  }
  return null;
}
