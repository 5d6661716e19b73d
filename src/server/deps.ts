/**
 * Builds (and tears down) what the HTTP layer runs on: the data directory, the registry,
 * connection pools, the password hasher and the token key.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import type { Config } from '../config.ts';
import { Registry } from '../cenv/registry.ts';
import { ConnectionPools } from '../cenv/pool.ts';
import { jwtKeyFile, registryFile } from '../cenv/paths.ts';
import { PasswordHasher } from '../auth/passwords.ts';
import { TokenService, loadOrCreateKey } from '../auth/tokens.ts';
import type { AppDeps } from './types.ts';

/** Creates the data directory (mode 0700) and opens everything in it. */
export function createDeps(config: Config): AppDeps {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask and ignored for an existing directory.
  chmodSync(config.dataDir, 0o700);
  const registry = new Registry(registryFile(config.dataDir));
  const pools = new ConnectionPools({
    dataDir: config.dataDir, perCenv: config.connectionsPerCenv, maxOpen: config.maxOpenCenvs, idleMs: config.poolIdleMs,
  });
  const key = config.jwtSecret ?? loadOrCreateKey(jwtKeyFile(config.dataDir));
  return { config, registry, pools, hasher: new PasswordHasher(config.bcryptCost), tokens: new TokenService(key) };
}

/** Closes every SQLite connection the dependencies hold. */
export function closeDeps(deps: AppDeps): void {
  deps.pools.close();
  deps.registry.close();
}
