/**
 * Endpoints and modules as the admin API stores them: checks before anything is written
 * (patterns, duplicates, sources with line and column, loads), versions (a new one exactly
 * when the source changes; restore adds one), audit rows, and the owner-only rule of
 * `run_as: "owner"`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../cenv/open.ts';
import { tempCenv, type TempCenv } from '../../test/helpers/tenant.ts';
import { createEndpoint, deleteEndpoint, enabledRoutes, endpointVersion, endpointVersions, restoreEndpoint, updateEndpoint, type EndpointInput } from './store.ts';
import { createModule, deleteModule, moduleVersions, restoreModule, saveModule } from './module-store.ts';
import type { Editor } from './sources.ts';
import type { Dialect } from './dialect.ts';

const OWNER: Editor = { userId: null, username: 'owner', role: 'owner' };
const ADMIN: Editor = { userId: null, username: 'adam', role: 'admin' };
const DIALECT: Dialect = { allowSet: true, allowWhile: false, allowRecursion: false };
const HELLO = 'def handle(req):\n    return "hello"\n';

let cenv: TempCenv;
let db: DatabaseSync;

function input(overrides: Partial<EndpointInput> = {}): EndpointInput {
  return { method: 'GET', path: '/hello', source: HELLO, access: 'public', run_as: 'caller', enabled: true, ...overrides };
}

function audits(action: string): number {
  return (db.prepare('SELECT count(*) AS n FROM _wce_audit_log WHERE action = ?').get(action) as { n: number }).n;
}

function rejects(fn: () => unknown, status: number, message: RegExp, details?: Record<string, unknown>): void {
  assert.throws(fn, (e: Error & { statusCode?: number; details?: Record<string, unknown> }) => {
    assert.equal(e.statusCode, status, e.message);
    assert.match(e.message, message);
    if (details) for (const [k, v] of Object.entries(details)) assert.deepEqual(e.details?.[k], v, k);
    return true;
  });
}

before(() => {
  cenv = tempCenv();
  db = openDatabase(cenv.file);
});
after(() => {
  db.close();
  cenv.cleanup();
});

describe('endpoints', () => {
  test('create: version 1, audited, routed while enabled', () => {
    const e = createEndpoint(db, input(), OWNER, DIALECT);
    assert.equal(e.version, 1);
    assert.equal(e.enabled, true);
    assert.equal(audits('endpoint_created'), 1);
    assert.deepEqual(endpointVersions(db, e.id).map((v) => v.version), [1]);
    assert.ok(enabledRoutes(db).some((r) => r.id === e.id));
    updateEndpoint(db, e.id, { enabled: false }, OWNER, DIALECT);
    assert.ok(!enabledRoutes(db).some((r) => r.id === e.id));
  });

  test('the same method and pattern shape twice is a 409, whatever the parameters are called', () => {
    createEndpoint(db, input({ path: '/posts/:id' }), OWNER, DIALECT);
    rejects(() => createEndpoint(db, input({ path: '/posts/:slug' }), OWNER, DIALECT), 409, /already serves GET \/posts\/:id/);
    createEndpoint(db, input({ path: '/posts/:slug', method: 'DELETE' }), OWNER, DIALECT);
    createEndpoint(db, input({ path: '/posts/:slug', method: 'ANY' }), OWNER, DIALECT);
  });

  test('bad patterns and bad sources are 400s, with line and column for sources; nothing is saved', () => {
    const before = enabledRoutes(db).length;
    rejects(() => createEndpoint(db, input({ path: '/a//b' }), OWNER, DIALECT), 400, /empty segment/);
    rejects(() => createEndpoint(db, input({ path: '/syntax', source: 'def handle(req):\n    return (1\n' }), OWNER, DIALECT),
      400, /^line 3, column 1: /, { line: 3, column: 1 });
    rejects(() => createEndpoint(db, input({ path: '/names', source: 'def handle(req):\n    return undefined_thing\n' }), OWNER, DIALECT),
      400, /undefined: undefined_thing/, { line: 2, column: 12 });
    rejects(() => createEndpoint(db, input({ path: '/nohandle', source: 'def serve(req):\n    return 1\n' }), OWNER, DIALECT),
      400, /def handle\(req\)/);
    rejects(() => createEndpoint(db, input({ path: '/arity', source: 'def handle(req, extra):\n    return 1\n' }), OWNER, DIALECT),
      400, /exactly one argument/, { line: 1, column: 1 });
    rejects(() => createEndpoint(db, input({ path: '/while', source: 'def handle(req):\n    while True:\n        pass\n' }), OWNER, DIALECT),
      400, /while loops/, { line: 2, column: 5 });
    rejects(() => createEndpoint(db, input({ path: '/load', source: 'load("lib/none.star", "x")\ndef handle(req):\n    return x\n' }), OWNER, DIALECT),
      400, /no module named "lib\/none.star"/, { line: 1, column: 1 });
    assert.equal(enabledRoutes(db).length, before);
  });

  test('a new version exactly when the source changes; restore adds one with the old source', () => {
    const e = createEndpoint(db, input({ path: '/versions' }), OWNER, DIALECT);
    assert.equal(updateEndpoint(db, e.id, { access: 'user' }, OWNER, DIALECT).version, 1);
    assert.equal(updateEndpoint(db, e.id, { source: 'def handle(req):\n    return "v2"\n' }, OWNER, DIALECT).version, 2);
    assert.equal(updateEndpoint(db, e.id, { source: 'def handle(req):\n    return "v2"\n' }, OWNER, DIALECT).version, 2);
    const restored = restoreEndpoint(db, e.id, 1, OWNER, DIALECT);
    assert.equal(restored.version, 3);
    assert.equal(restored.source, HELLO);
    assert.deepEqual(endpointVersions(db, e.id).map((v) => v.version), [3, 2, 1]);
    assert.equal(endpointVersion(db, e.id, 2).source, 'def handle(req):\n    return "v2"\n');
    rejects(() => endpointVersion(db, e.id, 9), 404, /no version 9/);
    deleteEndpoint(db, e.id, OWNER);
    rejects(() => endpointVersions(db, e.id), 404, /no endpoint/);
    assert.equal((db.prepare("SELECT count(*) AS n FROM _wce_versions WHERE kind = 'endpoint' AND item_id = ?").get(String(e.id)) as { n: number }).n, 0);
  });

  test('run_as "owner" is the owner\'s choice: admins may only disable or delete such an endpoint', () => {
    rejects(() => createEndpoint(db, input({ path: '/definer', run_as: 'owner' }), ADMIN, DIALECT), 403, /only the owner/);
    const mine = createEndpoint(db, input({ path: '/definer', run_as: 'owner', access: 'admin' }), OWNER, DIALECT);
    rejects(() => updateEndpoint(db, mine.id, { access: 'public' }, ADMIN, DIALECT), 403, /admins may only disable/);
    rejects(() => updateEndpoint(db, mine.id, { source: HELLO.replace('hello', 'x') }, ADMIN, DIALECT), 403, /only the owner/);
    assert.equal(updateEndpoint(db, mine.id, { enabled: false }, ADMIN, DIALECT).enabled, false);
    rejects(() => updateEndpoint(db, mine.id, { enabled: true }, ADMIN, DIALECT), 403, /only the owner/);
    const theirs = createEndpoint(db, input({ path: '/invoker' }), ADMIN, DIALECT);
    rejects(() => updateEndpoint(db, theirs.id, { run_as: 'owner' }, ADMIN, DIALECT), 403, /only the owner/);
    deleteEndpoint(db, mine.id, ADMIN);
  });

  test('ids are never reused after a delete', () => {
    const a = createEndpoint(db, input({ path: '/reuse' }), OWNER, DIALECT);
    deleteEndpoint(db, a.id, OWNER);
    const b = createEndpoint(db, input({ path: '/reuse' }), OWNER, DIALECT);
    assert.ok(b.id > a.id);
  });
});

describe('modules', () => {
  const UTIL = 'def twice(x):\n    return 2 * x\n';

  test('names look like lib/util.star', () => {
    for (const bad of ['util', 'lib/.star', '../x.star', 'lib//x.star', '/x.star', 'a b.star', `${'a'.repeat(130)}.star`]) {
      rejects(() => createModule(db, bad, UTIL, OWNER, DIALECT), 400, /must look like lib\/util.star/);
    }
  });

  test('create, replace (a version per change), restore; 409 on a second create', () => {
    createModule(db, 'lib/util.star', UTIL, OWNER, DIALECT);
    rejects(() => createModule(db, 'lib/util.star', UTIL, OWNER, DIALECT), 409, /exists/);
    assert.equal(saveModule(db, 'lib/util.star', UTIL, OWNER, DIALECT).module.version, 1);
    const saved = saveModule(db, 'lib/util.star', UTIL.replace('2 *', '3 *'), OWNER, DIALECT);
    assert.deepEqual([saved.created, saved.module.version], [false, 2]);
    assert.equal(restoreModule(db, 'lib/util.star', 1, OWNER, DIALECT).source, UTIL);
    assert.deepEqual(moduleVersions(db, 'lib/util.star').map((v) => v.version), [3, 2, 1]);
    rejects(() => saveModule(db, 'lib/bad.star', 'def f(:\n', OWNER, DIALECT), 400, /line 1, column 7/);
    rejects(() => saveModule(db, 'lib/self.star', 'load("lib/self.star", "f")\n', OWNER, DIALECT), 400, /cannot load itself/);
  });

  test('a module that something loads cannot be deleted', () => {
    saveModule(db, 'lib/a.star', 'load("lib/util.star", "twice")\ndef four():\n    return twice(2)\n', OWNER, DIALECT);
    const e = createEndpoint(db, input({ path: '/uses-a', source: 'load("lib/a.star", "four")\ndef handle(req):\n    return str(four())\n' }), OWNER, DIALECT);
    rejects(() => deleteModule(db, 'lib/util.star', OWNER, DIALECT), 409, /loaded by module lib\/a.star/);
    rejects(() => deleteModule(db, 'lib/a.star', OWNER, DIALECT), 409, new RegExp(`loaded by endpoint ${e.id}`));
    deleteEndpoint(db, e.id, OWNER);
    deleteModule(db, 'lib/a.star', OWNER, DIALECT);
    deleteModule(db, 'lib/util.star', OWNER, DIALECT);
    rejects(() => moduleVersions(db, 'lib/util.star'), 404, /no module/);
  });
});
