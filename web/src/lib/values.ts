/**
 * SQLite values as the SQL API sends them (docs/api.md, "Values in JSON"): plain JSON where
 * that is lossless, and tagged objects where it is not — `{"$int": "…"}` for integers past
 * ±(2^53−1), `{"$blob": "<base64>"}` for BLOBs, `{"$real": "Infinity"}`. The grid shows
 * each in a form that loses nothing; exports keep the tagged forms (JSON) or their text (CSV).
 */
export type SqlValue = null | number | string | boolean | { $int: string } | { $blob: string } | { $real: string };

export type ValueKind = 'null' | 'integer' | 'real' | 'text' | 'blob';

/** The SQLite storage class a value arrived as. A REAL with no fraction (2.0) reads as integer: JSON cannot tell. */
export function kindOf(value: SqlValue): ValueKind {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  if (typeof value === 'boolean') return 'integer';
  if (typeof value === 'string') return 'text';
  if ('$int' in value) return 'integer';
  if ('$real' in value) return 'real';
  return 'blob';
}

/** Bytes of a base64 string without decoding it. */
export function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

function hexPrefix(b64: string, bytes: number): string {
  const raw = atob(b64.slice(0, Math.ceil(bytes / 3) * 4));
  let hex = '';
  for (let i = 0; i < Math.min(bytes, raw.length); i++) hex += raw.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

/** How a cell shows a value: its text, and a longer description for the tooltip. */
export function display(value: SqlValue): { text: string; title?: string } {
  if (value === null) return { text: 'NULL' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  if ('$int' in value) return { text: value.$int, title: 'integer beyond ±2^53, sent as text so no digit is lost' };
  if ('$real' in value) return { text: value.$real };
  const size = base64Bytes(value.$blob);
  const shown = 16;
  return { text: `x'${hexPrefix(value.$blob, shown)}${size > shown ? '…' : ''}'`, title: `BLOB, ${size} bytes (base64: ${value.$blob.slice(0, 200)}${value.$blob.length > 200 ? '…' : ''})` };
}

/** A value as one CSV field's text: NULL empty, BLOB base64, big integers in full. */
export function csvText(value: SqlValue): string {
  if (value === null) return '';
  if (typeof value !== 'object') return String(value);
  if ('$int' in value) return value.$int;
  if ('$real' in value) return value.$real;
  return value.$blob;
}

/** The storage classes seen in each column: "integer", "text | null", … */
export function columnKinds(columnCount: number, rows: SqlValue[][]): string[] {
  const seen = Array.from({ length: columnCount }, () => new Set<ValueKind>());
  for (const row of rows) for (let i = 0; i < columnCount; i++) seen[i].add(kindOf(row[i]));
  const order: ValueKind[] = ['integer', 'real', 'text', 'blob', 'null'];
  return seen.map((kinds) => {
    if (kinds.size === 0) return '';
    // integer + real is a numeric column that happened to hold whole numbers too.
    if (kinds.has('integer') && kinds.has('real')) kinds.delete('integer');
    return order.filter((k) => kinds.has(k)).join(' | ');
  });
}
