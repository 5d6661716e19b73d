import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replicaLocation, shardConfig } from './config.ts';

const file = { kind: 'file' as const, location: '/srv/replicas', prefix: '' };
const s3 = { kind: 's3' as const, location: 'backups', prefix: 'wce/prod' };

test('each cenv replicates under its fencing token; paths are quoted, never expanded', () => {
  const yaml = shardConfig([
    { dbPath: '/data/a "$HOME".db', target: { root: file, cenvId: 'c1', token: '42' } },
  ], {});
  assert.match(yaml, /type: json/);
  assert.ok(yaml.includes('path: "/data/a \\"$HOME\\".db"'), yaml);
  assert.ok(yaml.includes('path: "/srv/replicas/c1/42"'), yaml);
  assert.equal(replicaLocation({ root: file, cenvId: 'c1', token: '42' }), 'file:///srv/replicas/c1/42');
});

test('S3: bucket and prefix from the URL, region and endpoint from the usual variables', () => {
  const target = { root: s3, cenvId: 'c1', token: '7' };
  const plain = shardConfig([{ dbPath: '/data/c1.db', target }], { AWS_ACCESS_KEY_ID: 'secret-id' });
  assert.ok(plain.includes('type: s3') && plain.includes('bucket: "backups"') && plain.includes('path: "wce/prod/c1/7"'), plain);
  assert.ok(!plain.includes('secret-id'), 'credentials stay in the environment');
  assert.ok(!plain.includes('endpoint'));
  const minio = shardConfig([{ dbPath: '/data/c1.db', target }], { AWS_ENDPOINT_URL_S3: 'http://minio:9000', AWS_REGION: 'eu-1' });
  assert.ok(minio.includes('endpoint: "http://minio:9000"') && minio.includes('force-path-style: true') && minio.includes('region: "eu-1"'), minio);
  assert.equal(replicaLocation(target), 's3://backups/wce/prod/c1/7');
});
