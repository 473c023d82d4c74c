/**
 * The verdict fails closed: an error finding makes a run `unsafe`; with none,
 * any gap in what drdsafe could see (unreadable trace lines, lost processes,
 * truncated strings a rule needed, a run that did not finish, booted-system
 * changes no finding explains) makes it `indeterminate`, never `safe`.
 */
import type { Finding, Severity } from '../policy/finding.js';
import type { ModelGap } from '../model/model-event.js';
import type { GroundTruth } from './ground-truth.js';
import type { FailOn, ReportSummary, Verdict } from './report.js';
import { EXIT } from '../exit-codes.js';

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export interface VerdictInput {
  readonly findings: readonly Finding[];
  readonly gaps: readonly ModelGap[];
  readonly parseIssueCount: number;
  readonly groundTruth?: GroundTruth;
  readonly failOn?: FailOn;
}

export function decideVerdict(input: VerdictInput): ReportSummary {
  const failOn = input.failOn ?? 'error';
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of input.findings) counts[f.severity]++;

  const reasons: string[] = [];
  if (counts.error > 0) {
    const rules = [...new Set(input.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    reasons.push(`${counts.error} error finding${counts.error === 1 ? '' : 's'} (${rules.join(', ')})`);
  }
  const doubts: string[] = [];
  if (input.parseIssueCount > 0) doubts.push(`${input.parseIssueCount} trace line${input.parseIssueCount === 1 ? '' : 's'} could not be read`);
  // Gaps by kind; a rule's gaps by rule, each told by its first message (what the sandbox could not judge).
  const gapKinds = new Map<string, { n: number; text: string }>();
  for (const g of input.gaps) {
    const key = g.kind === 'rule' ? `rule:${g.rule ?? '?'}` : g.kind;
    const known = gapKinds.get(key);
    if (known !== undefined) known.n++;
    else gapKinds.set(key, { n: 1, text: g.kind === 'rule' ? `${g.rule ?? 'a rule'}: ${g.message}` : (GAP_TEXT[g.kind] ?? g.kind) });
  }
  for (const [kind, { n, text }] of gapKinds) {
    if (kind === 'parse-error') continue; // counted above from the parser itself
    doubts.push(kind.startsWith('rule:') ? `${text}${n > 1 ? ` (and ${n - 1} more)` : ''}` : `${text}${n > 1 ? ` (${n})` : ''}`);
  }
  const gt = input.groundTruth;
  if (gt) {
    for (const u of gt.unexplained) doubts.push(u.detail);
    if (gt.witnessIssues.length > 0) doubts.push(`${gt.witnessIssues.length} witness line(s) could not be read`);
  }

  let verdict: Verdict;
  if (counts.error > 0) {
    verdict = 'unsafe';
    if (doubts.length > 0) reasons.push(`also: ${doubts.join('; ')}`);
  } else if (doubts.length > 0) {
    verdict = 'indeterminate';
    reasons.push(...doubts);
  } else {
    verdict = 'safe';
    reasons.push('no error finding, and the trace and the booted system leave nothing unexplained');
  }

  return { verdict, reasons, counts, exitCode: exitCodeFor(verdict, input.findings, failOn), failOn };
}

/** What drdsafe exits with: 3 for an indeterminate verdict, else 1 when a finding reaches `failOn`, else 0. */
export function exitCodeFor(verdict: Verdict, findings: readonly Finding[], failOn: FailOn): number {
  if (verdict === 'indeterminate') return EXIT.indeterminate;
  if (failOn === 'never') return EXIT.safe;
  const worst = Math.max(0, ...findings.map((f) => RANK[f.severity]));
  return worst >= RANK[failOn] ? EXIT.unsafe : EXIT.safe;
}

const VERDICT_RANK: Readonly<Record<Verdict, number>> = { safe: 0, indeterminate: 1, unsafe: 2 };

/** The worst of several verdicts: unsafe over indeterminate over safe. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'safe';
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}

const GAP_TEXT: Readonly<Record<string, string>> = {
  'lost-process': 'strace lost track of a process',
  'truncated-string': 'a string a rule needed was truncated in the trace',
  'unresumed-call': 'a system call never completed in the trace',
  'unfinished-run': 'the run did not finish',
  'unknown-root': 'a process root could not be determined',
  'untraced-io': 'a process set up io_uring, whose operations strace cannot see',
  'unread-call': 'strace could not read a system call that a process went on to run',
  'tracer-message': 'strace reported a problem with its tracing',
  'untraced-syscalls': 'the policy reads system calls this run did not trace',
  'script-not-run': 'the control script did not run as written',
  'variant-failed': 'a variant of branch exploration could not be run',
};
