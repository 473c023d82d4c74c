/**
 * Packages made from bare scripts: one control script run as `--phase`
 * (what `drdsafe run` has always taken), or a folder whose files are named
 * after SD control scripts, with an optional `payload/` folder laid out as
 * the target's root (`payload/opt/acme/bin/acmed` installs
 * `/opt/acme/bin/acmed`). Other files in the folder are control files too
 * (subscripts a script sources from `$SW_CONTROL_DIRECTORY`), as a PSF's
 * `control_file` would store them.
 *
 * Such inputs cannot carry attributes, so the one fileset is marked
 * `is_drd_safe true` and says so in `assumed`: drdsafe judges what the
 * scripts do if SD runs them, and under `drd runcmd` SD runs them only when
 * the packager claims that.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { AttributeBag } from './attribute-bag.js';
import { CONTROL_SCRIPT_TAGS, isControlScriptTag } from './control-tags.js';
import type { ControlScript, Package } from './package.js';
import { FilesetPayloadBuilder } from './psf-payload.js';
import { ProblemList } from './sd-input-error.js';
import { buildFileset, buildProduct } from './software-objects.js';

/** The folder of a script folder that holds the files to install. */
export const PAYLOAD_DIR = 'payload';

export interface ScriptInputOptions {
  /** Product tag. Default: `DRDSAFE-TEST`. */
  readonly product?: string;
  /** Fileset tag. Default: `payload`. */
  readonly fileset?: string;
  /** Product revision. Default: `1.0`. */
  readonly revision?: string;
}

/** One control script, run as `phase`. */
export async function readControlScript(file: string, phase: string, options: ScriptInputOptions = {}): Promise<Package> {
  if (!isControlScriptTag(phase)) {
    throw new UserError('USAGE', `unknown control script tag \`${phase}\``, { hint: `use one of: ${CONTROL_SCRIPT_TAGS.join(', ')}` });
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new UserError('INPUT_NOT_FOUND', `cannot read control script ${file}`, { cause: error, hint: 'check the path' });
  }
  const script: ControlScript = { tag: phase, path: phase, content, origin: path.resolve(file), source: { file } };
  return single('script', file, [script], [], new ProblemList(), options);
}

/** A folder of control scripts (and `payload/`). */
export async function readScriptDirectory(dir: string, options: ScriptInputOptions = {}): Promise<Package> {
  const problems = new ProblemList();
  const scripts: ControlScript[] = [];
  let hasPayload = false;
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new UserError('INPUT_NOT_FOUND', `cannot read the script folder ${dir}`, { cause: error, hint: 'check the path' });
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const st = await lstat(full);
    const shown = path.join(dir, name);
    if (st.isDirectory()) {
      if (name === PAYLOAD_DIR) hasPayload = true;
      else
        problems.add(
          shown,
          undefined,
          undefined,
          `unexpected folder: a script folder holds control scripts and \`${PAYLOAD_DIR}/\` (the files to install, laid out from /)`,
        );
      continue;
    }
    let content: Buffer;
    try {
      content = await readFile(full);
    } catch {
      problems.add(shown, undefined, undefined, 'cannot read (a dangling link?)');
      continue;
    }
    scripts.push({ tag: name, path: name, content, origin: path.resolve(full), source: { file: shown } });
  }
  if (!scripts.some((s) => isControlScriptTag(s.tag))) {
    problems.add(dir, undefined, undefined, `no control script: name files after their tags (${CONTROL_SCRIPT_TAGS.join(', ')})`);
  }
  const builder = new FilesetPayloadBuilder(path.resolve(dir), problems, '/');
  if (hasPayload) {
    // Read as a PSF would read `directory payload=/` and `file *`, so modes and links come out alike.
    const at = { line: 0, col: 0 };
    await builder.line({ keyword: 'directory', ...at, value: `${PAYLOAD_DIR}=/`, quoted: false, tokens: [{ text: `${PAYLOAD_DIR}=/`, ...at }] }, dir);
    await builder.line({ keyword: 'file', ...at, value: '*', quoted: false, tokens: [{ text: '*', ...at }] }, dir);
  }
  const payload = builder.entriesInOrder().map((e) => ({ ...e, source: { file: path.join(dir, PAYLOAD_DIR, e.path) } }));
  return single('script-dir', dir, scripts, payload, problems, options);
}

function single(
  kind: 'script' | 'script-dir',
  input: string,
  scripts: ControlScript[],
  payload: Package['products'][number]['filesets'][number]['payload'],
  problems: ProblemList,
  options: ScriptInputOptions,
): Package {
  const at = { file: input };
  const value = (text: string) => ({ value: text, tokens: [{ text, line: 0, col: 0 }], line: 0, col: 0 });
  const productBag = new AttributeBag(input, at);
  productBag.add('tag', value(options.product ?? 'DRDSAFE-TEST'));
  productBag.add('revision', value(options.revision ?? '1.0'));
  const filesetBag = new AttributeBag(input, at);
  filesetBag.add('tag', value(options.fileset ?? 'payload'));
  filesetBag.add('is_drd_safe', value('true'));
  const fileset = buildFileset(filesetBag, { scripts, payload, assumed: ['is_drd_safe'] }, problems);
  const product = buildProduct(productBag, [], [fileset], problems);
  problems.throwIfAny(input);
  return { kind, path: input, distribution: { attributes: new Map() }, vendors: [], products: [product], warnings: problems.warnings };
}
