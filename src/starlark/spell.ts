/**
 * "Did you mean" suggestions, for undefined names (resolver, compiler) and for misspelled
 * attributes and keyword arguments (runtime): the nearest candidate by edit distance,
 * ignoring case and underscores, with fewer edits than half the name's length (as
 * starlark-go: "thirty" is not a typo of "three").
 */

/**
 * @example nearest("hollo", ["hello", "world"]); // "hello"
 */
export function nearest(name: string, candidates: Iterable<string>): string | null {
  const fold = (s: string) => s.replace(/_/g, "").toLowerCase();
  const x = fold(name);
  let best: string | null = null;
  let bestD = Math.floor((x.length + 1) / 2);
  for (const c of candidates) {
    const d = levenshtein(x, fold(c));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(prev + (a[i - 1] === b[j - 1] ? 0 : 1), row[j - 1]! + 1, cur + 1);
      prev = cur;
    }
  }
  return row[b.length]!;
}
