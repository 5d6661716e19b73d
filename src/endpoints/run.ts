/**
 * One endpoint run in a sandbox child: `handle(req)` on a fresh thread (the cenv's step
 * budget, the op's deadline, the run's growth limits and dialect), inside one transaction
 * that commits when `handle` returns and rolls back on any error — or always, for a test
 * run. The reply carries the HTTP response, what was committed, and the run's log (prints,
 * steps, time, and the failure when there was one: a failed run is a reply, not a wire error,
 * so its prints and backtrace reach the endpoint's log).
 *
 * The transaction starts deferred, so endpoints that only read never wait for each other. A
 * write after a read can then find its snapshot stale (another child committed meanwhile);
 * the whole run is then done again once with the write lock taken at its start. Nothing had
 * committed, and a script has no other side effects, so the retry is invisible.
 *
 * @example const reply = runEndpoint(ctx, { endpoint: { id: 7, version: 3 }, request });
 */
import { performance } from 'node:perf_hooks';
import { TenantDb } from '../db/tenant-db.ts';
import type { OpContext } from '../sandbox/handlers.ts';
import type { EndpointPayload, ReplyOf, ScriptFailure } from '../sandbox/protocol.ts';
import { callFunction, Thread, type Value } from '../starlark/index.ts';
import { publishedOf } from './events-module.ts';
import { INVOCATION_DB } from './db-module.ts';
import { dialectFor } from './dialect.ts';
import { failureOf } from './failure.ts';
import { savedHandle, testHandle, useModules } from './program.ts';
import { toHttpResult, type HttpResult } from './response.ts';
import { ScriptReq } from './script-request.ts';
import { MAX_BODY_BYTES, SCRIPT_LIMITS } from './stdlib.ts';

/** print() output kept per run: lines and characters (the rest is counted, not kept). */
export const MAX_PRINT_LINES = 1000;
export const MAX_PRINT_CHARS = 64 * 1024;

class Prints {
  readonly lines: string[] = [];
  private chars = 0;
  private dropped = 0;

  add(line: string): void {
    if (this.lines.length >= MAX_PRINT_LINES || this.chars + line.length > MAX_PRINT_CHARS) {
      this.dropped++;
      return;
    }
    this.chars += line.length;
    this.lines.push(line);
  }

  done(): string[] {
    return this.dropped > 0 ? [...this.lines, `[${this.dropped} more lines of print() output were dropped]`] : this.lines;
  }
}

interface Attempt { result: HttpResult | null; failure: ScriptFailure | null; tdb: TenantDb; thread: Thread }

function attempt(ctx: OpContext, payload: EndpointPayload, prints: Prints, mode: 'deferred' | 'immediate'): Attempt {
  const { settings } = ctx;
  const dialect = dialectFor(settings);
  const thread = new Thread({
    maxSteps: settings.starlark_max_steps, deadline: ctx.deadline, limits: SCRIPT_LIMITS, options: dialect,
    print: (_t, line) => prints.add(line),
  });
  const tdb = new TenantDb(ctx.conn, ctx.principal, ctx.context, {
    settings, deadline: ctx.deadline, limitName: 'starlark_timeout_ms', rawValues: true,
  });
  try {
    useModules(thread, ctx, dialect);
    const handle: Value = payload.test ? testHandle(thread, payload.test.source) : savedHandle(thread, payload.endpoint!);
    const req = new ScriptReq(payload.request, thread);
    const result = tdb.transaction(() => {
      // The database exists for the script only while handle runs (see db-module.ts).
      thread.locals.set(INVOCATION_DB, tdb);
      try {
        return toHttpResult(callFunction(handle, [req], null, { thread }), MAX_BODY_BYTES);
      } finally {
        thread.locals.delete(INVOCATION_DB);
      }
    }, { mode, rollback: payload.test !== undefined });
    return { result, failure: null, tdb, thread };
  } catch (error) {
    const failure = failureOf(error, { timeoutMs: ctx.timeoutMs, maxSteps: settings.starlark_max_steps, deadline: ctx.deadline });
    if (!failure) throw error;
    return { result: null, failure, tdb, thread };
  }
}

/** Runs one endpoint (saved or test) and builds the op's reply. */
export function runEndpoint(ctx: OpContext, payload: EndpointPayload): ReplyOf<'endpoint'> {
  const started = performance.now();
  let prints = new Prints();
  let run = attempt(ctx, payload, prints, 'deferred');
  if (run.failure && run.tdb.lockConflict && Date.now() < ctx.deadline) {
    prints = new Prints();
    run = attempt(ctx, payload, prints, 'immediate');
  }
  const { result, failure, tdb, thread } = run;
  return {
    status: result?.status ?? failure!.status,
    headers: result?.headers ?? {},
    body: result?.body ?? '',
    effects: { writes: tdb.committed, reads: [...tdb.reads] },
    run: {
      prints: prints.done(), error: failure, steps: thread.steps, durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(result ? { published: publishedOf(thread) } : {}),
    },
  };
}
