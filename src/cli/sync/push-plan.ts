/**
 * `wce push`'s plan: what must change for the cenv to match the directory, as steps that say
 * what they do and know how to do it. Order matters and is fixed: migrations (tables first),
 * grants, policies, modules (before the endpoints that load them), endpoints, templates
 * (partials first); deletions last, in reverse. Only what differs is a step, so a second push
 * has none. Items the cenv has and the directory lacks are deleted only with --prune.
 *
 * Refusals that would leave a half-applied push (a migration edited after it was applied, a
 * grant to a user the cenv does not have) are raised before any step runs.
 *
 * @example const plan = planPush(readProject(dir), await readRemote(client), { prune: false });
 */
import { splitStatements } from '../../../web/src/lib/sql-split.ts';
import { CliError, type Client } from '../client.ts';
import type { LocalProject } from './layout.ts';
import { changesOf, describe, keyOf, type Endpoint, type Grant, type Policy, type ScriptModule, type Template } from './model.ts';
import { MIGRATIONS_TABLE, type RemoteProject } from './remote.ts';

export interface Step { sign: '+' | '~' | '-'; what: string; run(client: Client): Promise<unknown> }
export interface Plan { steps: Step[]; unchanged: number; kept: string[]; warnings: string[] }

type Kind = 'grant' | 'policy' | 'module' | 'endpoint' | 'template';

interface Diff<T> { added: T[]; changed: Array<{ local: T; remote: T; fields: string[] }>; extra: T[]; same: number }

function diff<T>(kind: Kind, local: T[], remote: T[]): Diff<T> {
  const key = keyOf[kind] as (item: T) => string;
  const changes = changesOf[kind] as (a: T, b: T) => string[];
  const theirs = new Map(remote.map((item) => [key(item), item]));
  const mine = new Set(local.map(key));
  const result: Diff<T> = { added: [], changed: [], extra: remote.filter((item) => !mine.has(key(item))), same: 0 };
  for (const item of local) {
    const other = theirs.get(key(item));
    if (!other) result.added.push(item);
    else {
      const fields = changes(other, item);
      if (fields.length > 0) result.changed.push({ local: item, remote: other, fields });
      else result.same++;
    }
  }
  return result;
}

const path = (name: string) => name.split('/').map(encodeURIComponent).join('/');

/** The migration steps: each new one in one atomic batch that also records it. */
function migrationSteps(local: LocalProject, remote: RemoteProject, plan: Plan): void {
  const applied = new Map((remote.tracked ? remote.migrations : []).map((m) => [m.name, m.sql]));
  for (const m of local.migrations) {
    const was = applied.get(m.name);
    if (was !== undefined && was.trim() !== m.sql.trim()) {
      throw new CliError(`schema.sql: migration ${m.name} was changed after it was applied to this cenv. ` +
        'Applied migrations never run again: undo the edit, and put the change in a new migration below it.');
    }
  }
  if (!remote.tracked && remote.migrations.length > 0) {
    plan.warnings.push('the cenv has tables that wce push did not make; a migration that creates one of them again will fail ' +
      '(to start from what the cenv has: wce pull DIR)');
  }
  const mine = new Set(local.migrations.map((m) => m.name));
  for (const name of applied.keys()) if (!mine.has(name)) plan.warnings.push(`migration ${name} was applied to the cenv but is not in schema.sql`);
  for (const m of local.migrations.filter((m) => !applied.has(m.name))) {
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, sql TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`,
      ...splitStatements(m.sql).map((piece) => piece.text),
    ].map((sql) => ({ sql }));
    statements.push({ sql: `INSERT INTO ${MIGRATIONS_TABLE} (name, sql) VALUES (?, ?)`, params: [m.name, m.sql] } as { sql: string });
    plan.steps.push({ sign: '+', what: describe.migration(m), run: (c) => c.json('POST', '/sql', { statements }) });
  }
  plan.unchanged += local.migrations.length - local.migrations.filter((m) => !applied.has(m.name)).length;
}

function grantBody(g: Grant, remote: RemoteProject): Record<string, unknown> {
  if (g.role !== undefined) return { table: g.table, role: g.role, operations: g.operations };
  const id = remote.userIds.get(g.user!);
  if (!id) throw new CliError(`policies.json: a grant on ${g.table} names the user "${g.user}", whom this cenv does not have (add them: wce users add ${g.user})`);
  return { table: g.table, user_id: id, operations: g.operations };
}

/**
 * The plan for making the cenv match `local`.
 * @example planPush(local, remote, { prune: true }).steps.map((s) => `${s.sign} ${s.what}`)
 */
export function planPush(local: LocalProject, remote: RemoteProject, options: { prune: boolean }): Plan {
  const plan: Plan = { steps: [], unchanged: 0, kept: [], warnings: [] };
  const id = (kind: Kind, item: unknown) => remote.ids.get(`${kind} ${(keyOf[kind] as (i: unknown) => string)(item)}`)!;
  const deletions: Step[] = [];
  const track = <T>(kind: Kind, area: Parameters<LocalProject['managed']['has']>[0], d: Diff<T>, remove: (c: Client, item: T) => Promise<unknown>) => {
    plan.unchanged += d.same;
    if (!local.managed.has(area)) return;
    for (const item of d.extra) {
      const what = (describe[kind] as (i: T) => string)(item);
      if (options.prune) deletions.unshift({ sign: '-', what, run: (c) => remove(c, item) });
      else plan.kept.push(what);
    }
  };

  if (local.managed.has('schema')) migrationSteps(local, remote, plan);

  const grants = diff('grant', local.grants, remote.grants);
  for (const g of grants.added) { const body = grantBody(g, remote); plan.steps.push({ sign: '+', what: describe.grant(g), run: (c) => c.json('POST', '/admin/permissions', body) }); }
  for (const { local: g, remote: old } of grants.changed) {
    // Same table and holder, other operations: changed in place, never briefly revoked.
    plan.steps.push({ sign: '~', what: describe.grant(g), run: (c) => c.json('PUT', `/admin/permissions/${id('grant', old)}`, { operations: g.operations }) });
  }
  track('grant', 'policies', grants, (c, g: Grant) => c.json('DELETE', `/admin/permissions/${id('grant', g)}`));

  const policies = diff('policy', local.policies, remote.policies);
  for (const p of policies.added) plan.steps.push({ sign: '+', what: describe.policy(p), run: (c) => c.json('POST', '/admin/policies', p) });
  for (const { local: p, remote: old } of policies.changed) {
    const { commands, roles, using, check, kind } = p;
    plan.steps.push({ sign: '~', what: describe.policy(p), run: (c) => c.json('PUT', `/admin/policies/${id('policy', old)}`, { commands, roles, using, check, kind }) });
  }
  track('policy', 'policies', policies, (c, p: Policy) => c.json('DELETE', `/admin/policies/${id('policy', p)}`));

  const modules = diff('module', local.modules, remote.modules);
  for (const m of [...modules.added, ...modules.changed.map((c) => c.local)]) {
    plan.steps.push({ sign: modules.added.includes(m) ? '+' : '~', what: describe.module(m), run: (c) => c.json('PUT', `/admin/modules/${path(m.name)}`, { source: m.source }) });
  }
  track('module', 'modules', modules, (c, m: ScriptModule) => c.json('DELETE', `/admin/modules/${path(m.name)}`));

  const endpoints = diff('endpoint', local.endpoints, remote.endpoints);
  for (const e of endpoints.added) plan.steps.push({ sign: '+', what: describe.endpoint(e), run: (c) => c.json('POST', '/admin/endpoints', e) });
  for (const { local: e, remote: old, fields } of endpoints.changed) {
    const change = Object.fromEntries(fields.map((f) => [f, e[f as keyof Endpoint]]));
    plan.steps.push({ sign: '~', what: `${describe.endpoint(e)}: ${fields.join(', ')}`, run: (c) => c.json('PUT', `/admin/endpoints/${id('endpoint', old)}`, change) });
  }
  track('endpoint', 'endpoints', endpoints, (c, e: Endpoint) => c.json('DELETE', `/admin/endpoints/${id('endpoint', e)}`));

  const templates = diff('template', local.templates, remote.templates);
  const partialFirst = (t: Template) => (t.path.split('/').some((s) => s.startsWith('_')) ? 0 : 1);
  for (const t of [...templates.added].sort((a, b) => partialFirst(a) - partialFirst(b))) {
    plan.steps.push({ sign: '+', what: describe.template(t), run: (c) => c.json('POST', '/admin/templates', t) });
  }
  for (const { local: t, remote: old, fields } of templates.changed) {
    const change = Object.fromEntries(fields.map((f) => [f, t[f as keyof Template]]));
    plan.steps.push({ sign: '~', what: `${describe.template(t)}: ${fields.join(', ')}`, run: (c) => c.json('PUT', `/admin/templates/${id('template', old)}`, change) });
  }
  track('template', 'templates', templates, (c, t: Template) => c.json('DELETE', `/admin/templates/${id('template', t)}`));

  plan.steps.push(...deletions);
  return plan;
}
