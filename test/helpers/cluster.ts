/**
 * A whole WCE cluster on loopback for tests and benches: etcd members, WCE nodes (the real
 * entry point, each in its own process group with its own data directory) and HAProxy in
 * front, with one replica directory they share. `kill9(node)` kills a node's whole group —
 * server, sandbox children and Litestream — as losing the machine would; `pause`/`resume`
 * SIGSTOP/SIGCONT it (a network partition as far as etcd is concerned).
 *
 * @example
 *   const cluster = await startCluster({ nodes: 3 });
 *   const cenv = await createCenv(cluster.proxy.url);
 *   await cluster.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fastTempDir, freePort, startEtcd, startHaproxy, waitForHttp, type EtcdCluster, type Haproxy } from './processes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLUSTER_SECRET = 'test-cluster-secret-0123456789-abcdefghij';

export interface ClusterNodeProcess {
  name: string;
  url: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export interface TestCluster {
  etcd: EtcdCluster;
  nodes: ClusterNodeProcess[];
  proxy: Haproxy;
  replicaDir: string;
  /** SIGKILL to the node's whole process group (server, sandbox children, Litestream). */
  kill9(node: ClusterNodeProcess): Promise<void>;
  pause(node: ClusterNodeProcess): void;
  resume(node: ClusterNodeProcess): void;
  /** Starts a stopped or killed node again with the same address and data directory. */
  restart(node: ClusterNodeProcess): Promise<ClusterNodeProcess>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  /** Environment for every node (e.g. WCE_CLUSTER_LEASE_TTL_S). */
  env?: Record<string, string>;
}

/**
 * Runs `bin/wce.mjs` on `port` in a process group of its own and waits until it is ready.
 * Without WCE_ETCD_ENDPOINTS in `env` it is a single-node server (the benches' baseline).
 */
export async function spawnNode(name: string, port: number, dataDir: string, env: Record<string, string>): Promise<ClusterNodeProcess> {
  const url = `http://127.0.0.1:${port}`;
  const fullEnv = { ...env, WCE_PORT: String(port), WCE_NODE_URL: url, WCE_DATA_DIR: dataDir };
  // A process group of its own: kill -9 of the group takes its children along, like a dead machine.
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wce.mjs')], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => { output += chunk; if (output.length > 4_000_000) output = output.slice(-2_000_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const node: ClusterNodeProcess = { name, url, port, dataDir, env, child, output: () => output, exited };
  await Promise.race([
    waitForHttp(`${url}/health/ready`, 60_000, 200),
    exited.then((code) => { throw new Error(`node ${name} exited with ${code}: ${output.slice(-3000)}`); }),
  ]);
  return node;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const size = options.nodes ?? 3;
  const scratch = fastTempDir('wce-cluster-');
  const replicaDir = path.join(scratch, 'replicas');
  mkdirSync(replicaDir, { mode: 0o700 });
  const etcd = await startEtcd(3);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    WCE_ETCD_ENDPOINTS: etcd.endpoints.join(','),
    WCE_REPLICA_URL: `file://${replicaDir}`,
    WCE_JWT_SECRET: CLUSTER_SECRET,
    WCE_HOST: '127.0.0.1',
    WCE_BCRYPT_COST: '4',
    WCE_LOGIN_MAX_FAILURES: '0',
    WCE_NEW_CENVS_PER_HOUR: '0',
    WCE_SANDBOX_PROCESSES: '1',
    WCE_TRUST_PROXY: '127.0.0.1',
    WCE_LOG_LEVEL: 'warn',
    ...options.env,
  };
  const nodes: ClusterNodeProcess[] = [];
  let proxy: Haproxy | null = null;
  // Nodes run in process groups of their own: if this process dies before stop(), they would live on.
  const orphans = () => {
    for (const node of nodes) { try { process.kill(-node.child.pid!, 'SIGKILL'); } catch { /* gone */ } }
    for (const child of [...etcd.members, ...(proxy ? [proxy.child] : [])]) child.kill('SIGKILL');
  };
  process.once('exit', orphans);
  const cluster: TestCluster = {
    etcd, nodes, replicaDir, proxy: null as unknown as Haproxy,
    async kill9(node) {
      try { process.kill(-node.child.pid!, 'SIGKILL'); } catch { /* gone already */ }
      await node.exited;
    },
    pause(node) { process.kill(-node.child.pid!, 'SIGSTOP'); },
    resume(node) { process.kill(-node.child.pid!, 'SIGCONT'); },
    async restart(node) {
      const again = await spawnNode(node.name, node.port, node.dataDir, node.env);
      nodes[nodes.indexOf(node)] = again;
      return again;
    },
    async stop() {
      process.removeListener('exit', orphans);
      await proxy?.stop();
      await Promise.all(nodes.map(async (node) => {
        if (node.child.exitCode !== null || node.child.signalCode !== null) return;
        try { process.kill(-node.child.pid!, 'SIGCONT'); } catch { /* gone */ }
        node.child.kill('SIGTERM');
        const timer = setTimeout(() => { try { process.kill(-node.child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
        await node.exited;
        clearTimeout(timer);
        // Whatever the group still holds (a child that outlived its server) goes too.
        try { process.kill(-node.child.pid!, 'SIGKILL'); } catch { /* gone */ }
      }));
      await etcd.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  try {
    const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
    // One after another: each node starts its sandbox children, a burst a busy machine feels.
    for (const [i, port] of ports.entries()) {
      const dataDir = path.join(scratch, `node${i + 1}`);
      nodes.push(await spawnNode(`n${i + 1}`, port, dataDir, env));
    }
    proxy = await startHaproxy(nodes.map((node) => ({ name: node.name, address: `127.0.0.1:${node.port}` })));
    cluster.proxy = proxy;
    await sleep(1200); // HAProxy marks servers up after `rise` checks
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
