/**
 * The cluster's keys in etcd and what each holds. One place, so the registry, ownership,
 * membership and the mirror agree on the layout:
 *
 * | key | value | lease |
 * |---|---|---|
 * | `/wce/nodes/{node}` | `NodeRecord` (advertised URL, draining) | the node's |
 * | `/wce/cenvs/{id}` | `CenvRecord` (name, status, created) | none |
 * | `/wce/names/{name}` | the id (unique names through create-if-absent) | none |
 * | `/wce/owners/{id}` | `OwnerRecord`; its create revision is the fencing token | the owner's |
 * | `/wce/replicas/{id}` | `LineageRecord`: the token whose replica is authoritative | none |
 */
import { createHash } from 'node:crypto';
import type { CenvRecord } from '../cenv/registry.ts';

export const PREFIX = '/wce/';

export const keys = {
  node: (node: string) => `${PREFIX}nodes/${node}`,
  cenv: (id: string) => `${PREFIX}cenvs/${id}`,
  name: (name: string) => `${PREFIX}names/${name}`,
  owner: (id: string) => `${PREFIX}owners/${id}`,
  lineage: (id: string) => `${PREFIX}replicas/${id}`,
};

export interface NodeRecord {
  id: string;
  url: string;
  startedAt: string;
  /** A draining node takes no new cenvs (planned handoff in progress). */
  draining: boolean;
}

export interface OwnerRecord {
  node: string;
  url: string;
}

/** Which replica path holds a cenv's authoritative copy: `{root}/{id}/{token}/`. */
export interface LineageRecord {
  token: string;
  node: string;
  at: string;
}

export type Kind = 'nodes' | 'cenvs' | 'names' | 'owners' | 'replicas';

/**
 * Splits a key into its kind and the id or name after it; null for anything else.
 * @example parseKey('/wce/owners/9cb0…') // { kind: 'owners', rest: '9cb0…' }
 */
export function parseKey(key: string): { kind: Kind; rest: string } | null {
  const match = /^\/wce\/(nodes|cenvs|names|owners|replicas)\/(.+)$/.exec(key);
  return match ? { kind: match[1] as Kind, rest: match[2] } : null;
}

/** Reads a JSON value written by this module; null for anything malformed. */
export function parseJson<T>(value: Buffer | string | null | undefined): T | null {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(String(value)) as T;
  } catch {
    return null;
  }
}

export type { CenvRecord };

/**
 * The name a node goes by in answers to clients (`x-wce-served-by`): a short hash of its id,
 * so clients can tell nodes apart without learning their private addresses.
 * @example nodeLabel('10.0.0.11:5309') // 'a41f0c2e'
 */
export function nodeLabel(nodeId: string): string {
  return createHash('sha256').update(nodeId).digest('hex').slice(0, 8);
}

/**
 * Orders fencing tokens (etcd revisions, decimal text of any length).
 * @example compareTokens('9', '10') < 0
 */
export function compareTokens(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
