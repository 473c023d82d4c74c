/**
 * The targets of `drdsafe run A B C...`: paths as given, globs (quoted, so
 * drdsafe expands them: `'pkgs/*.psf'`), and directories of packages or
 * scripts (each entry a target; a directory that is itself a depot or a
 * folder of control scripts is one package). Each target is a control
 * script or a package (sd/detect-input.ts) with a run directory name of its
 * own under the batch's folder. Nothing runs before every target is found.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UserError } from '../errors.js';
import { displayPath } from '../display-path.js';
import { detectInput } from '../sd/detect-input.js';
import type { InputKind } from '../sd/package.js';

export interface BatchTarget {
  /** As shown: relative to the working directory when below it. */
  readonly name: string;
  readonly path: string;
  readonly kind: InputKind;
  /** The run directory's name under the batch's folder (unique). */
  readonly dirName: string;
}

/** Whether `drdsafe run` with these arguments is a batch: several targets, a glob, or a folder of packages. */
export async function isBatchRun(positionals: readonly string[], cwd: string, batchFlags: boolean): Promise<boolean> {
  if (batchFlags) return true;
  if (positionals.some((p) => isDynamicPattern(p))) return true;
  const kinds = await Promise.all(
    positionals.map((p) =>
      detectInput(path.resolve(cwd, p)).then(
        (d) => d.kind,
        () => undefined,
      ),
    ),
  );
  // `run <package> SELECTION...`: the selections are not paths.
  if (positionals.length > 1) return kinds.every((k) => k !== undefined);
  if (kinds[0] !== undefined) return false;
  const info = await stat(path.resolve(cwd, positionals[0]!)).catch(() => undefined);
  return info?.isDirectory() === true;
}

async function entriesOf(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  return names.map((n) => path.join(dir, n));
}

/** Every target, in the order given (a glob's or a folder's in name order), each once. */
export async function expandTargets(positionals: readonly string[], cwd: string): Promise<BatchTarget[]> {
  const files: string[] = [];
  for (const given of positionals) {
    if (isDynamicPattern(given)) {
      const found = (await glob(given, { cwd, absolute: true, onlyFiles: false, dot: false })).sort();
      if (found.length === 0)
        throw new UserError('INPUT_NOT_FOUND', `no file matches ${given}`, { hint: 'check the pattern; quote it so drdsafe, not the shell, expands it' });
      files.push(...found);
      continue;
    }
    const full = path.resolve(cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (info === undefined)
      throw new UserError('INPUT_NOT_FOUND', `no such file or directory: ${given}`, { hint: 'give control scripts, packages, globs or folders of them' });
    const whole = info.isDirectory()
      ? await detectInput(full).then(
          () => true,
          () => false,
        )
      : true;
    files.push(...(whole ? [full] : await entriesOf(full)));
  }
  const unique = [...new Set(files)];
  // Named by their paths below the folder all share: `s01-kill/script`, not `script`, `script-2`.
  const common = unique.length === 1 ? path.dirname(unique[0]!) : unique.map(path.dirname).reduce(commonDir);
  const used = new Set<string>();
  const targets: BatchTarget[] = [];
  for (const file of unique) {
    const detected = await detectInput(file).catch((error: unknown) => {
      throw new UserError('INPUT_INVALID', `${displayPath(cwd, file)} is not a control script or a package: ${(error as Error).message}`, {
        cause: error,
        hint: 'leave it out of the batch, or fix it',
      });
    });
    const base = path.relative(common, file).replace(/[^A-Za-z0-9._-]+/g, '_') || 'target';
    let dirName = base;
    for (let n = 2; used.has(dirName); n++) dirName = `${base}-${n}`;
    used.add(dirName);
    targets.push({ name: displayPath(cwd, file), path: file, kind: detected.kind, dirName });
  }
  if (targets.length === 0)
    throw new UserError('INPUT_NOT_FOUND', `no targets in ${positionals.join(' ')}`, { hint: 'give control scripts, packages, globs or folders of them' });
  return targets;
}

function commonDir(a: string, b: string): string {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(path.sep) || path.sep;
}
