/**
 * Every Prometheus metric WCE exports, in one registry per server (so tests can run several
 * servers in one process), and the small API the rest of the code records with. Labels are
 * bounded on purpose: route *patterns* (`/:cenv/sql`), never a cenv id or a raw path, so one
 * tenant's traffic cannot grow the series without bound or show up by name in a dashboard.
 *
 * Gauges of state owned elsewhere (sandbox children, open connections) are read when
 * Prometheus scrapes, through the `sources` given at construction: nothing is polled.
 *
 * @example
 *   const metrics = new Metrics({ sandbox: () => pool.stats(), pools: () => pools.stats(), commits: () => bus.published });
 *   metrics.request('POST', '/:cenv/sql', 200, 0.004);
 *   metrics.op('endpoint', 0.012, true);              // a Starlark endpoint run
 *   metrics.pageCache('hit');                          // the page cache (src/pages)
 *   const text = await metrics.registry.metrics();     // GET /metrics
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.ts';

/** What the sandbox pool reports (SandboxPool.stats()). */
export interface SandboxStats { children: number; busy: number; queued: number; restarts: number; timeouts: number }
/** What the main process's connection pools report (ConnectionPools.stats()). */
export interface PoolStats { openCenvs: number; connections: number }

export interface MetricSources {
  sandbox(): SandboxStats;
  pools(): PoolStats;
  /** Commit events published since start, by kind (CommitBus.published). */
  commits(): ReadonlyMap<string, number>;
}

/** What a cluster node knows about its part of the cluster (ClusterHooks.metrics(), src/server/types.ts). */
export interface ClusterFigures {
  /** Cenvs this node owns and serves now. */
  ownedCenvs: number;
  /** Per owned cenv: age of the oldest commit not yet known to be on its replica (0: none). */
  replicationLagSeconds: Array<{ cenvId: string; seconds: number }>;
  /** How long this node's lease is certainly valid (0: no lease; it serves nothing). */
  leaseRemainingSeconds: number;
  draining: boolean;
  /** Requests handed to other nodes, and those that could not reach them (counters). */
  forwardedRequests: number;
  forwardFailures: number;
  litestreamProcesses: number;
}

/** Which limit refused a request. */
export type LimitKind = 'ip' | 'user' | 'cenv' | 'login' | 'new_cenv';
/** What the page cache did for one page request or commit. */
export type PageCacheEvent = 'hit' | 'miss' | 'rerender' | 'render_failed';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: SeriesHistogram;
  private readonly ops: SeriesHistogram;
  private readonly pages: Counter<'event'>;
  private readonly logins: Counter;
  private readonly rejections: Counter<'limit'>;

  constructor(sources: MetricSources, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = new SeriesHistogram(this.registry, {
      name: 'wce_http_request_duration_seconds', help: 'Time from request to response, by route pattern and status',
      labels: ['method', 'route', 'status'], buckets: SECONDS,
      counter: { name: 'wce_http_requests_total', help: 'HTTP requests answered, by route pattern and status' },
    });
    this.ops = new SeriesHistogram(this.registry, {
      name: 'wce_sandbox_op_duration_seconds',
      help: 'Tenant work in the sandbox, waiting included: sql (SQL API), endpoint (Starlark), render (pages), inspect (imports)',
      labels: ['op', 'outcome'], buckets: SECONDS,
    });
    this.pages = new Counter({
      name: 'wce_page_cache_events_total', help: 'Page cache hits, misses, background re-renders and failed renders',
      labelNames: ['event'], registers,
    });
    this.logins = new Counter({ name: 'wce_logins_failed_total', help: 'Logins refused for a wrong username or password or a disabled user', registers });
    this.rejections = new Counter({
      name: 'wce_rate_limit_rejections_total', help: 'Requests refused with 429 by a rate limit or throttle',
      labelNames: ['limit'], registers,
    });
    this.stateGauges(sources, registers);
  }

  /** One answered request; `route` is the route's pattern ('' for no route). */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe([method, route || 'unmatched', String(status)], seconds);
  }

  /**
   * A recorder for one route pattern's requests (kept by the route's hook): series are found
   * by method and status in small maps, with no string built per request.
   */
  routeRecorder(route: string): (method: string, status: number, seconds: number) => void {
    const byMethod = new Map<string, Map<number, (seconds: number) => void>>();
    return (method, status, seconds) => {
      let byStatus = byMethod.get(method);
      if (!byStatus) byMethod.set(method, byStatus = new Map());
      let observe = byStatus.get(status);
      if (!observe) byStatus.set(status, observe = this.requests.observer([method, route || 'unmatched', String(status)]));
      observe(seconds);
    };
  }

  /** One sandbox op (SQL, a Starlark endpoint run, a page render, an import check). */
  op(op: string, seconds: number, ok: boolean): void {
    this.ops.observe([op, ok ? 'ok' : 'error'], seconds);
  }

  /** One page-cache event (for src/pages). */
  pageCache(event: PageCacheEvent): void {
    this.pages.inc({ event });
  }

  loginFailed(): void {
    this.logins.inc();
  }

  rateLimited(limit: LimitKind): void {
    this.rejections.inc({ limit });
  }

  /**
   * Adds the cluster's figures (cluster mode only: main.ts calls it once the node is attached).
   * Replication lag is exported as its maximum and a count of lagging cenvs: no cenv id in a label.
   */
  cluster(source: () => ClusterFigures): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: (f: ClusterFigures) => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read(source())); } });
    gauge('wce_cluster_owned_cenvs', 'Cenvs this node owns and serves', (f) => f.ownedCenvs);
    gauge('wce_cluster_replication_lag_seconds_max', 'Age of the oldest commit not yet known to be on its replica, over the cenvs this node serves',
      (f) => Math.max(0, ...f.replicationLagSeconds.map((l) => l.seconds)));
    gauge('wce_cluster_cenvs_lagging', 'Cenvs with commits not yet known to be on their replica', (f) => f.replicationLagSeconds.filter((l) => l.seconds > 0).length);
    gauge('wce_cluster_lease_remaining_seconds', 'How long this node\'s lease is certainly valid (0: it serves nothing)', (f) => f.leaseRemainingSeconds);
    gauge('wce_cluster_draining', '1 while this node hands its cenvs to the others', (f) => (f.draining ? 1 : 0));
    gauge('wce_cluster_litestream_processes', 'Litestream replication processes running', (f) => f.litestreamProcesses);
    const totals = (name: string, help: string, read: (f: ClusterFigures) => number) => {
      let seen = 0;
      new Counter({
        name, help, registers,
        collect() {
          const now = read(source());
          if (now > seen) this.inc(now - seen);
          seen = Math.max(seen, now);
        },
      });
    };
    totals('wce_cluster_forwarded_requests_total', 'Requests handed to the node that owns their cenv', (f) => f.forwardedRequests);
    totals('wce_cluster_forward_failures_total', 'Requests that could not reach the owning node', (f) => f.forwardFailures);
  }

  /** Gauges and counters whose values live in other objects, read at scrape time. */
  private stateGauges(sources: MetricSources, registers: Registry[]): void {
    new Gauge({
      name: 'wce_sandbox_children', help: 'Sandbox child processes, by state', labelNames: ['state'], registers,
      collect() {
        const s = sources.sandbox();
        this.set({ state: 'busy' }, s.busy);
        this.set({ state: 'idle' }, s.children - s.busy);
      },
    });
    new Gauge({
      name: 'wce_sandbox_jobs_queued', help: 'Tenant jobs waiting for a sandbox child', registers,
      collect() { this.set(sources.sandbox().queued); },
    });
    // Monotonic totals kept by the pool: exported as counters by adding what is new since the last scrape.
    const seen = { timeout: 0, exit: 0 };
    new Counter({
      name: 'wce_sandbox_children_killed_total', help: 'Sandbox children replaced: killed at a deadline (timeout) or stopped on their own (exit)',
      labelNames: ['reason'], registers,
      collect() {
        const s = sources.sandbox();
        const now = { timeout: s.timeouts, exit: Math.max(0, s.restarts - s.timeouts) };
        for (const reason of ['timeout', 'exit'] as const) {
          if (now[reason] > seen[reason]) this.inc({ reason }, now[reason] - seen[reason]);
          seen[reason] = Math.max(seen[reason], now[reason]);
        }
      },
    });
    new Gauge({
      name: 'wce_cenvs_open', help: 'Cenvs with open connections in the server process', registers,
      collect() { this.set(sources.pools().openCenvs); },
    });
    new Gauge({
      name: 'wce_cenv_connections', help: 'Open SQLite connections in the server process', registers,
      collect() { this.set(sources.pools().connections); },
    });
    const published = new Map<string, number>();
    new Counter({
      name: 'wce_commit_events_total', help: 'Committed changes published on the commit-event bus, by kind', labelNames: ['kind'], registers,
      collect() {
        for (const [kind, total] of sources.commits()) {
          const before = published.get(kind) ?? 0;
          if (total > before) this.inc({ kind }, total - before);
          published.set(kind, total);
        }
      },
    });
  }
}
