import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../config.ts';
import { loadClusterConfig, replicaRoot } from './config.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!!';

function load(env: Record<string, string>) {
  const full = { WCE_JWT_SECRET: SECRET, ...env };
  return loadClusterConfig(full, loadConfig(full));
}

test('without WCE_ETCD_ENDPOINTS there is no cluster', () => {
  assert.equal(load({}), null);
  assert.equal(loadClusterConfig({}, loadConfig({})), null, 'a single node needs no secret either');
});

test('cluster mode needs a node URL, a replica and a shared JWT secret', () => {
  const base = { WCE_ETCD_ENDPOINTS: 'http://10.0.0.1:2379, http://10.0.0.2:2379', WCE_NODE_URL: 'http://10.0.0.5:5309', WCE_REPLICA_URL: 'file:///srv/replicas' };
  const config = load(base)!;
  assert.deepEqual(config.endpoints, ['http://10.0.0.1:2379', 'http://10.0.0.2:2379']);
  assert.equal(config.nodeId, '10.0.0.5:5309');
  assert.equal(config.leaseTtlSeconds, 10);
  assert.equal(config.hopKey.symmetricKeySize, 32);
  assert.notDeepEqual(config.hopKey.export(), Buffer.from(SECRET).subarray(0, 32), 'the hop key is derived, not the JWT secret itself');
  assert.throws(() => load({ ...base, WCE_NODE_URL: '' }), /WCE_NODE_URL/);
  assert.throws(() => load({ ...base, WCE_NODE_URL: 'http://10.0.0.5:5309/path' }), /plain http origin/);
  assert.throws(() => load({ ...base, WCE_REPLICA_URL: '' }), /WCE_REPLICA_URL/);
  assert.throws(() => load({ ...base, WCE_ETCD_ENDPOINTS: 'etcd:2379' }), ConfigError);
  assert.throws(() => load({ ...base, WCE_CLUSTER_LEASE_TTL_S: '1' }), /WCE_CLUSTER_LEASE_TTL_S/);
  assert.throws(() => loadClusterConfig(base, loadConfig(base)), /WCE_JWT_SECRET/);
});

test('replica URLs: an absolute directory or an S3 bucket with a prefix; credentials never in the URL', () => {
  assert.deepEqual(replicaRoot('file:///srv/replicas/'), { kind: 'file', location: '/srv/replicas', prefix: '' });
  assert.deepEqual(replicaRoot('s3://backups/wce/prod'), { kind: 's3', location: 'backups', prefix: 'wce/prod' });
  assert.deepEqual(replicaRoot('s3://backups'), { kind: 's3', location: 'backups', prefix: '' });
  assert.throws(() => replicaRoot('s3://key:secret@backups/x'), /credentials/);
  assert.throws(() => replicaRoot('file://host/srv'), ConfigError);
  assert.throws(() => replicaRoot('gs://bucket'), ConfigError);
});
