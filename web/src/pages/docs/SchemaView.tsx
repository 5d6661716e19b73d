/**
 * A JSON Schema (2020-12, as OpenAPI 3.1 uses it) shown as a readable tree: each property
 * with its type, whether it is required, its limits and its description; arrays by their
 * items, unions as "one of". `$ref`s are followed within the document, to a bounded depth.
 */
import type { ComponentChildren } from 'preact';
import { resolve, type Document, type Schema } from './openapi.ts';
import { Inline } from './Prose.tsx';

const MAX_DEPTH = 6;

function literal(value: unknown): string {
  return JSON.stringify(value);
}

/** `string`, `integer ≥ 1`, `"admin" | "user"`, `array of object`, … */
export function typeLabel(doc: Document, raw: Schema | undefined): string {
  const schema = resolve(doc, raw);
  if (!schema) return 'any';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map((s: Schema) => typeLabel(doc, s)).join(' | ');
  if (schema.type === 'array') return `array of ${typeLabel(doc, schema.items)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (!type && raw?.$ref) return String(raw.$ref).split('/').pop()!;
  // A small object reads best by its fields: {$int} | {$blob}, {sql, params, as_user}.
  const keys = Object.keys(schema.properties ?? {});
  if ((type === 'object' || !type) && keys.length > 0 && keys.length <= 3) return `{${keys.join(', ')}}`;
  return type ?? (schema.properties ? 'object' : 'any');
}

/** Limits worth saying: lengths, ranges, patterns, counts. */
function limits(schema: Schema): string[] {
  const out: string[] = [];
  if (schema.minLength !== undefined) out.push(`≥ ${schema.minLength} chars`);
  if (schema.maxLength !== undefined) out.push(`≤ ${schema.maxLength} chars`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) out.push(`≥ ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`≤ ${schema.maxItems} items`);
  if (schema.pattern) out.push(`pattern ${schema.pattern}`);
  if (schema.additionalProperties === false && schema.properties) out.push('no other fields');
  return out;
}

function Row({ name, required, schema, doc, depth }: { name: string; required: boolean; schema: Schema; doc: Document; depth: number }) {
  const resolved = resolve(doc, schema) ?? {};
  const notes = limits(resolved);
  return (
    <li>
      <code class="schema-name">{name}</code>
      {required ? <span class="schema-required" title="required"> *</span> : null}{' '}
      <span class="schema-type">{typeLabel(doc, schema)}</span>
      {notes.length > 0 && <span class="schema-limits"> ({notes.join(', ')})</span>}
      {(resolved.description ?? schema.description) && <span class="schema-desc"> — <Inline text={resolved.description ?? schema.description} /></span>}
      <Children schema={resolved} doc={doc} depth={depth + 1} />
    </li>
  );
}

/** The nested part of a schema: an object's properties, an array's item object, a union's objects. */
function Children({ schema, doc, depth }: { schema: Schema; doc: Document; depth: number }): ComponentChildren {
  if (depth > MAX_DEPTH) return null;
  if (schema.type === 'array') {
    const items = resolve(doc, schema.items);
    return items?.properties ? <Children schema={items} doc={doc} depth={depth} /> : null;
  }
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(union) && union.some((s) => resolve(doc, s)?.properties)) {
    return (
      <ul class="schema">
        {union.map((s, i) => <li key={i}><span class="muted">one of ({i + 1}):</span> <Children schema={resolve(doc, s) ?? {}} doc={doc} depth={depth} /></li>)}
      </ul>
    );
  }
  const properties = schema.properties as Record<string, Schema> | undefined;
  const extra = schema.additionalProperties;
  if (!properties && !(extra && typeof extra === 'object')) return null;
  const required = new Set<string>(schema.required ?? []);
  return (
    <ul class="schema">
      {Object.entries(properties ?? {}).map(([name, child]) => <Row key={name} name={name} required={required.has(name)} schema={child} doc={doc} depth={depth} />)}
      {extra && typeof extra === 'object' && <Row name="{any name}" required={false} schema={extra} doc={doc} depth={depth} />}
    </ul>
  );
}

/** A schema: its type line, then its structure. */
export function SchemaView({ schema, doc }: { schema: Schema | undefined; doc: Document }) {
  const resolved = resolve(doc, schema);
  if (!resolved) return <p class="muted">Any value.</p>;
  return (
    <div class="schema-view">
      <p class="schema-top"><span class="schema-type">{typeLabel(doc, schema)}</span>
        {resolved.description && <span class="schema-desc"> — <Inline text={resolved.description} /></span>}</p>
      <Children schema={resolved} doc={doc} depth={0} />
    </div>
  );
}
