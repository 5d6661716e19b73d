/**
 * The on-disk page cache: a success replaces the page and its reads, a failure keeps the last
 * good HTML and adds its reads, "pages reading T" is exact, and the cache stays within its
 * bound by dropping the least recently rendered pages.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../cenv/open.ts';
import { tempCenv, type TempCenv } from '../../test/helpers/tenant.ts';
import { deleteEntries, pathsReading, readEntry, readTables, storeFailure, storeRender } from './cache-store.ts';

let cenv: TempCenv;
let db: DatabaseSync;

before(() => {
  cenv = tempCenv("INSERT INTO _wce_templates (id, path, syntax, source, version, created_at, updated_at) VALUES (1, 'p/:n', 'liquid', 'x', 1, '', '')");
  db = openDatabase(cenv.file);
});
after(() => {
  db.close();
  cenv.cleanup();
});

const page = (path: string, reads: string[], html = `<p>${path}</p>`) =>
  ({ path, templateId: 1, templateVersion: 1, status: 200, html, etag: `"${path}"`, reads, includes: {} });

test('a render is stored with its reads; pathsReading finds exactly the pages that read a table', () => {
  storeRender(db, page('p/1', ['Posts', 'tags']), 100);
  storeRender(db, page('p/2', ['notes']), 100);
  assert.deepEqual(readEntry(db, 'p/1')!.reads, ['Posts', 'tags']);
  assert.deepEqual(pathsReading(db, ['posts']), ['p/1'], 'table names compare lower-case');
  assert.deepEqual(pathsReading(db, ['notes', 'tags']).sort(), ['p/1', 'p/2']);
  assert.deepEqual(pathsReading(db, ['other']), []);
  assert.deepEqual(readTables(db).sort(), ['notes', 'posts', 'tags']);
});

test('a failure keeps the last good page, records the error and adds its reads; a success clears it', () => {
  storeFailure(db, { path: 'p/1', templateId: 1, templateVersion: 2, error: 'boom', reads: ['extra'] }, 100);
  const failed = readEntry(db, 'p/1')!;
  assert.equal(failed.html, '<p>p/1</p>');
  assert.equal(failed.error, 'boom');
  assert.equal(failed.templateVersion, 2, 'the version attempted');
  assert.deepEqual(pathsReading(db, ['extra']), ['p/1']);
  assert.deepEqual(pathsReading(db, ['posts']), ['p/1'], 'the earlier reads still count');
  storeRender(db, page('p/1', ['posts'], '<p>new</p>'), 100);
  const fixed = readEntry(db, 'p/1')!;
  assert.equal(fixed.error, null);
  assert.equal(fixed.html, '<p>new</p>');
  assert.deepEqual(pathsReading(db, ['extra']), [], 'a success replaces the reads');
});

test('a failure with no good page yet stores no HTML', () => {
  storeFailure(db, { path: 'p/9', templateId: 1, templateVersion: 1, error: 'never worked', reads: [] }, 100);
  assert.equal(readEntry(db, 'p/9')!.html, null);
  deleteEntries(db, ['p/9']);
  assert.equal(readEntry(db, 'p/9'), null);
});

test('past the bound, the least recently rendered pages are dropped (never the one just stored)', () => {
  deleteEntries(db, ['p/1', 'p/2']);
  for (let i = 1; i <= 3; i++) assert.deepEqual(storeRender(db, page(`q/${i}`, ['t']), 3), []);
  assert.deepEqual(storeRender(db, page('q/4', ['t']), 3), ['q/1']);
  assert.deepEqual(storeRender(db, page('q/2', ['t']), 3), [], 're-rendering an entry adds none');
  assert.equal(readEntry(db, 'q/1'), null);
  assert.deepEqual(pathsReading(db, ['t']).sort(), ['q/2', 'q/3', 'q/4'], 'a dropped page leaves no reads behind');
});
