/**
 * The WCE server: reads the configuration, opens the data directory, serves HTTP, and on
 * SIGINT/SIGTERM stops accepting, lets in-flight requests finish, closes every SQLite
 * connection and exits 0.
 *
 * With WCE_ETCD_ENDPOINTS set it runs as a node of a cluster (src/cluster): it joins first,
 * and on SIGINT/SIGTERM hands every cenv it owns to the other nodes (final sync, claims
 * released) before it stops accepting.
 */
import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './server/app.ts';
import { createDeps, closeDeps } from './server/deps.ts';
import { Registry } from './cenv/registry.ts';
import { recoverInterrupted } from './cenv/create.ts';
import { startSessionSweeper } from './auth/session-sweeper.ts';
import { createLogger, flushLogFiles, reopenLogFiles } from './server/logger.ts';
import { startAuditSweeper } from './server/audit-sweeper.ts';
import { MEMORY_CAP_AVAILABLE } from './sandbox/spawn.ts';
import { loadClusterConfig, type ClusterConfig } from './cluster/config.ts';
import { startClusterNode } from './cluster/node.ts';

async function main(): Promise<void> {
  let config;
  let clusterConfig: ClusterConfig | null;
  try {
    config = loadConfig(process.env);
    clusterConfig = loadClusterConfig(process.env, config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`wce: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, undefined, config.logFile);
  const node = clusterConfig ? await startClusterNode(config, clusterConfig, log) : null;
  const deps = createDeps(config, log, { registry: node?.registry });
  // A single node starts with no creation in progress: a cenv still 'creating' was cut off by a
  // crash, and its half-made file and reserved name are released. (Cluster mode: docs/dev/cluster.md.)
  if (deps.registry instanceof Registry) {
    const released = await recoverInterrupted(deps.registry, config.dataDir);
    if (released.length > 0) log.warn({ cenvs: released }, 'removed cenvs whose creation a crash interrupted');
  }
  node?.attach(deps);
  if (deps.cluster) {
    const cluster = deps.cluster;
    deps.metrics.cluster(() => cluster.metrics());
  }
  const app = await buildApp(deps, log);
  const stopSweeper = startSessionSweeper(deps.pools, config.sessionCleanupMs, app.log);
  const stopAuditSweeper = startAuditSweeper(deps, config.auditCleanupMs, app.log);
  // logrotate moves the file away and signals; the next line goes to a new file of the same name.
  process.on('SIGHUP', () => {
    reopenLogFiles();
    app.log.info('log file reopened');
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    stopSweeper();
    stopAuditSweeper();
    if (node) {
      app.log.info('cluster: handing every cenv to the other nodes');
      await node.handoff().catch((error) => app.log.error({ err: error }, 'cluster: handoff failed; the lease expiry hands the rest over'));
    }
    await app.close();
    await node?.close();
    await closeDeps(deps);
    app.log.info('stopped');
    flushLogFiles();
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
    await node?.close();
    await closeDeps(deps);
    process.exit(1);
  }
}

await main();
