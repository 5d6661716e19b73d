/**
 * Builds (and tears down) what the HTTP layer runs on: the data directory, the registry,
 * connection pools, the password hasher, the token key and the sandbox pool.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import type { Config } from '../config.ts';
import { Registry } from '../cenv/registry.ts';
import { ConnectionPools } from '../cenv/pool.ts';
import { jwtKeyFile, registryFile } from '../cenv/paths.ts';
import { PasswordHasher } from '../auth/passwords.ts';
import { TokenService, loadOrCreateKey } from '../auth/tokens.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { SandboxPool } from '../sandbox/pool.ts';
import type { SandboxOptions } from '../sandbox/options.ts';
import { CommitHooks, type HookLogger } from '../db/commit-hooks.ts';
import type { AppDeps } from './types.ts';

type SandboxLogger = NonNullable<SandboxOptions['logger']>;

/** Creates the data directory (mode 0700) and opens everything in it. */
export function createDeps(config: Config, log: HookLogger & SandboxLogger): AppDeps {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask and ignored for an existing directory.
  chmodSync(config.dataDir, 0o700);
  const registry = new Registry(registryFile(config.dataDir));
  const pools = new ConnectionPools({
    dataDir: config.dataDir, perCenv: config.connectionsPerCenv, maxOpen: config.maxOpenCenvs, idleMs: config.poolIdleMs,
  });
  const key = config.jwtSecret ?? loadOrCreateKey(jwtKeyFile(config.dataDir));
  const commitHooks = new CommitHooks(log);
  const sandbox = new SandboxPool({
    dataDir: config.dataDir, size: config.sandboxProcesses, memoryMb: config.sandboxMemoryMb, hooks: commitHooks, logger: log,
    defaults: { sqlTimeoutMs: config.sqlTimeoutMs, maxRows: config.maxRows, maxDbBytes: config.maxDbBytes },
  });
  return {
    config, registry, pools, sandbox, commitHooks,
    hasher: new PasswordHasher(config.bcryptCost),
    tokens: new TokenService(key),
    loginThrottle: new LoginThrottle({ maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs }),
  };
}

/** Closes every SQLite connection the dependencies hold and stops the sandbox children. */
export async function closeDeps(deps: AppDeps): Promise<void> {
  // Idle children are let go, busy ones killed: SQLite rolls back what they had not committed.
  await deps.sandbox.close();
  deps.pools.close();
  deps.registry.close();
}
