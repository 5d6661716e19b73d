/** What a write statement did, as its audit row names it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ddlEffect, mainEffect, mayWrite } from './effects.ts';

test('DML: the first write the authorizer saw is the statement\'s own', () => {
  const upsert = { ddl: false, writes: [{ table: 'posts', operations: ['insert', 'update'] as Array<'insert' | 'update'> }, { table: 'log', operations: ['insert'] as Array<'insert'> }] };
  assert.deepEqual(mainEffect('INSERT INTO posts … ON CONFLICT DO UPDATE …', upsert), { action: 'insert', table: 'posts' });
  assert.deepEqual(mainEffect('VACUUM', { ddl: false, writes: [] }), { action: 'sql', table: null });
});

test('DDL names its kind and object, through comments, quoting and schema names', () => {
  assert.deepEqual(ddlEffect('CREATE TABLE notes (id INTEGER PRIMARY KEY)'), { action: 'create_table', table: 'notes' });
  assert.deepEqual(ddlEffect('/* x */ create temp table if not exists "Odd ""name""" (a)'), { action: 'create_table', table: 'Odd "name"' });
  assert.deepEqual(ddlEffect('CREATE UNIQUE INDEX IF NOT EXISTS i ON main.[notes] (x)'), { action: 'create_index', table: 'notes' });
  assert.deepEqual(ddlEffect('-- c\nDROP TABLE IF EXISTS main.notes'), { action: 'drop_table', table: 'notes' });
  assert.deepEqual(ddlEffect('ALTER TABLE `notes` ADD COLUMN y'), { action: 'alter_table', table: 'notes' });
  assert.deepEqual(ddlEffect('CREATE VIRTUAL TABLE docs USING fts5 (body)'), { action: 'create_virtual_table', table: 'docs' });
  assert.deepEqual(ddlEffect('CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END'), { action: 'create_trigger', table: 't' });
  assert.deepEqual(ddlEffect('ANALYZE'), { action: 'analyze', table: null });
  assert.deepEqual(ddlEffect('   '), { action: 'sql', table: null });
});

test('mayWrite: reads are told apart from what may write, erring towards "may write"', () => {
  for (const sql of ['SELECT 1', '  select * from t', 'VALUES (1)', 'EXPLAIN QUERY PLAN SELECT 1', 'WITH c AS (SELECT 1) SELECT * FROM c', '/* c */ SELECT 1']) {
    assert.equal(mayWrite(sql), false, sql);
  }
  for (const sql of ['INSERT INTO t VALUES (1)', 'WITH c AS (SELECT 1) DELETE FROM t', 'CREATE TABLE t (x)', 'PRAGMA foo', 'UPDATE t SET x = 1', '']) {
    assert.equal(mayWrite(sql), true, sql);
  }
});
