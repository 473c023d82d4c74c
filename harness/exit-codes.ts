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
