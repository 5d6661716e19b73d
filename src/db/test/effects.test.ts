/** What a statement writes, as its audit row names it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statementEffects } from '../effects.ts';

test('DML names its action and table, however the table is written', () => {
  assert.deepEqual(statementEffects('INSERT INTO posts (a) VALUES (?)'), [{ action: 'insert', table: 'posts' }]);
  assert.deepEqual(statementEffects('REPLACE INTO main.posts VALUES (:a)'), [{ action: 'insert', table: 'posts' }]);
  assert.deepEqual(statementEffects('INSERT INTO posts AS p (a) VALUES (1) ON CONFLICT DO UPDATE SET a = 2'), [{ action: 'insert', table: 'posts' }]);
  assert.deepEqual(statementEffects('WITH x AS (SELECT 1) UPDATE "Posts" SET a = @v FROM x'), [{ action: 'update', table: 'Posts' }]);
  assert.deepEqual(statementEffects('DELETE FROM posts WHERE id = $id RETURNING *'), [{ action: 'delete', table: 'posts' }]);
});

test('DDL names its kind and object', () => {
  assert.deepEqual(statementEffects('CREATE TABLE notes (id INTEGER PRIMARY KEY)'), [{ action: 'create_table', table: 'notes' }]);
  assert.deepEqual(statementEffects('CREATE INDEX notes_x ON notes (x)'), [{ action: 'create_index', table: 'notes' }]);
  assert.deepEqual(statementEffects('DROP TABLE IF EXISTS notes'), [{ action: 'drop_table', table: 'notes' }]);
  assert.deepEqual(statementEffects('ALTER TABLE notes ADD COLUMN y'), [{ action: 'alter_table', table: 'notes' }]);
});

test('reads write nothing; what is not recognised counts as a write', () => {
  assert.deepEqual(statementEffects('SELECT * FROM posts WHERE id = ?5'), []);
  assert.deepEqual(statementEffects('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c'), []);
  assert.deepEqual(statementEffects('VACUUM'), [{ action: 'sql', table: null }]);
  assert.deepEqual(statementEffects('this is not SQL'), [{ action: 'sql', table: null }]);
});
