import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { Registry } from '../../src/cenv/registry.ts';
import { createCenv } from '../../src/cenv/create.ts';
import { tempDir } from '../helpers/server.ts';

test('a creation that fails half-way leaves no file and no registry record', () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const before = readdirSync(dir).sort();
  // A NULL hash violates NOT NULL on _wce_users after the file and schema were made.
  assert.throws(() => createCenv(registry, dir, { name: 'half', ownerUsername: 'ada', ownerPasswordHash: null as unknown as string }), /NOT NULL/);
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.equal(registry.db.prepare('SELECT count(*) AS n FROM cenvs').get()!.n, 0);
  // The name is free again.
  const { cenv } = createCenv(registry, dir, { name: 'half', ownerUsername: 'ada', ownerPasswordHash: 'h' });
  assert.equal(cenv.name, 'half');
  assert.equal(registry.resolve({ kind: 'name', name: 'half' })?.id, cenv.id);
  registry.close();
  rmSync(dir, { recursive: true });
});
