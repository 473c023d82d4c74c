import type { CaseOutcome } from './check-case.js';
import type { SessionCase } from './package-cases.js';
import type { Report } from '../report/report.js';

/**
 * Compares a session's report with what its case expects: the verdict, at
 * least one finding of one of the listed rules, drd runcmd's exit code, and
 * the outcome of each step named.
 */
export function checkSession(c: SessionCase, report: Report, exitCode: number): CaseOutcome {
  const problems: string[] = [];
  const verdict = report.summary.verdict;
  if (verdict !== c.verdict) problems.push(`verdict ${verdict}, expected ${c.verdict}`);
  const fired = [...new Set(report.findings.map((f) => f.rule))];
  if (c.rules.length > 0 && !c.rules.some((r) => fired.includes(r)))
    problems.push(`none of ${c.rules.join(', ')} fired (fired: ${fired.join(', ') || 'nothing'})`);
  if (c.exit !== undefined && exitCode !== c.exit) problems.push(`exit ${exitCode}, expected ${c.exit}`);
  for (const [id, outcome] of Object.entries(c.steps)) {
    const got = report.phases.find((p) => p.step === id)?.outcome;
    if (got !== outcome) problems.push(`step ${id}: ${got ?? 'not in the plan'}, expected ${outcome}`);
  }
  return {
    name: c.name,
    ok: problems.length === 0,
    expected: `${c.verdict}${c.rules.length ? ` [${c.rules.join(', ')}]` : ''}${c.exit === undefined ? '' : ` exit ${c.exit}`}`,
    got: `${verdict}${fired.length ? ` [${fired.join(', ')}]` : ''} exit ${exitCode}`,
    problems,
  };
}
