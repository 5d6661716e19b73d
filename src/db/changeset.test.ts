/** Reading changed rows' keys out of real changesets recorded by node:sqlite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { parseChangeset } from './changeset.ts';

test('changeset: keys of inserts, updates and deletes per table, composite and text keys, big integers', () => {
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);
    CREATE TABLE tags (post INTEGER, name TEXT, note BLOB, PRIMARY KEY (post, name));
    CREATE TABLE logs (line TEXT);
    INSERT INTO posts VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
  const session = db.createSession();
  db.exec(`INSERT INTO posts VALUES (9223372036854775807, 'big');
    UPDATE posts SET title = 'B' WHERE id = 2;
    DELETE FROM posts WHERE id = 3;
    INSERT INTO tags VALUES (1, 'x''y', x'00ff');
    INSERT INTO logs VALUES ('no primary key: not recorded');
    INSERT INTO posts VALUES (50, 'gone'); DELETE FROM posts WHERE id = 50;`);
  db.exec("BEGIN; INSERT INTO posts VALUES (60, 'rolled back'); ROLLBACK;");
  const parsed = parseChangeset(session.changeset());
  session.close();
  const byTable = Object.fromEntries(parsed.map((t) => [t.table, t]));
  assert.deepEqual(Object.keys(byTable).sort(), ['posts', 'tags']);
  assert.deepEqual(byTable.posts.pkColumns, [0]);
  const posts = byTable.posts.changes.map((c) => `${c.op}:${String(c.key[0])}`).sort();
  assert.deepEqual(posts, ['delete:3', 'insert:9223372036854775807', 'update:2']);
  assert.equal(typeof byTable.posts.changes.find((c) => c.op === 'insert')!.key[0], 'bigint');
  assert.deepEqual(byTable.tags.pkColumns, [0, 1]);
  assert.deepEqual(byTable.tags.changes, [{ op: 'insert', key: [1, "x'y"] }]);
});

test('changeset: a truncated or foreign buffer is an error, not a wrong answer', () => {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
  const session = db.createSession();
  db.exec('INSERT INTO t VALUES (1)');
  const bytes = session.changeset();
  assert.throws(() => parseChangeset(bytes.subarray(0, bytes.length - 3)), /ends early/);
  assert.throws(() => parseChangeset(new Uint8Array([0x41, 0x01])), /unexpected byte/);
});
