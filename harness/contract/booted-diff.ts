/**
 * `booted-diff.json`: what changed in the booted tree during the phase, by a
 * content hash of every file taken before the script and after it (paths
 * relative to the booted root, with a leading `/`).
 */
import { contractFile, objectSchema } from './check-json.js';
import * as validators from './validators.generated.js';

export interface BootedDiff {
  readonly added: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
}

const paths = { type: 'array', items: { type: 'string', pattern: '^/' } } as const;

export const BOOTED_DIFF_SCHEMA = objectSchema<BootedDiff>()({
  description: 'booted-diff.json: paths of the booted tree added, modified and deleted during the phase',
  properties: { added: paths, modified: paths, deleted: paths },
  required: ['added', 'modified', 'deleted'],
});

const BOOTED_DIFF_FILE = contractFile<BootedDiff>(validators.bootedDiff, 'booted-diff.json');

/** booted-diff.json's text checked against the contract. */
export const parseBootedDiff = BOOTED_DIFF_FILE.parse;

/** booted-diff.json checked; `undefined` when there is none. */
export const readBootedDiff = BOOTED_DIFF_FILE.read;
