/**
 * A corpus is a folder of cases; a case is a folder with `script` and
 * `expect.yaml` (phase, verdict, and the rules of which at least one must
 * fire), or a package folder whose `expect.yaml` lists SD sessions
 * (package-cases.ts).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { PHASES } from '../contract/run-metadata.js';
import type { Phase } from '../contract/run-metadata.js';
import type { Verdict } from '../report/report.js';
import { isSessionExpectation } from './package-cases.js';

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly script: string;
  readonly phase: Phase;
  readonly verdict: Verdict;
  /** At least one finding of one of these rules is expected (empty: none required). */
  readonly rules: readonly string[];
  /** Shared file systems for the run (jail paths). Default: none. */
  readonly shared: readonly string[];
  /** Phase timeout. Default: the run's default. */
  readonly timeoutSeconds?: number;
}

const VERDICTS: readonly Verdict[] = ['safe', 'unsafe', 'indeterminate'];

export async function loadCase(dir: string): Promise<CorpusCase> {
  const expectPath = path.join(dir, 'expect.yaml');
  const text = await readFile(expectPath, 'utf8').catch((error: unknown) => {
    throw new UserError('INPUT_NOT_FOUND', `no expect.yaml in ${dir}`, { cause: error, hint: 'a corpus case is a folder with `script` and `expect.yaml`' });
  });
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UserError('INPUT_INVALID', `${expectPath}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as Record<string, unknown> | null;
  const problems: string[] = [];
  const phase = data?.phase;
  if (typeof phase !== 'string' || !(PHASES as readonly string[]).includes(phase)) {
    problems.push(`Expected \`phase\` to be one of ${PHASES.join(', ')}, got \`${String(phase)}\``);
  }
  const verdict = data?.verdict;
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) {
    problems.push(`Expected \`verdict\` to be one of ${VERDICTS.join(', ')}, got \`${String(verdict)}\``);
  }
  const rules = data?.rules ?? [];
  if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'string')) problems.push('Expected `rules` to be a list of rule ids');
  const shared = data?.shared ?? [];
  if (!Array.isArray(shared) || shared.some((p) => typeof p !== 'string' || !p.startsWith('/'))) {
    problems.push('Expected `shared` to be a list of absolute paths');
  }
  const timeout = data?.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    problems.push(`Expected \`timeout\` to be a positive number of seconds, got \`${String(timeout)}\``);
  }
  if (problems.length > 0) throw new UserError('INPUT_INVALID', `${expectPath}: ${problems.join('; ')}`);
  const script = path.join(dir, 'script');
  if (!(await stat(script).catch(() => undefined))?.isFile()) {
    throw new UserError('INPUT_NOT_FOUND', `no script in ${dir}`, { hint: 'a corpus case is a folder with `script` and `expect.yaml`' });
  }
  return {
    name: path.basename(dir),
    dir,
    script,
    phase: phase as Phase,
    verdict: verdict as Verdict,
    rules: rules as string[],
    shared: shared as string[],
    ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}),
  };
}

/** What a corpus folder holds: script cases, and package folders whose expect.yaml lists sessions (package-cases.ts). */
export interface Corpus {
  readonly cases: readonly CorpusCase[];
  readonly packages: readonly string[];
}

/** A case folder, or a folder of case folders (sorted by name). */
export async function loadCorpus(dir: string): Promise<CorpusCase[]> {
  const corpus = await readCorpus(dir);
  if (corpus.cases.length === 0 && corpus.packages.length === 0) throw new UserError('INPUT_INVALID', `no cases in ${dir}`, { hint: 'each case is a folder with `script` and `expect.yaml`' });
  return [...corpus.cases];
}

/** The script cases and package folders of a corpus folder (or of one case folder). */
export async function readCorpus(dir: string): Promise<Corpus> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError('INPUT_NOT_FOUND', `no such corpus folder: ${dir}`);
  const kind = async (d: string): Promise<'script' | 'package' | undefined> => {
    const text = await readFile(path.join(d, 'expect.yaml'), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : isSessionExpectation(text) ? 'package' : 'script';
  };
  const own = await kind(dir);
  if (own === 'script') return { cases: [await loadCase(dir)], packages: [] };
  if (own === 'package') return { cases: [], packages: [dir] };
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const cases: CorpusCase[] = [];
  const packages: string[] = [];
  for (const name of entries) {
    const k = await kind(path.join(dir, name));
    if (k === 'script') cases.push(await loadCase(path.join(dir, name)));
    else if (k === 'package') packages.push(path.join(dir, name));
  }
  if (cases.length === 0 && packages.length === 0) throw new UserError('INPUT_INVALID', `no cases in ${dir}`, { hint: 'each case is a folder with `script` and `expect.yaml`' });
  return { cases, packages };
}
