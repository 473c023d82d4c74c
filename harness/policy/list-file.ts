/**
 * Lists whose items live in a file of their own (`lists: {name: {file:
 * PATH}}`, PATH relative to the policy file): a list kept by someone else,
 * such as the HP-UX command paths the sandbox's image records, is named once
 * and read whole, instead of copied into the policy. A text file holds one
 * item a line (blank lines and `#` comments left out); a `.yaml`, `.yml` or
 * `.json` file holds a sequence of strings or numbers, or, with `select:
 * KEYS`, any document the dotted keys lead through to such items
 * (`commands.path` takes the `path` of every entry of `commands`, as in
 * images/hpux-commands.yaml). The items replace the reference, so the
 * policy hash covers them, not the path.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { PolicyProblem } from '../errors.js';
import { problemAt } from './merge-layers.js';
import type { PolicyLayer } from './normalize-layer.js';
import type { PolicyList } from './policy.js';

/** The items of a list file's text; a string saying what is wrong with it otherwise. */
export function listFileItems(text: string, file: string, select?: string): string[] | string {
  if (/\.(?:ya?ml|json)$/i.test(file)) {
    let value: unknown;
    try {
      value = parse(text);
    } catch (error) {
      return `not valid YAML or JSON: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    }
    if (select !== undefined) {
      const picked = selectItems(value, select.split('.'));
      if (typeof picked === 'string') return picked;
      value = picked;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      return select === undefined ? 'expected a sequence of strings or numbers' : `expected \`${select}\` to lead to strings or numbers`;
    }
    return value.map(String);
  }
  if (select !== undefined) return '`select` needs a YAML or JSON file';
  return text
    .split('\n')
    .map((line) => line.replace(/(?:^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** What `keys` lead to in `value`, sequences walked item by item; a string naming the first key missing. */
function selectItems(value: unknown, keys: readonly string[]): unknown[] | string {
  let current: unknown[] = [value];
  for (const key of keys) {
    const next: unknown[] = [];
    for (const v of current.flatMap((c) => (Array.isArray(c) ? c : [c]))) {
      if (typeof v !== 'object' || v === null || !(key in v)) return `no \`${key}\` in every item on the way to \`${keys.join('.')}\``;
      next.push((v as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current.flatMap((c) => (Array.isArray(c) ? c : [c]));
}

async function read(list: PolicyList, policyFile: string, problems: PolicyProblem[]): Promise<PolicyList> {
  if (list.file === undefined) return list;
  const path = resolve(dirname(policyFile), list.file);
  const { file: _file, select, ...rest } = list;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push(problemAt(list.at, `Cannot read the items of list \`${list.name}\` from \`${list.file}\`${missing ? ': no such file' : ''}`));
    return { ...rest, items: [] };
  }
  const items = listFileItems(text, list.file, select);
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
