/**
 * `--explore N`, `--compare` and `--no-compare` read the same way for a
 * single run and for every script of a batch: exploration on by default
 * (DEFAULT_EXPLORE variants, the comparison run with it), off for an
 * interactive run.
 */
import { DEFAULT_EXPLORE } from '../app/run-script.js';
import { UserError } from '../errors.js';

export interface ExploreValues {
  readonly explore?: string | undefined;
  readonly compare?: boolean | undefined;
  readonly 'no-compare'?: boolean | undefined;
  readonly interactive?: boolean | undefined;
}

/** `compare` only when a flag says so: runScript's default is the comparison run whenever it explores. */
export function exploreOptions(values: ExploreValues): { readonly explore: number; readonly compare?: boolean } {
  if (values.compare && values['no-compare']) throw new UserError('USAGE', '--compare and --no-compare contradict each other', { hint: 'give one of them' });
  if (values.explore !== undefined && !/^\d+$/.test(values.explore)) {
    throw new UserError('USAGE', `Expected \`--explore\` to be a whole number of variants, got \`${values.explore}\``, {
      hint: 'use --explore 0 to turn exploration off',
    });
  }
  const explore = values.explore === undefined ? (values.interactive ? 0 : DEFAULT_EXPLORE) : Number(values.explore);
  const compare = values['no-compare'] ? false : values.compare ? true : undefined;
  return { explore, ...(compare !== undefined ? { compare } : {}) };
}
