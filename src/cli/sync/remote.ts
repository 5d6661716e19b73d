/**
 * A cenv's side of a sync, read through the admin API (owner or admin): applied migrations
 * (the `_migrations` table push keeps), grants with usernames instead of user ids, policies,
 * endpoints, modules and templates with their sources — and the ids push needs to change
 * or delete them.
 *
 * A cenv whose tables were made without push has no `_migrations`; pull then writes its
 * tables, indexes, views and triggers as one migration that is safe to apply again
 * (`CREATE … IF NOT EXISTS`).
 *
 * @example const remote = await readRemote(client); remote.endpoints.map((e) => e.path)
 */
import type { Client } from '../client.ts';
import { keyOf, normalizeQueries, type Endpoint, type Grant, type Policy, type Project, type ScriptModule, type Template } from './model.ts';

/** The table push records applied migrations in (a tenant table: `_wce_` names are WCE's). */
export const MIGRATIONS_TABLE = '_migrations';

export interface RemoteProject extends Project {
  /** Whether the cenv has `_migrations` (false: nothing was pushed to it yet). */
  tracked: boolean;
  ids: Map<string, number>;
  /** Username → user id, for grants to one user. */
  userIds: Map<string, string>;
}

interface SqlResult { rows: unknown[][] }

async function rows(client: Client, sql: string): Promise<unknown[][]> {
  return (await client.json<SqlResult>('POST', '/sql', { sql })).rows;
}

const OBJECTS = `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL
  AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_wce\\_%' ESCAPE '\\'
  AND name NOT LIKE '\\_litestream\\_%' ESCAPE '\\' AND name <> '${MIGRATIONS_TABLE}' ORDER BY rowid`;

/** `CREATE TABLE x` → `CREATE TABLE IF NOT EXISTS x` (SQLite stores these words normalised). */
function idempotent(sql: string): string {
  return sql.replace(/^CREATE (TABLE|VIEW|TRIGGER|INDEX|UNIQUE INDEX|VIRTUAL TABLE) /i, (head) => `${head}IF NOT EXISTS `);
}

async function migrations(client: Client): Promise<{ tracked: boolean; list: Project['migrations'] }> {
  const exists = await rows(client, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '${MIGRATIONS_TABLE}'`);
  if (exists.length > 0) {
    const applied = await rows(client, `SELECT name, sql FROM ${MIGRATIONS_TABLE} ORDER BY rowid`);
    return { tracked: true, list: applied.map(([name, sql]) => ({ name: String(name), sql: String(sql) })) };
  }
  const objects = await rows(client, OBJECTS);
  if (objects.length === 0) return { tracked: false, list: [] };
  return { tracked: false, list: [{ name: '000_existing', sql: objects.map(([, , sql]) => `${idempotent(String(sql))};`).join('\n\n') }] };
}

export async function readRemote(client: Client): Promise<RemoteProject> {
  const ids = new Map<string, number>();
  const { users } = await client.json<{ users: Array<{ id: string; username: string }> }>('GET', '/admin/users');
  const userIds = new Map(users.map((u) => [u.username, u.id]));
  const names = new Map(users.map((u) => [u.id, u.username]));

  const { permissions } = await client.json<{ permissions: Array<{ id: number; table: string; role: string | null; user_id: string | null; operations: string[] }> }>('GET', '/admin/permissions');
  const grants: Grant[] = permissions.map((p) => {
    const grant: Grant = p.role !== null ? { table: p.table, role: p.role, operations: p.operations } : { table: p.table, user: names.get(p.user_id!) ?? p.user_id!, operations: p.operations };
    ids.set(`grant ${keyOf.grant(grant)}`, p.id);
    return grant;
  });

  const { policies: listed } = await client.json<{ policies: Array<Policy & { id: number }> }>('GET', '/admin/policies');
  const policies: Policy[] = listed.map(({ id, ...p }) => {
    ids.set(`policy ${keyOf.policy(p)}`, id);
    return p;
  });

  const { endpoints: list } = await client.json<{ endpoints: Array<{ id: number }> }>('GET', '/admin/endpoints');
  const endpoints: Endpoint[] = [];
  for (const { id } of list) {
    const e = await client.json<Endpoint & { id: number }>('GET', `/admin/endpoints/${id}`);
    ids.set(`endpoint ${keyOf.endpoint(e)}`, id);
    endpoints.push({ method: e.method, path: e.path, access: e.access, run_as: e.run_as, enabled: e.enabled, source: e.source });
  }

  const { modules: moduleList } = await client.json<{ modules: Array<{ name: string }> }>('GET', '/admin/modules');
  const modules: ScriptModule[] = [];
  for (const { name } of moduleList) {
    const m = await client.json<ScriptModule>('GET', `/admin/modules/${name.split('/').map(encodeURIComponent).join('/')}`);
    modules.push({ name: m.name, source: m.source });
  }

  const { templates: templateList } = await client.json<{ templates: Array<{ id: number }> }>('GET', '/admin/templates');
  const templates: Template[] = [];
  for (const { id } of templateList) {
    const t = await client.json<Template & { id: number }>('GET', `/admin/templates/${id}`);
    ids.set(`template ${keyOf.template(t)}`, id);
    templates.push({ path: t.path, syntax: t.syntax, source: t.source, queries: normalizeQueries(t.queries), content_type: t.content_type, enabled: t.enabled });
  }

  const applied = await migrations(client);
  return { migrations: applied.list, tracked: applied.tracked, grants, policies, endpoints, modules, templates, ids, userIds };
}
