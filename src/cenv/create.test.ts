import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { Registry } from './registry.ts';
import { createCenv, recoverInterrupted } from './create.ts';
import { writeFileSync } from 'node:fs';
import { cenvFile } from './paths.ts';
import { insertUser } from '../auth/users.ts';
import { tempDir } from '../../test/helpers/server.ts';

test('a creation that fails half-way leaves no file and no registry record', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const before = readdirSync(dir).sort();
  // A NULL hash violates NOT NULL on _wce_users after the file and schema were made.
  await assert.rejects(() => createCenv(registry, dir, 'half', (db) => insertUser(db, 'ada', null as unknown as string, 'owner')), /NOT NULL/);
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.equal(registry.db.prepare('SELECT count(*) AS n FROM cenvs').get()!.n, 0);
  // The name is free again.
  const { cenv } = await createCenv(registry, dir, 'half', (db) => insertUser(db, 'ada', 'h', 'owner'));
  assert.equal(cenv.name, 'half');
  assert.equal((await registry.resolve({ kind: 'name', name: 'half' }))?.id, cenv.id);
  registry.close();
  rmSync(dir, { recursive: true });
});

test('a creation a crash cut off (record still "creating") is undone at the next start: file gone, name free', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const { cenv: kept } = await createCenv(registry, dir, 'kept', (db) => insertUser(db, 'ada', 'h', 'owner'));
  // What a crash between the record and 'active' leaves: the record and a half-made file.
  await registry.reserve('11111111-2222-4333-8444-555555555555', 'cut');
  writeFileSync(cenvFile(dir, '11111111-2222-4333-8444-555555555555'), 'half');
  writeFileSync(`${cenvFile(dir, '11111111-2222-4333-8444-555555555555')}-wal`, 'half');
  assert.deepEqual(await recoverInterrupted(registry, dir), ['11111111-2222-4333-8444-555555555555']);
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('11111111')), 'the half-made files are gone');
  assert.equal((await registry.resolve({ kind: 'id', id: kept.id }))?.name, 'kept', 'finished cenvs stay');
  const { cenv } = await createCenv(registry, dir, 'cut', (db) => insertUser(db, 'ada', 'h', 'owner'));
  assert.equal(cenv.name, 'cut', 'the name is free again');
  assert.deepEqual(await recoverInterrupted(registry, dir), [], 'nothing else to undo');
  registry.close();
  rmSync(dir, { recursive: true });
});
