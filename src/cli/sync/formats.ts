/**
 * The file formats of a WCE project directory (docs/cli.md, "Project directories"), read and
 * written so that pull → push (and push → pull) changes nothing:
 *
 * - `schema.sql`: migrations, each under a `-- migration: NAME` line, applied once, in order;
 * - `policies.json`: `{"grants": [...], "policies": [...]}` (grants to a role or a username);
 * - `endpoints/*.star`: first line `# wce: METHOD /path access=… run_as=… enabled=…`;
 * - `templates/…`: the path is the file's (`posts/[id].md` → `posts/:id`, markdown); settings
 *   in a leading `{% comment %}wce {json} {% endcomment %}` block.
 *
 * Headers are stripped before a source goes to the server and put back by pull.
 *
 * @example parseEndpointFile('# wce: GET /hello access=public\ndef handle(req):\n    return "hi"\n', 'hello.star')
 */
import { CliError } from '../client.ts';
import { DEFAULT_CONTENT_TYPE, normalizeQueries, type Endpoint, type Grant, type Migration, type Policy, type Template } from './model.ts';

const ENDPOINT_HEADER = /^#\s*wce:\s*(\S+)\s+(\S+)([^\n]*)(?:\n|$)/;
const TEMPLATE_HEADER = /^\{%-?\s*comment\s*-?%\}\s*wce\b([\s\S]*?)\{%-?\s*endcomment\s*-?%\}\n?/;
const MIGRATION_LINE = /^--\s*migration:\s*(\S+)\s*$/gm;

/** JSON with two-space indents, and arrays of plain values on one line: `["select", "insert"]`. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:"(?:[^"\\]|\\.)*"|-?[\d.]+|true|false|null)(?:,\s*(?:"(?:[^"\\]|\\.)*"|-?[\d.]+|true|false|null))*)\s*\]/g,
    (_all, items: string) => `[${items.split(/,\s*(?=["\d\-tfn])/).join(', ')}]`);
}

function bad(file: string, message: string): CliError {
  return new CliError(`${file}: ${message}`);
}

export function parseEndpointFile(text: string, file: string): Endpoint {
  const header = ENDPOINT_HEADER.exec(text);
  if (!header) throw bad(file, 'the first line must say the method and path: # wce: GET /posts/:id access=public');
  const options: Record<string, string> = { access: 'user', run_as: 'caller', enabled: 'true' };
  for (const token of header[3].trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = token.split('=');
    if (!(key in options) || value === undefined) throw bad(file, `unknown setting "${token}" in the header (access=, run_as=, enabled=)`);
    options[key] = value;
  }
  if (!['true', 'false'].includes(options.enabled)) throw bad(file, 'enabled= must be true or false');
  return {
    method: header[1].toUpperCase(), path: header[2], access: options.access, run_as: options.run_as,
    enabled: options.enabled === 'true', source: text.slice(header[0].length),
  };
}

export function endpointFile(e: Endpoint): string {
  const settings = [`access=${e.access}`, e.run_as !== 'caller' && `run_as=${e.run_as}`, !e.enabled && 'enabled=false'].filter(Boolean);
  return `# wce: ${e.method} ${e.path} ${settings.join(' ')}\n${e.source}`;
}

/** `GET /posts/:id` → `get-posts-id.star` (pull's name for a new file). */
export function endpointFileName(e: Endpoint): string {
  const slug = e.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
  return `${e.method.toLowerCase()}-${slug}.star`;
}

/** `posts/[id].md` → { path: 'posts/:id', syntax: 'markdown' }. */
function templatePathOf(file: string): { path: string; syntax: Template['syntax'] } | null {
  const match = /^(.+)\.(liquid|html|md)$/.exec(file);
  if (!match) return null;
  return { path: match[1].replace(/\[(\w+)\]/g, ':$1'), syntax: match[2] === 'md' ? 'markdown' : 'liquid' };
}

/** A file below templates/, or null for a file that is not a template (README, images). */
export function parseTemplateFile(relative: string, text: string): Template | null {
  const named = templatePathOf(relative);
  if (!named) return null;
  const header = TEMPLATE_HEADER.exec(text);
  let settings: Record<string, unknown> = {};
  if (header) {
    try {
      settings = JSON.parse(header[1].trim() || '{}');
    } catch (error) {
      throw bad(`templates/${relative}`, `the wce header is not JSON: ${(error as Error).message}`);
    }
  }
  const known = ['path', 'queries', 'content_type', 'enabled', 'syntax'];
  const unknown = Object.keys(settings).find((k) => !known.includes(k));
  if (unknown) throw bad(`templates/${relative}`, `unknown setting "${unknown}" in the wce header (${known.join(', ')})`);
  return {
    path: typeof settings.path === 'string' ? settings.path : named.path,
    syntax: settings.syntax === 'markdown' || settings.syntax === 'liquid' ? settings.syntax : named.syntax,
    source: header ? text.slice(header[0].length) : text,
    queries: normalizeQueries(settings.queries as Record<string, unknown> | undefined),
    content_type: typeof settings.content_type === 'string' ? settings.content_type : DEFAULT_CONTENT_TYPE,
    enabled: settings.enabled !== false,
  };
}

/** The file pull writes for a template: its name from the path, a header only when needed. */
export function templateFile(t: Template): { file: string; text: string } {
  const file = `${t.path.replace(/:(\w+)/g, '[$1]')}.${t.syntax === 'markdown' ? 'md' : 'liquid'}`;
  const settings: Record<string, unknown> = {};
  if (Object.keys(t.queries).length > 0) {
    settings.queries = Object.fromEntries(Object.entries(t.queries).map(([name, q]) =>
      [name, q.first || q.required ? { sql: q.sql, ...(q.first ? { first: true } : {}), ...(q.required ? { required: true } : {}) } : q.sql]));
  }
  if (t.content_type !== DEFAULT_CONTENT_TYPE) settings.content_type = t.content_type;
  if (!t.enabled) settings.enabled = false;
  const header = Object.keys(settings).length > 0 ? `{% comment %}wce\n${prettyJson(settings)}\n{% endcomment %}\n` : '';
  return { file, text: header + t.source };
}

/** `schema.sql` → its migrations. A file without `-- migration:` lines is one migration, "schema". */
export function parseMigrations(text: string): Migration[] {
  const marks = [...text.matchAll(MIGRATION_LINE)];
  if (marks.length === 0) return text.trim() ? [{ name: 'schema', sql: text.trim() }] : [];
  const before = text.slice(0, marks[0].index).replace(/--[^\n]*/g, '').trim();
  if (before) throw new CliError('schema.sql: SQL before the first "-- migration: NAME" line; put it under one');
  const migrations = marks.map((mark, i) => ({
    name: mark[1], sql: text.slice(mark.index! + mark[0].length, marks[i + 1]?.index ?? text.length).trim(),
  }));
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new CliError(`schema.sql: two migrations are called ${m.name}`);
    names.add(m.name);
  }
  return migrations;
}

export function formatMigrations(migrations: Migration[]): string {
  return migrations.map((m) => `-- migration: ${m.name}\n${m.sql}\n`).join('\n');
}

/** `policies.json` → grants and policies, with the server's defaults filled in. */
export function parsePolicies(text: string): { grants: Grant[]; policies: Policy[] } {
  let json: { grants?: Grant[]; policies?: Array<Partial<Policy>> };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`policies.json is not JSON: ${(error as Error).message}`);
  }
  const grants = (json.grants ?? []).map((g, i) => {
    if (!g.table || !Array.isArray(g.operations) || (g.role === undefined) === (g.user === undefined)) {
      throw new CliError(`policies.json: grants[${i}] needs "table", "operations" and one of "role" or "user" (a username)`);
    }
    return { table: g.table, ...(g.role !== undefined ? { role: g.role } : { user: g.user }), operations: g.operations };
  });
  const policies = (json.policies ?? []).map((p, i): Policy => {
    if (!p.table || !p.name || !Array.isArray(p.commands) || !Array.isArray(p.roles)) {
      throw new CliError(`policies.json: policies[${i}] needs "table", "name", "commands" and "roles"`);
    }
    return { table: p.table, name: p.name, commands: p.commands, roles: p.roles, using: p.using ?? null, check: p.check ?? null, kind: p.kind ?? 'permissive' };
  });
  return { grants, policies };
}

export function formatPolicies(grants: Grant[], policies: Policy[]): string {
  const compactPolicies = policies.map((p) => ({
    table: p.table, name: p.name, commands: p.commands, roles: p.roles,
    ...(p.using !== null ? { using: p.using } : {}), ...(p.check !== null ? { check: p.check } : {}), ...(p.kind !== 'permissive' ? { kind: p.kind } : {}),
  }));
  return `${prettyJson({ grants, policies: compactPolicies })}\n`;
}
