/**
 * Compiled scripts in a sandbox child. A saved endpoint's source is compiled and its top
 * level run once per (id, version), then its frozen globals serve every request until a new
 * version is routed to; the same for modules by (id, version). What an endpoint loaded is
 * remembered with it (module ids and versions, transitively) and checked on each request, so
 * a changed module rebuilds its users on the next request and nothing is ever served stale.
 *
 * The top level runs without a database (db-module.ts refuses it), so cached globals hold
 * nothing one caller could leak to another.
 *
 * @example useModules(thread, ctx, dialect); const handle = savedHandle(thread, { id: 7, version: 3 });
 */
import type { OpContext } from '../sandbox/handlers.ts';
import { NotFoundError } from '../errors.ts';
import { runModule, StarlarkError, type Thread, type Value } from '../starlark/index.ts';
import { prepared } from '../tools/statement-cache.ts';
import { dialectKey, type Dialect } from './dialect.ts';
import { scriptFilename } from './check-source.ts';
import { PREDECLARED } from './stdlib.ts';

interface ModuleDep { id: number; version: number }

interface Built {
  /** The script's globals (its `handle`), or a module's exports. */
  globals: Record<string, Value>;
  /** Every module loaded while building it, transitively. */
  deps: ModuleDep[];
  dialect: string;
}

/** Runs WCE's own read on the tenant connection (past the access guard, as WCE's SQL must). */
function read<T>(ctx: OpContext, sql: string, ...args: Array<string | number>): T | undefined {
  return ctx.conn.gate.trusted(() => prepared(ctx.conn.db, sql).get(...args)) as T | undefined;
}

function depsCurrent(ctx: OpContext, deps: ModuleDep[]): boolean {
  return deps.every((dep) => read<{ version: number }>(ctx, 'SELECT version FROM _wce_modules WHERE id = ?', dep.id)?.version === dep.version);
}

/** A cache entry that is still good for this dialect and these modules, or a fresh one. */
function cached(ctx: OpContext, key: string, version: number, dialect: Dialect, make: () => Built): Built {
  const entry = ctx.cache.get(key, version, make);
  if (entry.dialect === dialectKey(dialect) && depsCurrent(ctx, entry.deps)) return entry;
  ctx.cache.delete(key);
  return ctx.cache.get(key, version, make);
}

/** What a run's load hook needs: where modules come from, and the builds in progress. */
interface LoadState {
  ctx: OpContext;
  dialect: Dialect;
  /** Modules being loaded now (a module that loads itself, even indirectly, is an error). */
  loading: Set<string>;
  /** One list of loaded modules per build in progress, innermost last. */
  collectors: ModuleDep[][];
}

const LOAD_STATE = 'wce.load';

function stateOf(thread: Thread): LoadState {
  return thread.locals.get(LOAD_STATE) as LoadState;
}

/** Compiles `source` and runs its top level on `thread`, collecting the modules it loads. */
function build(state: LoadState, source: string, filename: string, thread: Thread): Built {
  state.collectors.push([]);
  try {
    const globals = runModule(source, { filename, predeclared: PREDECLARED, options: state.dialect, thread });
    return { globals, deps: state.collectors.at(-1)!, dialect: dialectKey(state.dialect) };
  } finally {
    state.collectors.pop();
  }
}

function loadModule(thread: Thread, name: string): Record<string, Value> {
  const state = stateOf(thread);
  if (state.loading.has(name)) throw new StarlarkError(`load: cycle in load graph at "${name.slice(0, 128)}"`);
  const row = read<{ id: number; version: number; source: string }>(state.ctx, 'SELECT id, version, source FROM _wce_modules WHERE name = ?', name);
  if (!row) throw new StarlarkError(`load: there is no module named "${name.slice(0, 128)}"`);
  state.loading.add(name);
  try {
    const entry = cached(state.ctx, `module:${row.id}`, row.version, state.dialect, () => build(state, row.source, name, thread));
    state.collectors.at(-1)?.push({ id: row.id, version: row.version }, ...entry.deps);
    return entry.globals;
  } finally {
    state.loading.delete(name);
  }
}

/** Points `thread`'s load() at this cenv's saved modules. */
export function useModules(thread: Thread, ctx: OpContext, dialect: Dialect): void {
  thread.locals.set(LOAD_STATE, { ctx, dialect, loading: new Set(), collectors: [] } satisfies LoadState);
  thread.load = loadModule;
}

function handleOf(globals: Record<string, Value>): Value {
  const handle = globals.handle;
  if (handle === undefined || handle === null) throw new StarlarkError('the script defines no handle(req) function');
  return handle;
}

/**
 * The `handle` of saved endpoint `id` at `version`, compiled on first use (after useModules).
 * Throws NotFoundError when that version no longer exists (deleted meanwhile).
 */
export function savedHandle(thread: Thread, endpoint: { id: number; version: number }): Value {
  const state = stateOf(thread);
  const { ctx } = state;
  const built = cached(ctx, `endpoint:${endpoint.id}`, endpoint.version, state.dialect, () => {
    const row = read<{ source: string }>(ctx, "SELECT source FROM _wce_versions WHERE kind = 'endpoint' AND item_id = ? AND version = ?",
      String(endpoint.id), endpoint.version);
    if (!row) throw new NotFoundError('this endpoint was changed or deleted while the request was on its way; send it again');
    return build(state, row.source, scriptFilename('endpoint'), thread);
  });
  return handleOf(built.globals);
}

/** The `handle` of unsaved source (a test run): compiled each time, modules from the cache. */
export function testHandle(thread: Thread, source: string): Value {
  return handleOf(build(stateOf(thread), source, scriptFilename('endpoint'), thread).globals);
}
