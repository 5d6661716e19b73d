/**
 * What commands print: results on standard output — a table on a terminal, JSON when piped
 * (so scripts get exact values: big integers and BLOBs keep their lossless `{"$int"}` and
 * `{"$blob"}` forms) — and notes, plans' progress and errors on standard error.
 *
 * @example printRows(['id', 'title'], [[1, 'Hello']], { json: false })
 */

/** JSON when piped or asked for; a table on a terminal (or when asked for). */
export function wantsJson(flags: { json?: boolean; table?: boolean }): boolean {
  if (flags.json) return true;
  if (flags.table) return false;
  return !process.stdout.isTTY;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, process.stdout.isTTY ? 2 : 0)}\n`);
}

/** A note for the person, not for a pipe. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** One SQL or JSON value as a table cell. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') {
    const tagged = value as { $int?: string; $real?: string; $blob?: string };
    if (tagged.$int !== undefined) return tagged.$int;
    if (tagged.$real !== undefined) return tagged.$real;
    if (tagged.$blob !== undefined) return `<blob ${Math.floor((tagged.$blob.length * 3) / 4)} bytes>`;
    return JSON.stringify(value);
  }
  return String(value).replace(/\r?\n/g, '⏎');
}

const MAX_WIDTH = 60;

function fit(text: string): string {
  return text.length > MAX_WIDTH ? `${text.slice(0, MAX_WIDTH - 1)}…` : text;
}

/** Columns padded to their widest cell, with a rule under the header. */
export function table(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map((v) => fit(cell(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Rows of objects (an API list) as a table of the given keys. */
export function objectTable(keys: string[], items: Array<Record<string, unknown>>): string {
  return table(keys, items.map((item) => keys.map((k) => item[k])));
}
