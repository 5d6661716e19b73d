/**
 * The cluster's registry: cenv ids, names and status in etcd, so a cenv created through any
 * node exists for all of them. Names are unique through the creating transaction (create the
 * name key only if it does not exist). The same transaction claims the new cenv for the
 * creating node, so its file is born owned; `setStatus(id, 'active')` then waits for the
 * first replica snapshot and records it together with the status (ownership.finishCreate),
 * so an active cenv always has a replica to restore from.
 *
 * A creation whose node died before `active` leaves its records in `creating` and its owner
 * key gone with the node's lease; the name it reserved is released when someone asks for it
 * again (releaseAbandoned), so a crash never takes a name for good.
 *
 * Lookups read the watched mirror (view.ts). A miss asks etcd once (the cenv may have been
 * created a moment ago on another node), and misses are remembered for a second so a flood
 * of made-up names costs etcd little; the watch forgets them as soon as the name appears.
 *
 * @example const cenv = await registry.resolve({ kind: 'name', name: 'blog' });
 */
import type { Etcd3 } from 'etcd3';
import { NameTakenError, type CenvRecord, type CenvRegistry, type CenvStatus } from '../cenv/registry.ts';
import type { CenvRef } from '../cenv/ids.ts';
import { NotReadyError, UnavailableError } from '../errors.ts';
import { keys, parseJson, type OwnerRecord } from './keys.ts';
import type { Ownership } from './ownership.ts';
import type { NodeSession } from './session.ts';
import type { ClusterView } from './view.ts';

const MISS_MS = 1000;
const MAX_MISSES = 10_000;

export class EtcdRegistry implements CenvRegistry {
  private readonly misses = new Map<string, number>();
  private readonly client: Etcd3;
  private readonly view: ClusterView;
  private readonly session: NodeSession;
  private readonly ownership: Ownership;
  private readonly self: OwnerRecord;

  constructor(client: Etcd3, view: ClusterView, session: NodeSession, ownership: Ownership, self: OwnerRecord) {
    this.client = client;
    this.view = view;
    this.session = session;
    this.ownership = ownership;
    this.self = self;
    view.onChange((kind, rest) => {
      if (kind === 'names') this.misses.delete(`name:${rest}`);
      if (kind === 'cenvs') this.misses.delete(`id:${rest}`);
    });
  }

  async resolve(ref: CenvRef): Promise<CenvRecord | null> {
    const known = this.peek(ref);
    if (known !== undefined) return known;
    const missKey = ref.kind === 'id' ? `id:${ref.id}` : `name:${ref.name}`;
    if ((this.misses.get(missKey) ?? 0) > Date.now()) return null;
    let fetched: CenvRecord | null;
    try {
      fetched = await this.fetch(ref);
    } catch {
      throw new UnavailableError('the cluster registry (etcd) does not answer; retry');
    }
    if (!fetched) {
      if (this.misses.size >= MAX_MISSES) this.misses.clear();
      this.misses.set(missKey, Date.now() + MISS_MS);
    }
    return fetched?.status === 'active' ? fetched : null;
  }

  peek(ref: CenvRef): CenvRecord | null | undefined {
    const id = ref.kind === 'id' ? ref.id : this.view.names.get(ref.name);
    const known = id === undefined ? undefined : this.view.cenvs.get(id);
    if (!known) return undefined;
    return known.status === 'active' ? known : null;
  }

  async reserve(id: string, name: string | null): Promise<CenvRecord> {
    if (!this.session.valid() || this.session.isDraining()) throw new UnavailableError('this node is not taking new cenvs right now; retry');
    try {
      return await this.tryReserve(id, name);
    } catch (error) {
      if (!(error instanceof NameTakenError) || !name || !(await this.releaseAbandoned(name))) throw error;
      return this.tryReserve(id, name);
    }
  }

  /**
   * Frees `name` when the cenv holding it is an abandoned creation: still `creating`, and no
   * owner (its node's lease expired, so that node is gone or fenced off and will never finish
   * it). One transaction, conditioned on exactly what was read, so a creation that is alive
   * or that moved on in the meantime is never touched. True when the name was freed.
   */
  private async releaseAbandoned(name: string): Promise<boolean> {
    const holder = await this.client.get(keys.name(name)).string();
    if (!holder) return true;
    const cenvKey = keys.cenv(holder);
    const read = await this.client.get(cenvKey).exec();
    const kv = read.kvs[0];
    const record = parseJson<CenvRecord>(kv?.value);
    if (!kv || record?.status !== 'creating') return false;
    const released = await this.client
      .if(keys.owner(holder), 'Create', '==', 0)
      .and(keys.name(name), 'Value', '==', holder)
      .and(cenvKey, 'Mod', '==', kv.mod_revision)
      .then(this.client.delete().key(cenvKey), this.client.delete().key(keys.name(name)))
      .commit();
    if (released.succeeded) {
      this.view.cenvs.delete(holder);
      if (this.view.names.get(name) === holder) this.view.names.delete(name);
    }
    return released.succeeded;
  }

  private async tryReserve(id: string, name: string | null): Promise<CenvRecord> {
    const record: CenvRecord = { id, name, status: 'creating', createdAt: new Date().toISOString() };
    const cenvKey = keys.cenv(id);
    const ownerKey = keys.owner(id);
    let txn = this.client.if(cenvKey, 'Create', '==', 0);
    if (name) txn = txn.and(keys.name(name), 'Create', '==', 0);
    const response = await txn
      .then(
        this.client.put(cenvKey).value(JSON.stringify(record)),
        ...(name ? [this.client.put(keys.name(name)).value(id)] : []),
        this.client.put(ownerKey).value(JSON.stringify(this.self)).lease(this.session.leaseId),
      )
      .else(this.client.get(name ? keys.name(name) : cenvKey))
      .commit();
    if (!response.succeeded) {
      if (name && response.responses[0]?.response_range?.kvs.length) throw new NameTakenError(`cenv name "${name}" is already taken`);
      throw new Error(`cenv id ${id} exists already`);
    }
    const token = String(response.header.revision);
    this.ownership.created(id, token);
    this.view.apply({ key: Buffer.from(cenvKey), value: Buffer.from(JSON.stringify(record)), create_revision: token, mod_revision: token, version: '1', lease: '0' });
    this.view.apply({ key: Buffer.from(ownerKey), value: Buffer.from(JSON.stringify(this.self)), create_revision: token, mod_revision: token, version: '1', lease: this.session.leaseId });
    return record;
  }

  async setStatus(id: string, status: CenvStatus): Promise<void> {
    const current = this.view.cenvs.get(id) ?? (await this.fetch({ kind: 'id', id }));
    if (!current) throw new Error(`no cenv ${id}`);
    const record: CenvRecord = { ...current, status };
    const value = JSON.stringify(record);
    if (status === 'active' && this.ownership.entries.get(id)?.state === 'opening') {
      await this.ownership.finishCreate(id, [{ key: keys.cenv(id), value }]);
    } else {
      await this.client.put(keys.cenv(id)).value(value).exec();
    }
    this.view.cenvs.set(id, record);
  }

  async remove(id: string): Promise<void> {
    await this.ownership.abandon(id);
    const record = this.view.cenvs.get(id) ?? (await this.fetch({ kind: 'id', id }));
    const txn = this.client.if(keys.cenv(id), 'Create', '>', 0).then(this.client.delete().key(keys.cenv(id)));
    await txn.commit();
    if (record?.name) await this.client.if(keys.name(record.name), 'Value', '==', id).then(this.client.delete().key(keys.name(record.name))).commit();
    this.view.cenvs.delete(id);
    if (record?.name && this.view.names.get(record.name) === id) this.view.names.delete(record.name);
  }

  async ping(): Promise<void> {
    const problem = this.session.readiness();
    if (problem) throw new NotReadyError(problem);
  }

  close(): void {
    // The etcd client belongs to the cluster node, which closes it.
  }

  private async fetch(ref: CenvRef): Promise<CenvRecord | null> {
    const id = ref.kind === 'id' ? ref.id : await this.client.get(keys.name(ref.name)).string();
    if (!id) return null;
    return parseJson<CenvRecord>(await this.client.get(keys.cenv(id)).buffer());
  }
}
