/**
 * Real outside processes for cluster tests and benches: etcd members and HAProxy on free
 * loopback ports, each with its own temporary directory, all torn down by `stop()`. etcd
 * keeps its data on tmpfs when there is one: its fsyncs would otherwise compete with every
 * other test on a busy machine's disk.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port nobody listens on right now (bound once, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when the program is installed (`.ci/run` installs haproxy and etcd-server). */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** A scratch directory on tmpfs when the machine has one. */
export function fastTempDir(prefix: string): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtempSync(path.join(base, prefix));
}

/** Resolves when `url` answers with `status` (or any status when omitted), or throws after `ms`. */
export async function waitForHttp(url: string, ms: number, status?: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (status === undefined || response.status === status) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer${status ? ` ${status}` : ''} within ${ms} ms (${last})`);
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk) => { output += chunk; if (output.length > 2_000_000) output = output.slice(-1_000_000); });
  child.stderr?.on('data', (chunk) => { output += chunk; if (output.length > 2_000_000) output = output.slice(-1_000_000); });
  return () => output;
}

async function stopChild(child: ChildProcess, ms = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

export interface EtcdCluster {
  /** Client URLs, one per member. */
  endpoints: string[];
  members: ChildProcess[];
  output(member: number): string;
  stop(): Promise<void>;
}

/**
 * Starts `size` etcd members forming one cluster on loopback ports. Heartbeat and election
 * timeouts are raised from etcd's defaults (100 ms / 1 s) so a loaded test machine does not
 * trigger needless elections.
 * @example const etcd = await startEtcd(3); … await etcd.stop();
 */
export async function startEtcd(size = 3): Promise<EtcdCluster> {
  const dir = fastTempDir('wce-etcd-');
  const ports = await Promise.all(Array.from({ length: size * 2 }, () => freePort()));
  const names = Array.from({ length: size }, (_, i) => `m${i}`);
  const peerUrl = (i: number) => `http://127.0.0.1:${ports[size + i]}`;
  const clientUrl = (i: number) => `http://127.0.0.1:${ports[i]}`;
  const initial = names.map((name, i) => `${name}=${peerUrl(i)}`).join(',');
  const members = names.map((name, i) => spawn('etcd', [
    '--name', name, '--data-dir', path.join(dir, name),
    '--listen-client-urls', clientUrl(i), '--advertise-client-urls', clientUrl(i),
    '--listen-peer-urls', peerUrl(i), '--initial-advertise-peer-urls', peerUrl(i),
    '--initial-cluster', initial, '--initial-cluster-state', 'new', '--initial-cluster-token', path.basename(dir),
    '--heartbeat-interval', '200', '--election-timeout', '2000', '--logger', 'zap', '--log-level', 'warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const outputs = members.map(collect);
  const cluster: EtcdCluster = {
    endpoints: names.map((_, i) => clientUrl(i)),
    members,
    output: (i) => outputs[i](),
    async stop() {
      await Promise.all(members.map((child) => stopChild(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // A member answers /health with 200 once the cluster has a leader.
    await Promise.all(cluster.endpoints.map((url) => waitForHttp(`${url}/health`, 30_000, 200)));
  } catch (error) {
    await cluster.stop();
    throw new Error(`etcd did not start: ${(error as Error).message}\n${outputs.map((o) => o()).join('\n').slice(-3000)}`);
  }
  return cluster;
}

export interface Haproxy {
  url: string;
  config: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The HAProxy configuration of docs/deployment/cluster.md for `servers` (name → host:port),
 * with fast health checks for tests.
 */
export function haproxyConfig(port: number, servers: Array<{ name: string; address: string }>, checkMs = 500): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  retries 3',
    '  option redispatch 1',
    'frontend wce',
    `  bind 127.0.0.1:${port}`,
    '  option forwardfor',
    '  default_backend nodes',
    'backend nodes',
    '  balance uri path-only depth 1',
    '  hash-type consistent',
    '  option httpchk GET /health/ready',
    '  http-check expect status 200',
    `  default-server inter ${checkMs}ms fall 2 rise 2`,
    ...servers.map((server) => `  server ${server.name} ${server.address} check`),
    '',
  ].join('\n');
}

/** Starts HAProxy in the foreground (`-db`) with `haproxyConfig`. */
export async function startHaproxy(servers: Array<{ name: string; address: string }>): Promise<Haproxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-haproxy-'));
  const port = await freePort();
  const config = haproxyConfig(port, servers);
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const proxy: Haproxy = {
    url: `http://127.0.0.1:${port}`, config, child, output,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHttp(`${proxy.url}/health`, 15_000);
  } catch (error) {
    await proxy.stop();
    throw new Error(`haproxy did not start: ${(error as Error).message}\n${output()}`);
  }
  return proxy;
}
