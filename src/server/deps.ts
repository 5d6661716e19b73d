/**
 * Builds (and tears down) what the HTTP layer runs on: the data directory, the registry,
 * connection pools, settings, the password hasher, the token key, the limiters on their
 * shared counter store, the commit bus, the sandbox pool, the page service (subscribed to the
 * bus for invalidation) and the metrics.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import type { Config } from '../config.ts';
import { Registry, type CenvRegistry } from '../cenv/registry.ts';
import { ConnectionPools } from '../cenv/pool.ts';
import { jwtKeyFile, registryFile } from '../cenv/paths.ts';
import { readConfigRows, SettingsCache } from '../cenv/settings-store.ts';
import { PasswordHasher } from '../auth/passwords.ts';
import { TokenService, loadOrCreateKey } from '../auth/tokens.ts';
import { SessionCache } from '../auth/session-cache.ts';
import { CommitBus, type BusLogger } from '../db/commit-bus.ts';
import { SandboxPool, type SandboxOptions } from '../sandbox/pool.ts';
import { subscribePages } from '../pages/invalidation.ts';
import { PageService } from '../pages/service.ts';
import { KeyedLimiter } from '../tools/keyed-limiter.ts';
import { EventHub, type KeyedRows } from '../events/event-hub.ts';
import { liveSessionIds } from '../auth/sessions.ts';
import { sandboxJob } from '../sandbox/job.ts';
import { RouteCache } from '../endpoints/route-cache.ts';
import { RunLogs } from '../endpoints/run-logs.ts';
import { enabledRoutes } from '../endpoints/store.ts';
import { MemoryCounterStore, type CounterStore } from '../tools/counter-store.ts';
import { Metrics } from '../metrics/metrics.ts';
import { RateLimits } from './plugins/rate-limit.ts';
import type { AppDeps } from './types.ts';

type SandboxLogger = NonNullable<SandboxOptions['logger']>;

/** What a deployment may swap in. */
export interface DepsOptions {
  /** The registry to use instead of `registry.db` in the data directory (cluster mode: etcd). */
  registry?: CenvRegistry;
  /** Where every limit counts (default: in this process). Several server processes share one. */
  counters?: CounterStore;
}

/**
 * Creates the data directory (mode 0700) and opens everything in it.
 * @example const deps = createDeps(loadConfig(process.env), log, { counters: sharedStore })
 */
export function createDeps(config: Config, log: BusLogger & SandboxLogger, options: DepsOptions = {}): AppDeps {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask and ignored for an existing directory.
  chmodSync(config.dataDir, 0o700);
  const registry = options.registry ?? new Registry(registryFile(config.dataDir));
  const serverConnections = config.settings.connections_per_cenv.value as number;
  const pools = new ConnectionPools({
    dataDir: config.dataDir, perCenv: config.connectionsPerCenv, maxOpen: config.maxOpenCenvs, idleMs: config.poolIdleMs,
    // A pool opening for a cenv whose settings are cached starts at its limit (they are loaded through a connection).
    limitFor: (cenvId) => settings.peek(cenvId)?.connections_per_cenv ?? serverConnections,
    waitMs: config.connectionWaitMs,
  });
  const key = config.jwtSecret ?? loadOrCreateKey(jwtKeyFile(config.dataDir));
  const sandbox = new SandboxPool({
    dataDir: config.dataDir, server: config.settings, size: config.sandboxProcesses, memoryMb: config.sandboxMemoryMb, logger: log,
  });
  // A cenv's pool follows its connections_per_cenv from every load of its settings.
  const settings = new SettingsCache(config.settings, (cenvId) => pools.use(cenvId, readConfigRows), undefined,
    (cenvId, loaded) => pools.setLimit(cenvId, loaded.connections_per_cenv));
  const sessions = new SessionCache();
  const bus = new CommitBus(log);
  // The event stream reads rows in the sandbox as each subscriber, within the cenv's limits.
  const events = new EventHub(async (cenvId, principal, op, payload) => {
    const reply = await sandbox.run(sandboxJob(op, cenvId, principal, payload as never, await settings.get(cenvId), { writes: false }));
    return JSON.parse(reply.body) as KeyedRows;
  }, log, (cenvId, sessions) => pools.use(cenvId, (db) => liveSessionIds(db, sessions)));
  bus.subscribe((event) => events.onCommit(event));
  const endpoints = { routes: new RouteCache((cenvId) => pools.use(cenvId, enabledRoutes)), runs: new RunLogs() };
  const metrics = new Metrics({ sandbox: () => sandbox.stats(), pools: () => pools.stats(), commits: () => bus.published });
  const pages = new PageService({ pools, sandbox, settings, registry, logger: log, onCacheEvent: (event) => metrics.pageCache(event) });
  subscribePages(bus, pages);
  const counters = options.counters ?? new MemoryCounterStore();
  return {
    config, registry, pools, sandbox, settings, sessions, bus, events, endpoints, pages, metrics, counters,
    hasher: new PasswordHasher(config.bcryptCost),
    tokens: new TokenService(key),
    rateLimits: new RateLimits(counters, config.rateLimitWindowMs, metrics),
    loginThrottle: new KeyedLimiter(counters, 'login', { max: config.loginMaxFailures, windowMs: config.loginWindowMs }),
    newCenvLimiter: new KeyedLimiter(counters, 'new-cenv', { max: config.newCenvsPerHour, windowMs: 3600_000 }),
    /**
     * Drains the cenv everywhere (the main process's connections and every sandbox child's),
     * runs `fn` — which may replace or remove the file — and lets waiting work go on against
     * whatever is there afterwards (a new generation in the children).
     */
    async exclusive<T>(cenvId: string, fn: () => T | Promise<T>): Promise<T> {
      const resumeSandbox = await sandbox.drain(cenvId);
      let resumePools: (() => void) | null = null;
      try {
        resumePools = await pools.drain(cenvId);
        return await fn();
      } finally {
        // Whatever the file holds now, nothing cached from the old one may answer.
        settings.invalidate(cenvId);
        sessions.invalidate(cenvId);
        endpoints.routes.invalidate(cenvId);
        endpoints.runs.forgetCenv(cenvId);
        // Pages remembered in memory came from the old file (cluster mode restores a cenv's
        // file when it takes it over; an import is also told by its bus event).
        pages.forgetAll(cenvId);
        resumePools?.();
        resumeSandbox();
      }
    },
  };
}

/** Closes every SQLite connection the dependencies hold and stops the sandbox children. */
export async function closeDeps(deps: AppDeps): Promise<void> {
  // No new background renders; those running end with the sandbox below.
  deps.pages.close();
  // Idle children are let go, busy ones killed: SQLite rolls back what they had not committed.
  await deps.sandbox.close();
  deps.pools.close();
  await deps.registry.close();
}
