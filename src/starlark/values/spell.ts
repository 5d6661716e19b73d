/** Spelling suggestions for misspelled attribute and keyword names. */

/** The closest candidate by edit distance (case-insensitive), if close enough to be a likely typo. */
export function spellingHint(name: string, candidates: string[]): string | null {
  let best: string | null = null;
  // Fewer edits than about half the name's length (as starlark-go): "thirty" is not a typo of "three".
  let bestDist = Math.floor((name.length + 1) / 2);
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase().replaceAll('_', ''), c.toLowerCase().replaceAll('_', ''));
    if (d < bestDist || (d === 0 && best === null)) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
