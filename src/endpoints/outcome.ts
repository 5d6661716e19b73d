/**
 * The main process's side of a finished run: the record for the endpoint's log, and the
 * error a failed run is answered with. Owner and admin callers get the message, position and
 * Starlark backtrace; everyone else gets only a request id for a script error (its message
 * may hold the app's data) and only the message for a limit (504/413/503/507: it names a
 * setting, nothing of the app).
 *
 * @example if (reply.run.error) throw callerError(reply.run.error, isAdministrator(principal), request.id);
 */
import type { Principal } from '../auth/principal.ts';
import { errorForCode, ScriptError } from '../errors.ts';
import type { RunLog, ScriptFailure } from '../sandbox/protocol.ts';
import type { RunError, StoredRun } from './run-logs.ts';

/** The details an owner/admin sees of a failure. */
export function failureDetails(failure: ScriptFailure): Record<string, unknown> {
  return {
    ...(failure.line !== undefined ? { line: failure.line, column: failure.column } : {}),
    ...(failure.backtrace ? { backtrace: failure.backtrace } : {}),
    ...(failure.cause ? { cause: failure.cause } : {}),
  };
}

/**
 * The error to answer a failed run with, shaped for who called.
 * @example callerError({ status: 500, code: 'WCE_ERR_SCRIPT', message: 'boom', backtrace }, false, 'req-1').message
 *          // 'the endpoint failed; quote request id req-1 when reporting it'
 */
export function callerError(failure: ScriptFailure, administrator: boolean, requestId: string): Error {
  if (administrator) {
    const details = failureDetails(failure);
    return errorForCode(failure.code, failure.status, failure.message, Object.keys(details).length > 0 ? details : undefined);
  }
  if (failure.code === 'WCE_ERR_SCRIPT') return new ScriptError(`the endpoint failed; quote request id ${requestId} when reporting it`);
  return errorForCode(failure.code, failure.status, failure.message);
}

export interface RunContext {
  requestId: string;
  method: string;
  path: string;
  version: number;
  caller: Principal;
  /** Date.now() when the route began the run. */
  started: number;
}

function runError(failure: ScriptFailure): RunError {
  return {
    code: failure.code, message: failure.message, backtrace: failure.backtrace,
    ...(failure.line !== undefined ? { line: failure.line, column: failure.column } : {}),
  };
}

/**
 * The log record of a run: from the child's RunLog when the run replied, or from the error
 * when it never did (stopped at the hard deadline, its child died, the sandbox was full).
 */
export function runRecord(context: RunContext, outcome: { status: number; run: RunLog } | { error: Error & { statusCode?: number; code?: string } }): StoredRun {
  const base = {
    at: context.started, request_id: context.requestId, method: context.method, path: context.path,
    version: context.version, user: context.caller.username,
  };
  if ('run' in outcome) {
    const { run } = outcome;
    return { ...base, status: outcome.status, duration_ms: run.durationMs, steps: run.steps, logs: run.prints, error: run.error ? runError(run.error) : null };
  }
  const { error } = outcome;
  return {
    ...base, status: error.statusCode ?? 500, duration_ms: Date.now() - context.started, steps: 0, logs: [],
    error: { code: error.code ?? 'WCE_ERR_INTERNAL', message: error.statusCode ? error.message : 'internal error', backtrace: null },
  };
}
