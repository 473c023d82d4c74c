/**
 * Lists whose items live in a file of their own (`lists: {name: {file:
 * PATH}}`, PATH relative to the policy file): a list kept by someone else,
 * such as the HP-UX command paths the sandbox's image records, is named once
 * and read whole, instead of copied into the policy. A text file holds one
 * item a line (blank lines and `#` comments left out); a `.yaml`, `.yml` or
 * `.json` file holds a sequence of strings or numbers. The items replace the
 * reference, so the policy hash covers them, not the path.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { PolicyProblem } from '../errors.js';
import { problemAt } from './merge-layers.js';
import type { PolicyLayer } from './normalize-layer.js';
import type { PolicyList } from './policy.js';

/** The items of a list file's text; a string saying what is wrong with it otherwise. */
export function listFileItems(text: string, file: string): string[] | string {
  if (/\.(?:ya?ml|json)$/i.test(file)) {
    let value: unknown;
    try {
      value = parse(text);
    } catch (error) {
      return `not valid YAML or JSON: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) return 'expected a sequence of strings or numbers';
    return value.map(String);
  }
  return text
    .split('\n')
    .map((line) => line.replace(/(?:^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

async function read(list: PolicyList, policyFile: string, problems: PolicyProblem[]): Promise<PolicyList> {
  if (list.file === undefined) return list;
  const path = resolve(dirname(policyFile), list.file);
  const { file: _file, ...rest } = list;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push(problemAt(list.at, `Cannot read the items of list \`${list.name}\` from \`${list.file}\`${missing ? ': no such file' : ''}`));
    return { ...rest, items: [] };
  }
  const items = listFileItems(text, list.file);
  if (typeof items === 'string') {
    problems.push(problemAt(list.at, `The items of list \`${list.name}\` in \`${list.file}\`: ${items}`));
    return { ...rest, items: [] };
  }
  return { ...rest, items };
}

/** `layer` with every list file read (relative to `policyFile`, its absolute path); problems name the list. */
export async function readListFiles(layer: PolicyLayer, policyFile: string, problems: PolicyProblem[]): Promise<PolicyLayer> {
  if (![...layer.lists, ...layer.appendLists].some((l) => l.file !== undefined)) return layer;
  return {
    ...layer,
    lists: await Promise.all(layer.lists.map((l) => read(l, policyFile, problems))),
    appendLists: await Promise.all(layer.appendLists.map((l) => read(l, policyFile, problems))),
  };
}
