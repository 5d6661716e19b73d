import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { Registry } from './registry.ts';
import { createCenv } from './create.ts';
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
