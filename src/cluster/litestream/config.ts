/**
 * Litestream configuration files, generated. Each cenv owned under fencing token T
 * replicates to `{root}/{cenv-id}/{T}/`: a takeover never writes where the previous owner
 * wrote, so a former owner that wakes up cannot overwrite what its successor restored from.
 *
 * Values are written as JSON strings, which YAML reads as double-quoted scalars, and the
 * files are read with `-no-expand-env`: nothing in a path can turn into a variable.
 * S3 settings come from the usual variables: credentials (AWS_ACCESS_KEY_ID, …) are read by
 * Litestream itself; region (AWS_REGION / AWS_DEFAULT_REGION) and an S3-compatible endpoint
 * (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, which also selects path-style addressing) go in
 * the file.
 *
 * @example shardConfig([{ dbPath: '/data/9cb0….db', target: { root, cenvId: '9cb0…', token: '42' } }])
 */
import path from 'node:path';
import type { ReplicaRoot } from '../config.ts';

export interface ReplicaTarget {
  root: ReplicaRoot;
  cenvId: string;
  token: string;
}

export interface ReplicatedDb {
  dbPath: string;
  target: ReplicaTarget;
}

const q = (value: string) => JSON.stringify(value);

/** Where a cenv's replica under `token` lives, as a URL-like text for logs and status. */
export function replicaLocation(target: ReplicaTarget): string {
  const { root, cenvId, token } = target;
  if (root.kind === 'file') return `file://${path.join(root.location, cenvId, token)}`;
  return `s3://${root.location}/${[root.prefix, cenvId, token].filter(Boolean).join('/')}`;
}

/** The replica's lines of a config file (indented for a `replicas:` list). */
function replicaLines(target: ReplicaTarget, env: NodeJS.ProcessEnv): string[] {
  const { root, cenvId, token } = target;
  if (root.kind === 'file') {
    return ['      - type: file', `        path: ${q(path.join(root.location, cenvId, token))}`];
  }
  const lines = ['      - type: s3', `        bucket: ${q(root.location)}`, `        path: ${q([root.prefix, cenvId, token].filter(Boolean).join('/'))}`];
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (region) lines.push(`        region: ${q(region)}`);
  if (endpoint) lines.push(`        endpoint: ${q(endpoint)}`, '        force-path-style: true');
  return lines;
}

/**
 * One Litestream process's configuration: JSON logs (the replicator reads them) and one
 * entry per database, each with Litestream's default intervals (sync every second).
 */
export function shardConfig(dbs: ReplicatedDb[], env: NodeJS.ProcessEnv = process.env): string {
  const lines = ['logging:', '  level: info', '  type: json', 'dbs:'];
  for (const db of dbs) {
    lines.push(`  - path: ${q(db.dbPath)}`, '    replicas:', ...replicaLines(db.target, env));
  }
  return `${lines.join('\n')}\n`;
}
