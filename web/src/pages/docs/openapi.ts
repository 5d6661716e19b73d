/**
 * The parts of an OpenAPI 3.1 document the reference page shows, and the helpers that read
 * them: operations grouped by tag in the document's tag order, `$ref`s resolved within the
 * document, and a stable anchor per operation (so a link can point at one).
 */
export type Schema = Record<string, any>;

export interface Parameter { name: string; in: string; required?: boolean; description?: string; schema?: Schema }
export interface MediaMap { [type: string]: { schema?: Schema } }
export interface Response { description?: string; content?: MediaMap }
export interface OperationObject {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: MediaMap };
  responses?: Record<string, Response>;
}
export interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
}

export interface Operation { id: string; method: string; path: string; op: OperationObject }
export interface TagGroup { name: string; description: string; operations: Operation[] }

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `get /{cenv}/admin/users` → `get-cenv-admin-users`. */
export function anchorOf(method: string, path: string): string {
  return `${method}-${path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '');
}

/** Every operation, grouped by its first tag, tags in the document's order. */
export function groupByTag(doc: Document): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const tag of doc.tags ?? []) groups.set(tag.name, { name: tag.name, description: tag.description ?? '', operations: [] });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!groups.has(tag)) groups.set(tag, { name: tag, description: '', operations: [] });
      groups.get(tag)!.operations.push({ id: anchorOf(method, path), method, path, op });
    }
  }
  return [...groups.values()].filter((g) => g.operations.length > 0);
}

/** The schema a `$ref` names (`#/components/schemas/Error`), or the schema itself. */
export function resolve(doc: Document, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref || typeof schema.$ref !== 'string' || !schema.$ref.startsWith('#/')) return schema;
  let target: any = doc;
  for (const part of schema.$ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return target;
}

/** True when `text` (lower case) appears in the operation's method, path, summary or tag. */
export function matches(operation: Operation, text: string): boolean {
  if (!text) return true;
  const { method, path, op } = operation;
  return `${method} ${path} ${op.summary ?? ''} ${op.tags?.join(' ') ?? ''}`.toLowerCase().includes(text);
}

/** Who may call, in words, from the operation's security requirements. */
export function securityText(op: OperationObject): string {
  const requirements = op.security ?? [];
  if (requirements.length === 0) return 'Anyone; no credentials are read.';
  const optional = requirements.some((r) => Object.keys(r).length === 0);
  const needsCsrf = requirements.some((r) => 'csrf' in r);
  const how = `a bearer token, or the session cookie${needsCsrf ? ' with the x-csrf-token header' : ''}`;
  return optional ? `Anyone; credentials sent (${how}) are checked.` : `Signed in: ${how}.`;
}

/** The error codes an error response lists (its schema narrows `error.code` to them). */
export function errorCodes(response: Response): string[] {
  const schema = response.content?.['application/json']?.schema;
  const codes = schema?.properties?.error?.properties?.code?.enum;
  return Array.isArray(codes) ? codes : [];
}
