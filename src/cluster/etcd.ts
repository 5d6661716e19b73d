/**
 * The etcd client, built once per node with a deadline on every unary call: a member that
 * stops answering must turn into an error the caller handles (503, a retry), never into a
 * request that hangs. Watches and keepalive streams have no deadline.
 *
 * @example const client = etcdClient(['http://127.0.0.1:2379']);
 */
import { Etcd3 } from 'etcd3';

export const CALL_DEADLINE_MS = 5000;

export function etcdClient(endpoints: string[]): Etcd3 {
  return new Etcd3({
    hosts: endpoints,
    dialTimeout: CALL_DEADLINE_MS,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_DEADLINE_MS }),
  });
}

export type { Etcd3 };
