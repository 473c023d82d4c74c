/**
 * A corpus is a folder of cases; a case is a folder with `script` and
 * `expect.yaml` (expect-schema.ts: phase, verdict, and the rules that must
 * fire: `any-of` or `exactly`; the lines the DRD-guard proof must show
 * guarded, and `explore`/`compare` to change how the case is explored), or a package folder whose `expect.yaml` lists
 * SD sessions (package-cases.ts). One reader for the bundled examples, the
 * golden runs and `drdsafe corpus`; a bad expect.yaml is refused with every
 * problem at its line and column.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileProblemsError, UserError, type FileProblem } from '../errors.js';
import type { Phase } from '../contract/run-metadata.js';
import type { Verdict } from '../report/report.js';
import { isPlainObject } from '../schema/schema-messages.js';
import { readYamlDocument } from '../schema/yaml-document.js';
import { DEPRECATED_KEYS } from './expect-schema.js';
import { expectFile } from './validators.generated.js';
import { isSessionExpectation } from './package-cases.js';

/** What an expect.yaml says, with the old key names read as the new ones. */
export interface Expectation {
  readonly phase: Phase;
  readonly verdict: Verdict;
  /** At least one finding of one of these rules is expected (empty: none required). */
  readonly anyOf: readonly string[];
  /** Exactly these rules fire, when given. */
  readonly exactly?: readonly string[];
  /** Shared file systems for the run (jail paths). Default: none. */
  readonly shared: readonly string[];
  /** Phase timeout. Default: the run's default. */
  readonly timeoutSeconds?: number;
  /** Branch exploration's bound on variants (`explore: 0` turns it off). Default: `drdsafe run`'s (4). */
  readonly explore?: number;
  /** The comparison run outside DRD. Default: on when exploring. */
  readonly compare?: boolean;
  /** Script lines the DRD-guard proof must show guarded (they ran only outside DRD). Default: none required. */
  readonly guarded: readonly number[];
  /** What is worth fixing in expect.yaml but does not stop the case (a deprecated key). */
  readonly warnings: readonly FileProblem[];
}

export interface CorpusCase extends Expectation {
  readonly name: string;
  readonly dir: string;
  readonly script: string;
}

interface ExpectYaml {
  readonly phase: Phase;
  readonly verdict: Verdict;
  readonly 'any-of'?: readonly string[];
  readonly exactly?: readonly string[];
  readonly rules?: readonly string[];
  readonly fires?: readonly string[];
  readonly shared?: readonly string[];
  readonly timeout?: number;
  readonly explore?: number;
  readonly compare?: boolean;
  readonly guarded?: readonly number[];
}

/** The expectation in `source` (the text of `file`); throws FileProblemsError with every problem at once. */
export function parseExpect(source: string, file: string): Expectation {
  const doc = readYamlDocument(source, file, expectFile);
  const problems = [...doc.problems];
  const warnings = [...doc.warnings];
  const value = doc.value;
  if (doc.locator !== undefined && isPlainObject(value)) {
    for (const [old, now] of Object.entries(DEPRECATED_KEYS)) {
      if (!(old in value)) continue;
      const at = { file, path: old, ...doc.locator.position([old], true) };
      if (now in value) problems.push({ ...at, message: `\`${old}\` is the old name of \`${now}\`; give one of them` });
      else warnings.push({ ...at, message: `\`${old}\` is deprecated: write \`${now}\`` });
    }
  }
  if (problems.length > 0)
    throw new FileProblemsError('invalid expect.yaml', problems, { hint: 'fix the listed problems in expect.yaml (examples/README.md describes it)' });
  const expect = value as ExpectYaml;
  const exactly = expect.exactly ?? expect.fires;
  return {
    phase: expect.phase,
    verdict: expect.verdict,
    anyOf: expect['any-of'] ?? expect.rules ?? [],
    ...(exactly !== undefined ? { exactly } : {}),
    shared: expect.shared ?? [],
    ...(expect.timeout !== undefined ? { timeoutSeconds: expect.timeout } : {}),
    ...(expect.explore !== undefined ? { explore: expect.explore } : {}),
    ...(expect.compare !== undefined ? { compare: expect.compare } : {}),
    guarded: expect.guarded ?? [],
    warnings,
  };
}

/** The expect.yaml of folder `dir` (a case, or a golden run directory). */
export async function readExpect(dir: string): Promise<Expectation> {
  const expectPath = path.join(dir, 'expect.yaml');
  const text = await readFile(expectPath, 'utf8').catch((error: unknown) => {
    throw new UserError('INPUT_NOT_FOUND', `no expect.yaml in ${dir}`, { cause: error, hint: 'a corpus case is a folder with `script` and `expect.yaml`' });
  });
  return parseExpect(text, expectPath);
}

export async function loadCase(dir: string): Promise<CorpusCase> {
  const expectation = await readExpect(dir);
  const script = path.join(dir, 'script');
  if (!(await stat(script).catch(() => undefined))?.isFile()) {
    throw new UserError('INPUT_NOT_FOUND', `no script in ${dir}`, { hint: 'a corpus case is a folder with `script` and `expect.yaml`' });
  }
  return { name: path.basename(dir), dir, script, ...expectation };
}

/** What a corpus folder holds: script cases, and package folders whose expect.yaml lists sessions (package-cases.ts). */
export interface Corpus {
  readonly cases: readonly CorpusCase[];
  readonly packages: readonly string[];
}

/** A case folder, or a folder of case folders (sorted by name). */
export async function loadCorpus(dir: string): Promise<CorpusCase[]> {
  const corpus = await readCorpus(dir);
  if (corpus.cases.length === 0 && corpus.packages.length === 0)
    throw new UserError('INPUT_INVALID', `no cases in ${dir}`, { hint: 'each case is a folder with `script` and `expect.yaml`' });
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
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const cases: CorpusCase[] = [];
  const packages: string[] = [];
  for (const name of entries) {
    const k = await kind(path.join(dir, name));
    if (k === 'script') cases.push(await loadCase(path.join(dir, name)));
    else if (k === 'package') packages.push(path.join(dir, name));
  }
  if (cases.length === 0 && packages.length === 0)
    throw new UserError('INPUT_INVALID', `no cases in ${dir}`, { hint: 'each case is a folder with `script` and `expect.yaml`' });
  return { cases, packages };
}
