/**
 * Compares a run's report with what its case expects: the verdict, at least
 * one finding of one of `any-of`, with `exactly` the very set of rules
 * that fired, and every line it lists as guarded shown guarded by the
 * DRD-guard proof.
 */
import type { CorpusCase } from './load-corpus.js';
import type { Report } from '../report/report.js';

export interface CaseOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly got: string;
  readonly problems: readonly string[];
}

function expectedText(c: CorpusCase): string {
  const rules = [
    ...(c.anyOf.length > 0 ? [`any of ${c.anyOf.join(', ')}`] : []),
    ...(c.exactly !== undefined ? [`exactly ${c.exactly.join(', ') || 'none'}`] : []),
  ];
  return `${c.verdict}${rules.length > 0 ? ` [${rules.join('; ')}]` : ''}${c.guarded.length ? ` guarded ${c.guarded.join(', ')}` : ''}`;
}

export function checkCase(c: CorpusCase, report: Report): CaseOutcome {
  const problems: string[] = [];
  const verdict = report.summary.verdict;
  if (verdict !== c.verdict) problems.push(`verdict ${verdict}, expected ${c.verdict}`);
  const fired = [...new Set(report.findings.map((f) => f.rule))].sort();
  if (c.anyOf.length > 0 && !c.anyOf.some((r) => fired.includes(r))) {
    problems.push(`none of ${c.anyOf.join(', ')} fired (fired: ${fired.join(', ') || 'nothing'})`);
  }
  if (c.exactly !== undefined) {
    const missing = c.exactly.filter((r) => !fired.includes(r));
    const extra = fired.filter((r) => !c.exactly?.includes(r));
    if (missing.length > 0) problems.push(`did not fire: ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`fired but not expected: ${extra.join(', ')}`);
  }
  const guarded = new Set((report.comparison?.guarded ?? []).map((g) => g.line));
  const unguarded = c.guarded.filter((n) => !guarded.has(n));
  if (unguarded.length > 0) {
    problems.push(
      `line${unguarded.length > 1 ? 's' : ''} ${unguarded.join(', ')} not shown guarded (${report.comparison === undefined ? 'no comparison run' : `guarded: ${[...guarded].join(', ') || 'none'}`})`,
    );
  }
  return {
    name: c.name,
    ok: problems.length === 0,
    expected: expectedText(c),
    got: `${verdict}${fired.length ? ` [${fired.join(', ')}]` : ''}${guarded.size ? ` guarded ${[...guarded].join(', ')}` : ''}`,
    problems,
  };
}
