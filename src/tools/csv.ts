/**
 * CSV lines as RFC 4180 writes them: a field with a comma, a quote, a CR or an LF is quoted,
 * its quotes doubled; lines end in CRLF. A field that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a CR) gets a leading apostrophe, so opening an export
 * never executes what someone typed into a logged value.
 *
 * @example csvLine(['a,b', 'say "hi"', 1, null]) // '"a,b","say ""hi""",1,\r\n'
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

/** One field: null and undefined are empty. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line, CRLF included. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
