/**
 * Suggests the closest known name for a misspelt one, so a problem can say
 * "did you mean `severity`?" instead of only "unknown key".
 */

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The candidate nearest to `input`, if it is near enough to be a likely typo:
 * at most a third of the input's length away (at least 2 edits allowed),
 * and not a rewrite of every character.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const other = candidate.toLowerCase();
    // Ties go to the longer shared prefix: `neq` is nearer `ne` than `eq`.
    const distance = (other === lower ? 0.5 : editDistance(lower, other)) - sharedPrefix(lower, other) / 1000;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A suggestion that rewrites the whole input (`x` -> `r`) is a guess, not a typo fix.
  return bestDistance <= limit && bestDistance < input.length ? best : undefined;
}

/** `; did you mean `x`?` or nothing. */
export function suggestion(input: string, candidates: Iterable<string>): string {
  const near = didYouMean(input, candidates);
  return near === undefined ? '' : `; did you mean \`${near}\`?`;
}
