/**
 * What the server puts on every Fastify instance, request and route. Routes under `/{cenv}`
 * rely on `request.caller`, built once per request by the cenv scope (plugins/cenv-scope.ts):
 * the resolved cenv, the principal (anonymous when no credentials were sent; a bad token is
 * answered with 401 before the route runs), the client and the cenv's settings.
 *
 * Every route declares in its `config` who may call it (`access`) and what kind of body it
 * serves (`kind`, which picks the security headers). A cenv route without `access` is a
 * startup error, so no route is open by omission.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from './plugins/cookies.ts';
import type {} from '@fastify/swagger';
import type { Config } from '../config.ts';
import type { CenvRegistry, CenvRecord } from '../cenv/registry.ts';
import type { ConnectionPools } from '../cenv/pool.ts';
import type { Settings } from '../cenv/settings.ts';
import type { SettingsCache } from '../cenv/settings-store.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Principal } from '../auth/principal.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import type { CommitBus } from '../db/commit-bus.ts';
import type { PageService } from '../pages/service.ts';
import type { SandboxPool } from '../sandbox/pool.ts';
import type { KeyedLimiter } from '../tools/keyed-limiter.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { RouteCache } from '../endpoints/route-cache.ts';
import type { RunLogs } from '../endpoints/run-logs.ts';
import type { CounterStore } from '../tools/counter-store.ts';
import type { ClusterFigures, Metrics } from '../metrics/metrics.ts';
import type { RateLimits } from './plugins/rate-limit.ts';

/** Everything the HTTP layer needs, built once by main.ts (or a test). */
export interface AppDeps {
  config: Config;
  registry: CenvRegistry;
  pools: ConnectionPools;
  settings: SettingsCache;
  hasher: PasswordHasher;
  tokens: TokenService;
  /** Recent session checks (invalidated by every session or user change). */
  sessions: SessionCache;
  /** Every limit's counters (the rate limits, the login throttle, cenv creations): one pluggable store. */
  counters: CounterStore;
  /** The per-minute rate limits per cenv, user and address (plugins/rate-limit.ts). */
  rateLimits: RateLimits;
  /** Login attempts per (cenv, address), counted before the hash, refunded on success. */
  loginThrottle: KeyedLimiter;
  /** Cenv creations per client address (POST /new). */
  newCenvLimiter: KeyedLimiter;
  /** Child processes that run tenant work: SQL, endpoint runs, page renders. */
  sandbox: SandboxPool;
  /** Every committed change, from the sandbox and from the admin API. */
  bus: CommitBus;
  /** Server-sent events: subscribers and the fan-out of commits to them. */
  events: EventHub;
  /** Starlark endpoints: each cenv's routing table (invalidated by the admin API) and the runs' logs. */
  endpoints: { routes: RouteCache; runs: RunLogs };
  /** Rendered pages: the cache, renders on a miss, re-renders after commits. */
  pages: PageService;
  /** Prometheus metrics (GET /metrics) and the calls that record them. */
  metrics: Metrics;
  /** Runs `fn` while nothing else uses the cenv's file (import, delete): see deps.ts. */
  exclusive<T>(cenvId: string, fn: () => T | Promise<T>): Promise<T>;
  /** Cluster mode (src/cluster, set by main.ts); absent on a single node. */
  cluster?: ClusterHooks;
}

/**
 * Cluster mode's hooks into the HTTP layer. On a single node there are none and none of the
 * cluster's code runs. The implementation is src/cluster/routing.ts.
 */
export interface ClusterHooks {
  /** Adds the cluster's hooks and routes to the root instance (before any route is registered). */
  install(app: FastifyInstance): Promise<void>;
  /**
   * Called by the cenv scope once the cenv is resolved, before credentials are read. True:
   * the request was handed to the owning node (the reply is hijacked; nothing else may run).
   * False: this node owns the cenv and serves it. Throws 503 when ownership is uncertain.
   */
  route(cenv: CenvRecord, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Before a locally served cenv reply leaves: throws 503 if this node's claim ended meanwhile. */
  confirm(request: FastifyRequest): void;
  /** This node's cluster figures, for /metrics gauges. */
  metrics(): ClusterMetrics;
}

/** What a node knows about its part of the cluster: the metrics' type (a type both sides need lives in the lower one). */
export type ClusterMetrics = ClusterFigures;

/**
 * Who may call a route: `none` skips credentials altogether (login, public pages of WCE),
 * `anonymous` lets anyone in but checks credentials that are sent, `user` needs a session,
 * `admin` an owner or admin, `owner` the owner.
 */
export type Access = 'none' | 'anonymous' | 'user' | 'admin' | 'owner';

/**
 * What a route serves, which decides its security headers: `api` (JSON; nothing may load),
 * `ui` (WCE's own pages; its scripts, styles and Monaco's workers from 'self'), `tenant` (a
 * body a tenant wrote: sandboxed, see plugins/headers.ts).
 */
export type RouteKind = 'api' | 'ui' | 'tenant';

export interface WceRouteConfig {
  access?: Access;
  kind?: RouteKind;
  /** The route answers cross-origin callers listed in `cors_allowed_origins` (plugins/cors.ts). */
  cors?: boolean;
  /** false: not counted by the rate limits (health probes, /metrics, preflights). */
  rateLimit?: false;
  /** The setting that bounds the body: `body_limit_bytes`, or `max_import_bytes` for file uploads. */
  bodyLimitSetting?: 'body_limit_bytes' | 'max_import_bytes';
}

/** The caller of a cenv route. */
export interface Caller {
  cenv: CenvRecord;
  principal: Principal;
  ip: string;
  userAgent: string | null;
  /** True when the credentials came from the session cookie (CSRF rules apply). */
  viaCookie: boolean;
  settings: Settings;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    caller: Caller;
    /** Set by route-config.ts on first use; read it through `routeConfig(request)`. */
    routeConfig: WceRouteConfig | null;
  }
  interface FastifyContextConfig extends WceRouteConfig {}
  interface FastifySchema {
    /**
     * Error codes (src/errors.ts) the route answers with beyond those its declarations imply
     * (src/server/openapi/operations.ts); the OpenAPI document lists them.
     */
    errors?: readonly string[];
    /**
     * The request body as the OpenAPI document shows it, for routes that read their body
     * themselves (uploads): documented, never validated by Fastify.
     */
    documentBody?: Record<string, unknown>;
  }
}
