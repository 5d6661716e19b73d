/**
 * What the server puts on every Fastify request and instance. Routes under `/{cenv}` can
 * rely on `request.cenv` (the resolved, active cenv) and `request.principal` (anonymous
 * when no credentials were sent; a bad token is answered with 401 before the route runs).
 */
import type {} from 'fastify';
import type {} from '@fastify/cookie';
import type { Config } from '../config.ts';
import type { Registry, CenvRecord } from '../cenv/registry.ts';
import type { ConnectionPools } from '../cenv/pool.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Principal } from '../auth/principal.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { SandboxPool } from '../sandbox/pool.ts';
import type { CommitHooks } from '../db/commit-hooks.ts';

/** Everything the HTTP layer needs, built once by main.ts (or a test). */
export interface AppDeps {
  config: Config;
  registry: Registry;
  pools: ConnectionPools;
  hasher: PasswordHasher;
  tokens: TokenService;
  loginThrottle: LoginThrottle;
  /** Child processes that run tenant SQL (and later Starlark and page renders). */
  sandbox: SandboxPool;
  /** Callbacks after tenant writes commit (cache invalidation, page re-renders). */
  commitHooks: CommitHooks;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    cenv: CenvRecord;
    principal: Principal;
    /** True when the credentials came from the session cookie (CSRF rules apply). */
    viaCookie: boolean;
  }
}
