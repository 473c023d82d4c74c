/**
 * Which kind of package input a path is, from what is there (not from its
 * name alone): a directory with `catalog/INDEX` is a directory depot, one
 * with files named after control scripts is a script folder; a tar (or cpio)
 * archive is a tape depot; a file starting `#!` is a control script; a file
 * ending `.psf`, or whose first definition line opens a PSF object, is a PSF;
 * any other file is taken as a control script.
 */
import { lstat, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { CONTROL_SCRIPT_TAGS, isControlScriptTag } from './control-tags.js';
import type { InputKind } from './package.js';
import { looksLikeArchive } from './tape-depot.js';

export interface DetectedInput {
  readonly kind: InputKind;
  readonly path: string;
  /** Why this kind, for messages (`catalog/INDEX present`). */
  readonly reason: string;
}

/** First keywords that open a PSF (swpackage(4) "PRODUCT SPECIFICATION FILE SYNTAX"). */
const PSF_OPENERS = new Set(['depot', 'distribution', 'vendor', 'category', 'bundle', 'product']);

export async function detectInput(input: string): Promise<DetectedInput> {
  let st;
  try {
    st = await stat(input);
  } catch (error) {
    throw new UserError('INPUT_NOT_FOUND', `no such file or directory: ${input}`, {
      cause: error,
      hint: 'give a control script, a folder of scripts, a PSF or a depot',
    });
  }
  if (st.isDirectory()) {
    if (await isFile(path.join(input, 'catalog', 'INDEX'))) return { kind: 'depot-dir', path: input, reason: 'catalog/INDEX present' };
    const names = await readdir(input);
    const tags = names.filter(isControlScriptTag);
    if (tags.length > 0) return { kind: 'script-dir', path: input, reason: `control scripts ${tags.join(', ')}` };
    throw new UserError(
      'INPUT_INVALID',
      `${input} is neither a depot (no catalog/INDEX) nor a folder of control scripts (no file named ${CONTROL_SCRIPT_TAGS.join(', ')})`,
      {
        hint: 'point at a depot, a PSF, a control script or a folder of scripts',
      },
    );
  }
  if (!st.isFile()) throw new UserError('INPUT_INVALID', `${input} is not a regular file or directory`);
  const archive = await looksLikeArchive(input);
  if (archive !== undefined) return { kind: 'depot-tape', path: input, reason: `${archive} archive` };
  const head = await firstBytes(input, 4096);
  if (head.startsWith('#!')) return { kind: 'script', path: input, reason: 'starts with #!' };
  if (input.toLowerCase().endsWith('.psf')) return { kind: 'psf', path: input, reason: '.psf file' };
  const first = firstDefinitionKeyword(head);
  if (first !== undefined && PSF_OPENERS.has(first)) return { kind: 'psf', path: input, reason: `first definition is \`${first}\`` };
  return { kind: 'script', path: input, reason: 'a file that is not a PSF or an archive' };
}

function firstDefinitionKeyword(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    return t.split(/[\s#]/)[0];
  }
  return undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isFile();
  } catch {
    return false;
  }
}

async function firstBytes(file: string, n: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}
