/**
 * The WCE server: reads the configuration, opens the data directory, serves HTTP, and on
 * SIGINT/SIGTERM stops accepting, lets in-flight requests finish, closes every SQLite
 * connection and exits 0.
 */
import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './server/app.ts';
import { createDeps, closeDeps } from './server/deps.ts';
import { startSessionSweeper } from './auth/session-sweeper.ts';
import { createLogger } from './server/logger.ts';
import { MEMORY_CAP_AVAILABLE } from './sandbox/spawn.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`wce: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const deps = createDeps(config, log);
  const app = await buildApp(deps, log);
  const stopSweeper = startSessionSweeper(deps.pools, config.sessionCleanupMs, app.log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    stopSweeper();
    await app.close();
    await closeDeps(deps);
    app.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await app.listen({ port: config.port, host: config.host });
    // Start the sandbox children now rather than on the first tenant request.
    deps.sandbox.warm();
    if (!MEMORY_CAP_AVAILABLE) {
      app.log.warn('util-linux prlimit not found: sandbox children get only a JS heap cap, SQLite memory is not bounded; install util-linux');
    }
  } catch (error) {
    app.log.error({ err: error }, `cannot listen on ${config.host}:${config.port}`);
    process.stderr.write(`wce: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    await closeDeps(deps);
    process.exit(1);
  }
}

await main();
