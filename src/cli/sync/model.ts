/**
 * What `wce push` and `wce pull` synchronise, the same shape whether read from a directory
 * (layout.ts) or from a cenv (remote.ts), with the keys that say two items are "the same
 * one" and the comparisons that say whether they differ. One place for both, so push and
 * pull can never disagree about what changed.
 */

export interface Migration { name: string; sql: string }
export interface Grant { table: string; role?: string; user?: string; operations: string[] }
export interface Policy {
  table: string; name: string; commands: string[]; roles: string[];
  using: string | null; check: string | null; kind: 'permissive' | 'restrictive';
}
export interface Endpoint { method: string; path: string; access: string; run_as: string; enabled: boolean; source: string }
export interface ScriptModule { name: string; source: string }
export interface PageQuery { sql: string; first: boolean; required: boolean }
export interface Template {
  path: string; syntax: 'liquid' | 'markdown'; source: string;
  queries: Record<string, PageQuery>; content_type: string; enabled: boolean;
}

/** Everything a directory (or a cenv) holds, by kind. */
export interface Project {
  migrations: Migration[];
  grants: Grant[];
  policies: Policy[];
  endpoints: Endpoint[];
  modules: ScriptModule[];
  templates: Template[];
}

export const DEFAULT_CONTENT_TYPE = 'text/html';

export const keyOf = {
  grant: (g: Grant) => `${g.table} → ${g.role ?? `user ${g.user}`}`,
  policy: (p: Policy) => `"${p.name}" on ${p.table}`,
  endpoint: (e: Endpoint) => `${e.method} ${e.path}`,
  module: (m: ScriptModule) => m.name,
  template: (t: Template) => t.path,
};

const sorted = (list: readonly string[]) => [...list].sort().join(',');

/** A template's queries with the server's defaults filled in (`"SELECT …"` → `{sql, first: false, required: false}`). */
export function normalizeQueries(queries: Record<string, unknown> | undefined): Record<string, PageQuery> {
  const out: Record<string, PageQuery> = {};
  for (const [name, q] of Object.entries(queries ?? {})) {
    const spec = typeof q === 'string' ? { sql: q } : (q as Partial<PageQuery>);
    out[name] = { sql: String(spec.sql ?? ''), first: spec.first === true, required: spec.required === true };
  }
  return out;
}

/** The fields of `b` that differ from `a` (empty: the same). */
export const changesOf = {
  grant: (a: Grant, b: Grant) => (sorted(a.operations) === sorted(b.operations) ? [] : ['operations']),
  policy: (a: Policy, b: Policy) => [
    sorted(a.commands) !== sorted(b.commands) && 'commands', sorted(a.roles) !== sorted(b.roles) && 'roles',
    a.using !== b.using && 'using', a.check !== b.check && 'check', a.kind !== b.kind && 'kind',
  ].filter((x): x is string => Boolean(x)),
  endpoint: (a: Endpoint, b: Endpoint) => (['source', 'access', 'run_as', 'enabled'] as const).filter((k) => a[k] !== b[k]),
  module: (a: ScriptModule, b: ScriptModule) => (a.source === b.source ? [] : ['source']),
  template: (a: Template, b: Template) => [
    ...(['source', 'syntax', 'content_type', 'enabled'] as const).filter((k) => a[k] !== b[k]),
    ...(JSON.stringify(a.queries) === JSON.stringify(b.queries) ? [] : ['queries']),
  ],
};

/** How an item reads in a plan: `endpoint POST /comments (public, runs as owner)`. */
export const describe = {
  migration: (m: Migration) => `migration ${m.name}`,
  grant: (g: Grant) => `grant ${g.operations.join(', ')} on ${g.table} to ${g.role ?? `user ${g.user}`}`,
  policy: (p: Policy) => `policy "${p.name}" on ${p.table} (${p.kind}, ${p.commands.join('/')} for ${p.roles.join(', ')})`,
  endpoint: (e: Endpoint) => `endpoint ${e.method} ${e.path} (${e.access}${e.run_as === 'owner' ? ', runs as owner' : ''}${e.enabled ? '' : ', disabled'})`,
  module: (m: ScriptModule) => `module ${m.name}`,
  template: (t: Template) => `template ${t.path}${t.syntax === 'markdown' ? ' (markdown)' : ''}`,
};
