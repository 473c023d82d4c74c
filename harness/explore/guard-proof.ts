/**
 * The DRD-guard proof: what the comparison run (the script on the booted
 * system with `SW_SESSION_IS_DRD` unset, as it runs outside DRD) did that no
 * run under DRD did. Its risky lines that ran there and nowhere under DRD
 * are guarded; its findings that no run under DRD has are the unsafe
 * actions the script's DRD guards avoided (a guard in the script, or one in
 * what it calls, such as kill_named_procs). They never count toward the
 * verdict: outside DRD, stopping a daemon is the script's job.
 */
import type { ScriptCoverage } from '../coverage/script-coverage.js';
import type { Finding } from '../policy/finding.js';
import type { AvoidedAction, GuardedLine } from '../report/exploration-report.js';
import type { Report } from '../report/report.js';
import { findingKey } from './finding-key.js';

export interface GuardProof {
  readonly guarded: readonly GuardedLine[];
  readonly avoided: readonly AvoidedAction[];
}

/**
 * @param merged the coverage over every run under DRD, with `guarded` marked (union-coverage.ts)
 * @param drdFindings every finding of the runs under DRD
 */
export function guardProof(comparison: Report, merged: ScriptCoverage, drdFindings: readonly Finding[]): GuardProof {
  const outside = new Map((comparison.coverage?.lines ?? []).map((l) => [l.line, l]));
  const guarded: GuardedLine[] = merged.lines
    .filter((l) => l.guarded === true)
    .map((l) => {
      const there = outside.get(l.line);
      return {
        line: l.line,
        text: l.text,
        ...(l.risk !== undefined ? { risk: l.risk } : {}),
        ...(l.command !== undefined ? { command: l.command } : {}),
        ...(there?.traceLine !== undefined ? { traceLine: there.traceLine } : {}),
      };
    });
  const seen = new Set(drdFindings.map(findingKey));
  const confirmed = new Map((comparison.groundTruth?.confirmations ?? []).map((c) => [c.finding, c.evidence]));
  const avoided: AvoidedAction[] = [];
  comparison.findings.forEach((f, i) => {
    // What a call did; a coverage finding (a line that did not run) is no action.
    if (f.event === undefined || f.severity === 'info' || seen.has(findingKey(f))) return;
    const evidence = confirmed.get(i);
    avoided.push({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.location !== undefined ? { line: f.location.line, ...(f.location.source !== undefined ? { source: f.location.source } : {}) } : {}),
      ...(f.target !== undefined ? { target: f.target } : {}),
      traceLine: f.event.line,
      ...(evidence !== undefined ? { confirmed: evidence } : {}),
    });
  });
  return { guarded, avoided };
}
