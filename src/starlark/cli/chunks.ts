/**
 * The "chunked file" test format of starlark-go's test suites: chunks
 * separated by `---` lines, each line holding `### "regex"` (or a
 * backquoted regex) expecting an error reported at that line.
 */

export interface Chunk {
  /** Chunk text padded with newlines so line numbers match the whole file. */
  readonly source: string;
  /** Expected error pattern per 1-based line. */
  readonly want: Map<number, RegExp>;
  /** Malformed `###` expectations, reported as failures. */
  readonly bad: string[];
}

/**
 * Splits a chunked file.
 *
 * @example readChunks('x = 1 // 0 ### "division by zero"\n---\ny = 2\n').length; // 2
 */
export function readChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let line = 1;
  for (const part of text.split("\n---\n")) {
    const want = new Map<number, RegExp>();
    const bad: string[] = [];
    const source = "\n".repeat(line - 1) + part;
    for (const l of part.split("\n")) {
      const k = l.indexOf("###");
      if (k >= 0) {
        const rest = l.slice(k + 3).trim();
        const rx = parsePattern(rest);
        if (rx !== null) want.set(line, rx);
        else if (rest !== "" && !/^#*$/.test(rest)) bad.push(`line ${line}: not a quoted regexp: ${rest}`);
      }
      line++;
    }
    line++; // the "---" separator
    chunks.push({ source, want, bad });
  }
  return chunks;
}

/** Parses a Go string literal ("..." or `...`) holding an RE2 pattern; null if not quoted. */
function parsePattern(quoted: string): RegExp | null {
  let body: string;
  if (quoted.length >= 2 && quoted.startsWith("`") && quoted.endsWith("`")) {
    body = quoted.slice(1, -1);
  } else if (quoted.length >= 2 && quoted.startsWith('"') && quoted.endsWith('"')) {
    try {
      body = JSON.parse(quoted) as string;
    } catch {
      return null;
    }
  } else {
    return null;
  }
  return toRegExp(body);
}

/** Converts an RE2 pattern to a JS RegExp (only the (?i) prefix needs translating here). */
export function toRegExp(pattern: string): RegExp {
  if (pattern.startsWith("(?i)")) return new RegExp(pattern.slice(4), "i");
  return new RegExp(pattern);
}
