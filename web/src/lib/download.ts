/**
 * Exports of a result: CSV (RFC 4180, a header row; NULL as an empty field, BLOBs as
 * base64, big integers in full) and JSON (one object per row with the API's lossless
 * value forms), saved through a download link.
 */
import { csvText, type SqlValue } from './values.ts';

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** @example toCsv(['a'], [[1], [null]]) // 'a\r\n1\r\n\r\n' */
export function toCsv(columns: string[], rows: SqlValue[][]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map((value) => csvField(csvText(value))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as objects; a repeated column name gets a suffix (`id_2`) so no value is dropped. */
export function toJson(columns: string[], rows: SqlValue[][]): string {
  const seen = new Map<string, number>();
  const keys = columns.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
  return `${JSON.stringify(rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]]))), null, 2)}\n`;
}

/** Saves `text` as a file named `name`. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
