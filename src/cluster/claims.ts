/**
 * The etcd transactions behind ownership. Each one is a compare-and-set, so two nodes that
 * race for a cenv cannot both win, and a node whose claim has changed under it cannot
 * record anything in its name:
 *
 * - `claim`: create `/wce/owners/{id}` under the node's lease if it does not exist. The
 *   key's create revision (the transaction's revision) is the fencing token; the lineage
 *   (which replica to restore from) is read in the same transaction.
 * - `recordLineage`: point `/wce/replicas/{id}` at this token's replica — only while the
 *   owner key is still the one this claim created, under this lease.
 * - `releaseClaim`: delete the owner key, only if it is still this claim's.
 *
 * @example
 *   const result = await claim(client, id, { node, url }, leaseId);
 *   if ('token' in result) { … restore, replicate … await recordLineage(client, id, result.token, leaseId, record); }
 */
import type { Etcd3, IKeyValue } from 'etcd3';
import { keys, parseJson, type LineageRecord, type OwnerRecord } from './keys.ts';
import type { OwnerEntry } from './view.ts';

export type ClaimResult =
  | { token: string; lineage: LineageRecord | null; kv: IKeyValue }
  | { owner: OwnerEntry | null };

/** Turns an owner key into the view's entry. */
export function ownerEntry(kv: IKeyValue): OwnerEntry | null {
  const record = parseJson<OwnerRecord>(kv.value);
  return record && { ...record, token: String(kv.create_revision), lease: String(kv.lease) };
}

export async function claim(client: Etcd3, id: string, owner: OwnerRecord, leaseId: string): Promise<ClaimResult> {
  const key = keys.owner(id);
  const value = JSON.stringify(owner);
  const response = await client.if(key, 'Create', '==', 0)
    .then(client.put(key).value(value).lease(leaseId), client.get(keys.lineage(id)))
    .else(client.get(key))
    .commit();
  if (!response.succeeded) {
    const kv = response.responses[0]?.response_range?.kvs[0];
    return { owner: kv ? ownerEntry(kv) : null };
  }
  const token = String(response.header.revision);
  const lineageKv = response.responses[1]?.response_range?.kvs[0];
  const kv = { key: Buffer.from(key), value: Buffer.from(value), create_revision: token, mod_revision: token, version: '1', lease: leaseId };
  return { token, lineage: parseJson<LineageRecord>(lineageKv?.value), kv };
}

/**
 * Records `lineage` (and any `extra` puts, e.g. the cenv becoming active) while the claim
 * `token` under `leaseId` still stands; false when it does not.
 */
export async function recordLineage(client: Etcd3, id: string, token: string, leaseId: string, lineage: LineageRecord, extra: Array<{ key: string; value: string }> = []): Promise<boolean> {
  const key = keys.owner(id);
  const response = await client.if(key, 'Create', '==', token).and(key, 'Lease', '==', leaseId)
    .then(client.put(keys.lineage(id)).value(JSON.stringify(lineage)), ...extra.map((put) => client.put(put.key).value(put.value)))
    .commit();
  return response.succeeded;
}

/** Deletes the owner key if it is still the claim `token`. */
export async function releaseClaim(client: Etcd3, id: string, token: string): Promise<void> {
  const key = keys.owner(id);
  await client.if(key, 'Create', '==', token).then(client.delete().key(key)).commit();
}
