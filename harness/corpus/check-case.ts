import type { CorpusCase } from './load-corpus.js';
import type { Report } from '../report/report.js';

export interface CaseOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly got: string;
  readonly problems: readonly string[];
}

/**
 * Compares a run's report with what the case expects: the verdict, at least
 * one finding of one of the listed rules, and every line it lists as guarded
 * shown guarded by the DRD-guard proof.
 */
export function checkCase(c: CorpusCase, report: Report): CaseOutcome {
  const problems: string[] = [];
  const verdict = report.summary.verdict;
  if (verdict !== c.verdict) problems.push(`verdict ${verdict}, expected ${c.verdict}`);
  const fired = [...new Set(report.findings.map((f) => f.rule))];
  if (c.rules.length > 0 && !c.rules.some((r) => fired.includes(r))) {
    problems.push(`none of ${c.rules.join(', ')} fired (fired: ${fired.join(', ') || 'nothing'})`);
  }
  const guarded = new Set((report.comparison?.guarded ?? []).map((g) => g.line));
  const missing = c.guarded.filter((n) => !guarded.has(n));
  if (missing.length > 0) {
    problems.push(`line${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not shown guarded (${report.comparison === undefined ? 'no comparison run' : `guarded: ${[...guarded].join(', ') || 'none'}`})`);
  }
  return {
    name: c.name,
    ok: problems.length === 0,
    expected: `${c.verdict}${c.rules.length ? ` [${c.rules.join(', ')}]` : ''}${c.guarded.length ? ` guarded ${c.guarded.join(', ')}` : ''}`,
    got: `${verdict}${fired.length ? ` [${fired.join(', ')}]` : ''}${guarded.size ? ` guarded ${[...guarded].join(', ')}` : ''}`,
    problems,
  };
}
