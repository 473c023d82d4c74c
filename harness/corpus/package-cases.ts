/**
 * Package cases of a corpus: a folder whose `expect.yaml` lists `sessions`,
 * each a `drd runcmd` command line to run on the sandbox with what it
 * expects (examples/packages):
 *
 *     sessions:
 *       - name: remove
 *         installed: [acmesafe.psf]          # installed before, paths relative to the folder
 *         runcmd: [swremove, ACMESAFE]       # drdsafe runcmd's command line
 *         verdict: safe                      # safe | unsafe | indeterminate
 *         rules: [illegal-kill]              # at least one finding of one of these (optional)
 *         exit: 0                            # drd runcmd's exit code (optional)
 *         steps:                             # outcomes of plan steps (optional)
 *           remove:preremove:ACMESAFE.ACMESAFE-BOOT: excluded
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import type { Verdict } from '../report/report.js';

export interface SessionCase {
  /** `<folder>/<name>`. */
  readonly name: string;
  /** The package folder: paths in the case are relative to it. */
  readonly dir: string;
  readonly runcmd: readonly string[];
  readonly installed: readonly string[];
  readonly bootPhase: boolean;
  readonly verdict: Verdict;
  readonly rules: readonly string[];
  readonly exit?: number;
  readonly steps: Readonly<Record<string, string>>;
}

const VERDICTS: readonly string[] = ['safe', 'unsafe', 'indeterminate'];
const OUTCOMES: readonly string[] = ['ran', 'skipped', 'excluded', 'deferred', 'refused', 'failed'];

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Whether an expect.yaml's text describes package sessions (a top-level `sessions:`) rather than one script. */
export function isSessionExpectation(text: string): boolean {
  return /^sessions:/m.test(text);
}

/** The sessions of a package folder's expect.yaml, every problem named at once. */
export async function loadSessionCases(dir: string): Promise<SessionCase[]> {
  const file = path.join(dir, 'expect.yaml');
  const text = await readFile(file, 'utf8');
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UserError('INPUT_INVALID', `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as { sessions?: unknown } | null;
  const problems: string[] = [];
  if (!Array.isArray(data?.sessions) || data.sessions.length === 0) problems.push('Expected `sessions` to be a non-empty list');
  const cases: SessionCase[] = [];
  const sessions = Array.isArray(data?.sessions) ? (data.sessions as Record<string, unknown>[]) : [];
  sessions.forEach((s, i) => {
    const at = `sessions[${i}]`;
    const name = s?.['name'];
    if (typeof name !== 'string' || name === '') problems.push(`${at}.name: Expected a name`);
    const runcmd = s?.['runcmd'];
    if (!strings(runcmd) || runcmd.length === 0) problems.push(`${at}.runcmd: Expected a command line, a list of words`);
    const installed = s?.['installed'] ?? [];
    if (!strings(installed)) problems.push(`${at}.installed: Expected a list of package paths`);
    const verdict = s?.['verdict'];
    if (typeof verdict !== 'string' || !VERDICTS.includes(verdict))
      problems.push(`${at}.verdict: Expected one of ${VERDICTS.join(', ')}, got \`${String(verdict)}\``);
    const rules = s?.['rules'] ?? [];
    if (!strings(rules)) problems.push(`${at}.rules: Expected a list of rule ids`);
    const exit = s?.['exit'];
    if (exit !== undefined && exit !== 0 && exit !== 1 && exit !== 2) problems.push(`${at}.exit: Expected 0, 1 or 2, got \`${String(exit)}\``);
    const steps = (s?.['steps'] ?? {}) as Record<string, unknown>;
    for (const [id, outcome] of Object.entries(steps)) {
      if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome)) problems.push(`${at}.steps.${id}: Expected one of ${OUTCOMES.join(', ')}`);
    }
    const bootPhase = s?.['bootPhase'] ?? false;
    if (typeof bootPhase !== 'boolean') problems.push(`${at}.bootPhase: Expected true or false`);
    cases.push({
      name: `${path.basename(dir)}/${String(name)}`,
      dir,
      runcmd: strings(runcmd) ? runcmd : [],
      installed: strings(installed) ? installed : [],
      bootPhase: bootPhase === true,
      verdict: verdict as Verdict,
      rules: strings(rules) ? rules : [],
      ...(typeof exit === 'number' ? { exit } : {}),
      steps: steps as Record<string, string>,
    });
  });
  if (problems.length > 0) throw new UserError('INPUT_INVALID', `${file}: ${problems.join('; ')}`);
  return cases;
}
