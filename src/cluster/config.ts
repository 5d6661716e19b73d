/**
 * Cluster mode's configuration. Without `WCE_ETCD_ENDPOINTS` there is none and WCE runs as
 * a single node, exactly as before. With it, the node also needs the address other nodes
 * reach it at and where replicas go, and every node must share one `WCE_JWT_SECRET`: a
 * session token issued by one node has to verify on whichever node owns its cenv next, and
 * node-to-node requests are signed with a key derived from it.
 *
 * @example
 *   const cluster = loadClusterConfig(process.env, config); // null on a single node
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { ConfigError, type Config } from '../config.ts';

export interface ReplicaRoot {
  kind: 'file' | 's3';
  /** file: an absolute directory. s3: the bucket. */
  location: string;
  /** s3: the key prefix (no leading or trailing slash); file: ''. */
  prefix: string;
}

export interface ClusterConfig {
  endpoints: string[];
  /** This node's advertised origin, e.g. `http://10.0.0.5:5309`. */
  nodeUrl: string;
  /** This node's id in etcd: `host:port` of `nodeUrl`. */
  nodeId: string;
  replica: ReplicaRoot;
  /** Lease TTL: how long a silent node keeps its cenvs before others may take them. */
  leaseTtlSeconds: number;
  /** HMAC key for node-to-node requests (derived from WCE_JWT_SECRET). */
  hopKey: KeyObject;
  /** Longest wait, on a planned handoff, for a cenv's in-flight requests to finish. */
  handoffWaitMs: number;
}

type Env = Record<string, string | undefined>;

function endpoints(raw: string): string[] {
  const list = raw.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of list) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(`WCE_ETCD_ENDPOINTS must be comma-separated URLs like http://10.0.0.1:2379, got "${item}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`WCE_ETCD_ENDPOINTS: "${item}" is not http(s)`);
  }
  if (list.length === 0) throw new ConfigError('WCE_ETCD_ENDPOINTS names no endpoint');
  return list;
}

function nodeUrl(env: Env): URL {
  const raw = env.WCE_NODE_URL?.trim();
  if (!raw) throw new ConfigError('cluster mode (WCE_ETCD_ENDPOINTS) needs WCE_NODE_URL, the address other nodes reach this node at, e.g. http://10.0.0.5:5309');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`WCE_NODE_URL must be a URL like http://10.0.0.5:5309, got "${raw}"`);
  }
  if (url.protocol !== 'http:' || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ConfigError(`WCE_NODE_URL must be a plain http origin like http://10.0.0.5:5309, got "${raw}"`);
  }
  return url;
}

/**
 * Parses `WCE_REPLICA_URL`: `file:///absolute/dir` or `s3://bucket/prefix`.
 * @example replicaRoot('s3://backups/wce') // { kind: 's3', location: 'backups', prefix: 'wce' }
 */
export function replicaRoot(raw: string | undefined): ReplicaRoot {
  const text = raw?.trim();
  if (!text) throw new ConfigError('cluster mode (WCE_ETCD_ENDPOINTS) needs WCE_REPLICA_URL: file:///shared/dir or s3://bucket/prefix');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`WCE_REPLICA_URL must be file:///dir or s3://bucket/prefix, got "${text}"`);
  }
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  if (url.protocol === 'file:' && !url.host && path.isAbsolute(decodeURIComponent(url.pathname))) {
    return { kind: 'file', location: path.resolve(decodeURIComponent(url.pathname)), prefix: '' };
  }
  if (url.protocol === 's3:' && url.hostname && !url.search && !url.username && !/[^A-Za-z0-9._/-]/.test(prefix)) {
    return { kind: 's3', location: url.hostname, prefix };
  }
  throw new ConfigError(`WCE_REPLICA_URL must be file:///absolute/dir or s3://bucket/prefix (credentials in AWS_* variables, not the URL), got "${text}"`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** The cluster configuration, or null when `WCE_ETCD_ENDPOINTS` is unset (single node). */
export function loadClusterConfig(env: Env, config: Config): ClusterConfig | null {
  const raw = env.WCE_ETCD_ENDPOINTS?.trim();
  if (!raw) return null;
  if (!config.jwtSecret) {
    throw new ConfigError('cluster mode needs WCE_JWT_SECRET, the same on every node: tokens issued by one node must verify on the next owner of their cenv');
  }
  const url = nodeUrl(env);
  return {
    endpoints: endpoints(raw),
    nodeUrl: url.origin,
    nodeId: url.host,
    replica: replicaRoot(env.WCE_REPLICA_URL),
    leaseTtlSeconds: integer(env, 'WCE_CLUSTER_LEASE_TTL_S', 10, 2, 120),
    hopKey: createSecretKey(createHmac('sha256', config.jwtSecret).update('wce node-to-node requests v1').digest()),
    handoffWaitMs: 10_000,
  };
}
