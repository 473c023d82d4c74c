/**
 * The exit codes of `analyze`, `run` and `corpus`, which the verdict decides
 * and the CLI returns: shared here so neither the report stage nor the use
 * cases import the CLI.
 */
export const EXIT = {
  safe: 0,
  unsafe: 1,
  usage: 2,
  indeterminate: 3,
} as const;

/**
 * The exit code of several runs (a batch, `drdsafe report DIR...`): the
 * worst of theirs, by number, so indeterminate or a harness failure (3)
 * outweighs a usage error of one target (2), which outweighs unsafe (1),
 * which outweighs safe (0). No runs at all is a usage error: nothing was
 * proven safe.
 */
export function worstExitCode(codes: Iterable<number>): number {
  let worst: number | undefined;
  for (const code of codes) worst = worst === undefined ? code : Math.max(worst, code);
  return worst ?? EXIT.usage;
}
