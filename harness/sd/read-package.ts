/**
 * One entry point for every package input: detect what the path is, then
 * read it with the matching reader. Nothing runs on a bad input: every
 * reader throws `SdInputError` (exit 2) listing all its problems first.
 */
import { UserError } from '../errors.js';
import { detectInput } from './detect-input.js';
import { readDirectoryDepot } from './directory-depot.js';
import type { InputKind, Package } from './package.js';
import { readPsf } from './psf-reader.js';
import { readControlScript, readScriptDirectory, type ScriptInputOptions } from './script-inputs.js';
import { readTapeDepot } from './tape-depot.js';

export interface ReadPackageOptions extends ScriptInputOptions {
  /** The control script tag of a single script (`--phase`); required for that input only. */
  readonly phase?: string;
  /** Read the path as this kind instead of detecting it. Default: detected. */
  readonly kind?: InputKind;
}

export async function readPackage(input: string, options: ReadPackageOptions = {}): Promise<Package> {
  const kind = options.kind ?? (await detectInput(input)).kind;
  switch (kind) {
    case 'script':
      if (options.phase === undefined) {
        throw new UserError('USAGE', `${input} is a single control script: say which one it is with --phase`, { hint: 'e.g. --phase preinstall' });
      }
      return readControlScript(input, options.phase, options);
    case 'script-dir':
      return readScriptDirectory(input, options);
    case 'psf':
      return readPsf(input);
    case 'depot-dir':
      return readDirectoryDepot(input);
    case 'depot-tape':
      return readTapeDepot(input);
  }
}
