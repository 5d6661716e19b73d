/** Times as audit ids by binary search, checked against a plain scan; the log has no index on `at`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../cenv/migrate.ts';
import { firstIdAtOrAfter } from './audit-ids.ts';
import { purgeAuditBatch } from './audit-retention.ts';

function log(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  migrate(db);
  return db;
}

const iso = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

test('audit ids: the log carries no index on at or user_id (every write would pay for it)', () => {
  const indexes = log().prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '_wce_audit_log'").all();
  assert.deepEqual(indexes, []);
});

test('audit ids: the first id at or after a time matches a scan, with gaps, repeated times and the ends', () => {
  const db = log();
  db.exec('DELETE FROM _wce_audit_log');
  const insert = db.prepare("INSERT INTO _wce_audit_log (id, at, action) VALUES (?, ?, 'x')");
  // Ids with gaps (deleted entries) and several entries per minute.
  let id = 5;
  for (let minute = 0; minute < 400; minute++) {
    for (let k = 0; k < 1 + (minute % 3); k++) insert.run(id++, iso(minute));
    id += minute % 7;
  }
  const scan = db.prepare('SELECT min(id) AS v FROM _wce_audit_log WHERE at >= ?');
  for (let minute = -2; minute < 403; minute++) {
    for (const probe of [iso(minute), `${iso(minute).slice(0, -1)}1Z`]) {
      assert.equal(firstIdAtOrAfter(db, probe), (scan.get(probe) as { v: number | null }).v, probe);
    }
  }
  db.exec('DELETE FROM _wce_audit_log');
  assert.equal(firstIdAtOrAfter(db, iso(0)), null, 'an empty log');
});

test('audit ids: retention deletes the entries before the cutoff, and reads only up to it', () => {
  const db = log();
  db.exec('DELETE FROM _wce_audit_log');
  const insert = db.prepare("INSERT INTO _wce_audit_log (at, action) VALUES (?, 'x')");
  for (let minute = 0; minute < 100; minute++) insert.run(iso(minute));
  assert.equal(purgeAuditBatch(db, iso(40)), 40);
  assert.equal(purgeAuditBatch(db, iso(40)), 0);
  const left = db.prepare('SELECT min(at) AS first, count(*) AS n FROM _wce_audit_log').get() as { first: string; n: number };
  assert.deepEqual({ ...left }, { first: iso(40), n: 60 });
  assert.equal(purgeAuditBatch(db, iso(1000)), 60, 'a cutoff after every entry');
});
