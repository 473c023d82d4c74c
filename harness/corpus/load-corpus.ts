/**
 * A corpus is a folder of cases; a case is a folder with `script` and
 * `expect.yaml` (phase, verdict, and the rules of which at least one must
 * fire; optionally the lines the DRD-guard proof must show guarded, and
 * `explore`/`compare` to change how the case is explored).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { PHASES } from '../contract/run-metadata.js';
import type { Phase } from '../contract/run-metadata.js';
import type { Verdict } from '../report/report.js';

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
  /** Phase timeout (with exploration, the whole exploration's). Default: the run's default. */
  readonly timeoutSeconds?: number;
  /** Branch exploration's bound on variants (`explore: 0` turns it off). Default: `drdsafe run`'s (4). */
  readonly explore?: number;
  /** The comparison run outside DRD. Default: on when exploring. */
  readonly compare?: boolean;
  /** Script lines the DRD-guard proof must show guarded (they ran only outside DRD). Default: none required. */
  readonly guarded: readonly number[];
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
  const explore = data?.explore;
  if (explore !== undefined && !(typeof explore === 'number' && Number.isInteger(explore) && explore >= 0)) {
    problems.push(`Expected \`explore\` to be a whole number of variants (0 turns exploration off), got \`${String(explore)}\``);
  }
  const compare = data?.compare;
  if (compare !== undefined && typeof compare !== 'boolean') problems.push(`Expected \`compare\` to be true or false, got \`${String(compare)}\``);
  const guarded = data?.guarded ?? [];
  if (!Array.isArray(guarded) || guarded.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 1)) problems.push('Expected `guarded` to be a list of script line numbers');
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
    ...(typeof explore === 'number' ? { explore } : {}),
    ...(typeof compare === 'boolean' ? { compare } : {}),
    guarded: guarded as number[],
  };
}

/** A case folder, or a folder of case folders (sorted by name). */
export async function loadCorpus(dir: string): Promise<CorpusCase[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError('INPUT_NOT_FOUND', `no such corpus folder: ${dir}`);
  if (await stat(path.join(dir, 'expect.yaml')).catch(() => undefined)) return [await loadCase(dir)];
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const cases: CorpusCase[] = [];
  for (const name of entries) {
    if (await stat(path.join(dir, name, 'expect.yaml')).catch(() => undefined)) cases.push(await loadCase(path.join(dir, name)));
  }
  if (cases.length === 0) throw new UserError('INPUT_INVALID', `no cases in ${dir}`, { hint: 'each case is a folder with `script` and `expect.yaml`' });
  return cases;
}
