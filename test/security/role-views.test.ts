/**
 * Policy views per (table, role) (src/access/names.ts): a statement reads a protected table
 * only through the views of its principal's role. Attacks: naming another role's view (refused
 * up front as a reserved name, and refused by the authorizer when the rewritten text names it),
 * policies and roles changing between statements (no statement or rewrite of one role or one
 * policy version serves another), anonymous callers, and filters that name no column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attacks, type Attack } from './attacks.ts';
import { openFixture, run, failure, type Fixture } from './fixture.ts';
import { openDatabase } from '../../src/cenv/open.ts';
import { isAdministrator, type Principal } from '../../src/auth/principal.ts';
import { authorize, newAuthRecord, type StatementContext } from '../../src/access/authorizer.ts';
import { buildAccessState } from '../../src/access/state.ts';
import { parseSql, singleStatement, dmlTarget } from '../../src/access/parse.ts';
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from '../../src/access/policies.ts';
import { createPermission } from '../../src/access/permissions.ts';

const ids = (rows: Array<Record<string, unknown>>) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

const named: Attack[] = [
  { name: 'user reads the anonymous view', sql: 'SELECT * FROM temp._wce_rls_posts__anonymous', expect: 400 },
  { name: 'upper case, double quotes', sql: 'SELECT * FROM TEMP."_WCE_RLS_POSTS__ANONYMOUS"', expect: 400 },
  { name: 'brackets, barrier view', sql: 'SELECT count(*) FROM [_wce_rlb_posts__anonymous]', expect: 400 },
  { name: 'backticks, mixed case DML view', sql: 'SELECT * FROM `_Wce_Dml_Posts__Anonymous`', expect: 400 },
  { name: 'DML picking rows through the anonymous DML view', sql: "UPDATE posts SET title = 'x' WHERE rowid IN (SELECT _wce_rowid FROM temp._wce_dmb_posts__anonymous)", expect: 400 },
  { name: 'anonymous reads the user view', sql: 'SELECT * FROM temp."_wce_rls_posts__user"', as: 'anon', expect: 400 },
  { name: 'owner reads a user view', sql: 'SELECT * FROM temp._wce_rls_posts__user', as: 'owner', expect: 400 },
  { name: 'CTE named like the user view, read by anonymous', sql: 'WITH _wce_rls_posts__user AS (SELECT * FROM main.posts) SELECT * FROM _wce_rls_posts__user', as: 'anon', expect: 400 },
];
attacks('views of another role named in SQL', named);

/**
 * Prepares text as-is (no reserved-name check, no rewrite) under the authorizer decisions the
 * guard makes for `principal`, on a second connection holding the same TEMP policy objects:
 * the authorizer alone must refuse what the up-front check would have refused.
 * Returns null when allowed, or the denial.
 */
function authorizerOnly(f: Fixture): { check(principal: Principal, sql: string): string | null; close(): void } {
  const db = openDatabase(f.file);
  for (const name of ['wce_user_id', 'wce_username', 'wce_role']) db.function(name, { deterministic: false }, () => null);
  const state = buildAccessState(db);
  return {
    check(principal, sql) {
      const ctx: StatementContext = {
        principal, admin: isAdministrator(principal), dmlTarget: dmlTarget(singleStatement(parseSql(sql))), stepping: false,
        alterTable: false, ctes: new Set(), replaceTarget: null, ...state,
      };
      const record = newAuthRecord();
      db.setAuthorizer((action, a1, a2, dbName, context) => authorize(ctx, record, action, a1, a2, dbName, context));
      try {
        db.prepare(sql);
        return null;
      } catch (error) {
        return record.denial ?? (error as Error).message;
      } finally {
        db.setAuthorizer(null);
      }
    },
    close: () => db.close(),
  };
}

test('role views: the authorizer refuses a read through another role\'s view in every spelling and position', () => {
  const f = openFixture();
  const auth = authorizerOnly(f);
  try {
    const own = (role: string) => `temp."_wce_rls_posts__${role}"`;
    assert.equal(auth.check(f.alice, `SELECT * FROM ${own('user')} AS "posts"`), null, 'control: own view');
    assert.equal(auth.check(f.alice, `SELECT count(*) FROM ${own('user')}`), null, 'control: own view, no column used');
    assert.equal(auth.check(f.anon, `SELECT id FROM ${own('anonymous')} AS "posts"`), null, 'control: anonymous view');
    const others: Array<[Principal, string]> = [];
    for (const view of ['temp."_wce_rls_posts__anonymous"', 'TEMP."_WCE_RLB_POSTS__ANONYMOUS"', '[_wce_dml_posts__anonymous]', '`_wce_dmb_posts__AnonYmous`']) {
      others.push([f.alice, `SELECT * FROM ${view}`], [f.alice, `SELECT count(*) FROM ${view}`], [f.alice, `SELECT 1 FROM tags WHERE EXISTS (SELECT 1 FROM ${view})`]);
    }
    others.push(
      [f.alice, `SELECT * FROM ${own('user')} AS a JOIN ${own('anonymous')} AS b USING (id)`],
      [f.alice, `WITH c AS (SELECT * FROM ${own('anonymous')}) SELECT count(*) FROM c`],
      [f.alice, `UPDATE posts SET title = 'x' WHERE "posts".rowid IN (SELECT "_wce_rowid" FROM temp."_wce_dml_posts__anonymous" AS "posts")`],
      [f.anon, `SELECT * FROM ${own('user')} AS "posts"`],
      [f.anon, 'SELECT count(*) FROM temp._wce_dmb_posts__user'],
      // Owner/admin are never rewritten; where SQLite reports the view itself it is refused to
      // them too (through `count(*)` they would only see less than main.posts shows them).
      [f.owner, `SELECT * FROM ${own('user')}`],
      // SQLite reports a view context as written: a respelling of one's own view is not ours.
      [f.alice, 'SELECT count(*) FROM temp."_WCE_RLS_POSTS__USER"'],
    );
    for (const [who, sql] of others) assert.notEqual(auth.check(who, sql), null, `${who.role}: ${sql}`);
  } finally {
    auth.close();
    f.close();
  }
});

test('role views: a policy change between statements takes effect for the next one, cached text included', () => {
  const f = openFixture();
  try {
    const sql = 'SELECT id FROM posts ORDER BY id';
    assert.deepEqual(ids(run(f, f.alice, sql)), [1, 2, 3]);
    const visible = listPolicies(f.admin).find((p) => p.name === 'visible')!;
    updatePolicy(f.admin, visible.id, { roles: ['anonymous'] }, f.actor);
    assert.deepEqual(run(f, f.alice, sql), [], 'users lost their select policy');
    assert.deepEqual(ids(run(f, f.anon, sql)), [1, 3]);
    updatePolicy(f.admin, visible.id, { roles: ['user'], using: 'author = $user_id' }, f.actor);
    assert.deepEqual(ids(run(f, f.alice, sql)), [1, 2]);
    assert.deepEqual(run(f, f.anon, 'SELECT count(*) AS n FROM posts'), [{ n: 0 }], 'anonymous lost its policy: no rows, not an error');
    deletePolicy(f.admin, visible.id, f.actor);
    assert.deepEqual(run(f, f.alice, 'SELECT count(*) AS n FROM posts'), [{ n: 0 }]);
  } finally {
    f.close();
  }
});

test('role views: a statement prepared before a policy change runs under the new policy or not at all', () => {
  const f = openFixture();
  try {
    const { stmt } = f.guard.runAs(f.alice, () => f.guard.prepare('SELECT id FROM posts ORDER BY id', f.alice));
    const visible = listPolicies(f.admin).find((p) => p.name === 'visible')!;
    updatePolicy(f.admin, visible.id, { using: 'published = 1' }, f.actor);
    run(f, f.alice, 'SELECT 1'); // the guard notices and rebuilds the views
    let rows: number[] | null = null;
    try {
      rows = ids(f.guard.runAs(f.alice, () => stmt.all()) as Array<Record<string, unknown>>);
    } catch {
      rows = null; // refused while stepping: also fine
    }
    assert.ok(rows === null || JSON.stringify(rows) === '[1,3]', `old statement showed ${JSON.stringify(rows)}`);
  } finally {
    f.close();
  }
});

test('role views: the same text for different roles is rewritten per role, never shared', () => {
  const f = openFixture();
  try {
    const sql = 'SELECT id FROM posts';
    const promoted: Principal = { ...f.alice, role: 'admin' };
    assert.deepEqual(ids(run(f, promoted, sql)), [1, 2, 3, 4], 'as admin: not rewritten');
    assert.deepEqual(ids(run(f, f.alice, sql)), [1, 2, 3], 'demoted again: her own view, not the admin\'s text');
    assert.deepEqual(ids(run(f, f.anon, sql)), [1, 3]);
    assert.deepEqual(ids(run(f, promoted, sql)), [1, 2, 3, 4]);
    assert.match(f.guard.prepare(sql, f.anon).sql, /_wce_rls_posts__anonymous/);
    assert.equal(f.guard.prepare(sql, promoted).sql, sql);
  } finally {
    f.close();
  }
});

test('role views: NULL counts as false without IS TRUE (permissive and restrictive)', () => {
  const f = openFixture({
    standardPolicies: false,
    policies: [
      { table: 'posts', name: 'published or null', commands: ['select'], roles: ['user', 'anonymous'], using: 'CASE WHEN published = 1 THEN 1 END', kind: 'permissive' },
      { table: 'posts', name: 'not bob public', commands: ['select'], roles: ['anonymous'], using: "CASE WHEN title <> 'bob public' THEN 1 END", kind: 'restrictive' },
    ],
  });
  try {
    assert.deepEqual(ids(run(f, f.alice, 'SELECT id FROM posts')), [1, 3]);
    assert.deepEqual(ids(run(f, f.anon, 'SELECT id FROM posts')), [1]);
    assert.deepEqual(run(f, f.anon, 'SELECT count(*) AS n FROM posts WHERE id = 3'), [{ n: 0 }]);
  } finally {
    f.close();
  }
});

test('role views: filters that name no column still answer column-free reads (count(*), SELECT 1, rowid only)', () => {
  const filters = ["$role = 'anonymous'", '1', 'id > 2', '0', 'false', 'NULL'];
  for (const using of filters) {
    const f = openFixture({
      standardPolicies: false,
      policies: [{ table: 'posts', name: 'p', commands: ['select'], roles: ['anonymous'], using, kind: 'permissive' }],
    });
    try {
      const expected = f.admin.prepare(`SELECT id FROM posts WHERE ${using.replace('$role', "'anonymous'")}`).all().map((row) => Number(row.id));
      const count = (who: Principal, sql: string) => run(f, who, sql).length;
      for (const sql of ['SELECT id FROM posts', 'SELECT 1 FROM posts', 'SELECT id FROM posts ORDER BY id DESC LIMIT 2']) {
        const got = failure(() => count(f.anon, sql));
        // A literal 0 is folded by SQLite's parser before the view's column anchor is seen:
        // such reads fail closed (403) instead of returning nothing (docs/dev/access.md, known limits).
        if (using === '0' && got === 403) continue;
        assert.equal(got, 'none', `${using}: ${sql}`);
        assert.equal(count(f.anon, sql), Math.min(expected.length, sql.includes('LIMIT') ? 2 : Infinity), `${using}: ${sql}`);
      }
      if (using !== '0') assert.deepEqual(run(f, f.anon, 'SELECT count(*) AS n FROM posts'), [{ n: expected.length }], using);
      assert.deepEqual(run(f, f.alice, 'SELECT count(*) AS n FROM posts'), [{ n: 0 }], 'users have no policy at all');
    } finally {
      f.close();
    }
  }
});

test('role views: a table with no column but its rowid fails closed on column-free reads', () => {
  const f = openFixture();
  try {
    f.admin.exec('CREATE TABLE solo (id INTEGER PRIMARY KEY); INSERT INTO solo VALUES (1), (2)');
    createPermission(f.admin, { table: 'solo', role: 'user', operations: ['select'] }, f.actor);
    createPolicy(f.admin, { table: 'solo', name: 'one', commands: ['select'], roles: ['user'], using: 'id = 1', kind: 'permissive' }, f.actor);
    for (const sql of ['SELECT count(*) AS n FROM solo', 'SELECT id AS n FROM solo']) {
      let result: unknown;
      try {
        result = run(f, f.alice, sql);
      } catch (error) {
        result = (error as { statusCode?: number }).statusCode;
      }
      assert.ok(result === 403 || JSON.stringify(result) === '[{"n":1}]', `${sql}: ${JSON.stringify(result)}`);
    }
  } finally {
    f.close();
  }
});
