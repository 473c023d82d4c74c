/**
 * One report from every run of an exploration: the first run, its variants
 * and the comparison run outside DRD. The verdict is the worst over the
 * first run and the variants (a variant that could not be run leaves it
 * indeterminate); a finding a variant added names that variant and what it
 * changed (the variant with the fewest changes that found it); coverage is
 * the union, with the lines the DRD guard kept from running marked guarded
 * and no longer warned about; the comparison run's own findings never
 * count, and those no run under DRD has are listed as the actions the
 * guards avoided. Pure: the caller reads the reports and writes the result.
 */
import path from 'node:path';
import type { ChangeRecord, ExplorationRecord, VariantRecord } from '../contract/exploration-record.js';
import type { CoverageLine, ScriptCoverage } from '../coverage/script-coverage.js';
import type { ModelGap } from '../model/model-event.js';
import type { Finding, Severity } from '../policy/finding.js';
import type { ComparisonSummary, ExplorationSummary, VariantSummary } from '../report/exploration-report.js';
import type { Confirmation } from '../report/ground-truth.js';
import type { FailOn, Report, Verdict } from '../report/report.js';
import { exitCodeFor, worstVerdict } from '../report/verdict.js';
import { describeVariant } from './describe-variant.js';
import { findingKey } from './finding-key.js';
import { guardProof } from './guard-proof.js';
import { unionCoverage } from './union-coverage.js';

export interface VariantRun {
  readonly record: VariantRecord;
  /** Absolute path of its run directory. */
  readonly runDir: string;
  /** Its own report, when it ran and could be judged. */
  readonly report?: Report;
  /** Why there is no report (it was not run, run-phase failed, the analysis failed). */
  readonly error?: string;
}

export interface MergeInput {
  /** The first run's own report. */
  readonly base: Report;
  readonly record: ExplorationRecord;
  readonly variants: readonly VariantRun[];
  readonly comparison?: { readonly runDir: string; readonly report?: Report; readonly error?: string; readonly changes?: readonly ChangeRecord[] };
  readonly failOn: FailOn;
}

export function mergeExploration(input: MergeInput): Report {
  const { base } = input;
  const when = new Map(input.variants.map((v) => [v.record.id, describeVariant(v.record.id, v.record.changes)]));
  const ran = input.variants.filter((v) => v.report !== undefined);
  const comparisonReport = input.comparison?.report;
  const coverage =
    base.coverage === undefined
      ? undefined
      : unionCoverage({
          runs: [
            { id: 0, coverage: base.coverage },
            ...ran.flatMap((v) =>
              v.report?.coverage === undefined ? [] : [{ id: v.record.id, coverage: v.report.coverage, when: when.get(v.record.id) as string }],
            ),
          ],
          ...(comparisonReport?.coverage !== undefined ? { comparison: comparisonReport.coverage } : {}),
          variantsTried: input.variants.length,
        });
  const lines = new Map((coverage?.lines ?? []).map((l) => [l.line, l]));

  // The first run's findings, less the warnings on lines that ran in a variant or that the guard kept from running.
  const findings: Finding[] = [];
  const confirmations: Confirmation[] = [];
  const baseConfirmed = new Map((base.groundTruth?.confirmations ?? []).map((c) => [c.finding, c]));
  base.findings.forEach((f, i) => {
    const kept = keptCoverageFinding(f, lines);
    if (kept === undefined) return;
    const c = baseConfirmed.get(i);
    if (c !== undefined) confirmations.push({ ...c, finding: findings.length });
    findings.push(kept);
  });

  // What variants found that no run with fewer changes did: tied to the first (fewest changes) that found it.
  const seen = new Set(findings.map(findingKey));
  const added = new Map<number, { finding: Finding; evidence?: string }[]>();
  // Precision is how many probes a variant made true (a daemon its init script needs is part of that one).
  const byChanges = [...ran].sort((a, b) => a.record.subjects.length - b.record.subjects.length || a.record.id - b.record.id);
  for (const v of byChanges) {
    const report = v.report as Report;
    const confirmed = new Map((report.groundTruth?.confirmations ?? []).map((c) => [c.finding, c.evidence]));
    report.findings.forEach((f, i) => {
      // A line the variant did not reach is judged on the union above, not once per run.
      if (f.event === undefined) return;
      const key = findingKey(f);
      if (seen.has(key)) return;
      seen.add(key);
      const list = added.get(v.record.id) ?? [];
      const evidence = inRun(confirmed.get(i), base.inputs.runDir, v.runDir);
      list.push({
        finding: { ...f, variant: { id: v.record.id, when: when.get(v.record.id) as string, runDir: v.runDir } },
        ...(evidence !== undefined ? { evidence } : {}),
      });
      added.set(v.record.id, list);
    });
  }
  for (const v of input.variants) {
    for (const a of added.get(v.record.id) ?? []) {
      if (a.evidence !== undefined) confirmations.push({ finding: findings.length, rule: a.finding.rule, evidence: a.evidence });
      findings.push(a.finding);
    }
  }

  const gaps: ModelGap[] = [...base.gaps];
  const verdicts: Verdict[] = [base.summary.verdict];
  const reasons: string[] = [];
  for (const v of input.variants) {
    const label = `variant ${v.record.id}`;
    if (v.report === undefined) {
      if (v.error !== undefined) {
        gaps.push({ kind: 'variant-failed', message: `${label} (${when.get(v.record.id) as string}) could not be run: ${v.error}` });
        verdicts.push('indeterminate');
        reasons.push(`${label} could not be run: ${v.error}`);
      }
      continue;
    }
    const r = v.report;
    verdicts.push(r.summary.verdict);
    for (const g of r.gaps) gaps.push({ ...g, message: `${label}: ${g.message}` });
    if (r.parse.issueCount > 0) gaps.push({ kind: 'parse-error', message: `${label}: ${r.parse.issueCount} trace line(s) could not be read` });
    if (r.summary.verdict !== 'safe') reasons.push(`${label}: ${r.summary.verdict}: ${r.summary.reasons.join('; ')}`);
  }
  const verdict = worstVerdict(verdicts);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const first = base.summary.verdict === 'safe' && verdict !== 'safe' ? [] : base.summary.reasons;
  const runs = ran.length;
  const tail = runs === 0 ? [] : verdict === 'safe' ? [`the same in each of the ${runs} variant${runs === 1 ? '' : 's'} explored`] : [];

  return {
    ...base,
    findings,
    gaps,
    ...(base.groundTruth !== undefined ? { groundTruth: { ...base.groundTruth, confirmations } } : {}),
    ...(coverage !== undefined ? { coverage } : {}),
    exploration: explorationSummary(input, when, added),
    ...(input.comparison !== undefined ? { comparison: comparisonSummary(input.comparison, coverage, findings, base.inputs.runDir) } : {}),
    summary: {
      verdict,
      reasons: [...first, ...tail, ...reasons],
      counts,
      exitCode: exitCodeFor(verdict, findings, input.failOn),
      failOn: input.failOn,
    },
  };
}

/**
 * A finding of the first run as the merge keeps it: a call finding as it is;
 * a coverage finding on a line that did not run only while the union says it
 * still did not (and the guard did not keep it from running), with the
 * union's why.
 */
function keptCoverageFinding(f: Finding, lines: ReadonlyMap<number, CoverageLine>): Finding | undefined {
  if (f.event !== undefined || f.coverage.ran !== false) return f;
  const l = lines.get(f.coverage.line);
  if (l === undefined) return f;
  if (l.ran !== false || l.guarded === true) return undefined;
  return l.why === undefined ? f : { ...f, coverage: { ...f.coverage, why: l.why } };
}

function explorationSummary(input: MergeInput, when: ReadonlyMap<number, string>, added: ReadonlyMap<number, readonly unknown[]>): ExplorationSummary {
  const { record } = input;
  const variants: VariantSummary[] = input.variants.map((v) => ({
    id: v.record.id,
    runDir: v.runDir,
    subjects: v.record.subjects,
    changes: v.record.changes,
    when: when.get(v.record.id) as string,
    ran: v.report !== undefined,
    ...(v.report === undefined && (v.error ?? v.record.error) !== undefined ? { error: (v.error ?? v.record.error) as string } : {}),
    ...(v.report !== undefined ? { verdict: v.report.summary.verdict, counts: v.report.summary.counts, newFindings: added.get(v.record.id)?.length ?? 0 } : {}),
  }));
  return {
    explore: record.explore,
    timeoutSeconds: record.timeoutSeconds,
    probes: record.probes,
    variants,
    notExplored: record.notExplored,
    ...(record.stopped !== undefined ? { stopped: record.stopped } : {}),
  };
}

function comparisonSummary(
  c: NonNullable<MergeInput['comparison']>,
  coverage: ScriptCoverage | undefined,
  drdFindings: readonly Finding[],
  topDir: string | undefined,
): ComparisonSummary {
  const report = c.report;
  const changes = c.changes !== undefined && c.changes.length > 0 ? { changes: c.changes } : {};
  if (report === undefined || coverage === undefined) {
    const error = c.error ?? (coverage === undefined ? 'the first run has no script coverage to compare with' : 'it did not run');
    return {
      runDir: c.runDir,
      ...changes,
      ran: report !== undefined,
      error,
      ...(report !== undefined ? { verdict: report.summary.verdict } : {}),
      guarded: [],
      avoided: [],
    };
  }
  const proof = guardProof(report, coverage, drdFindings);
  const avoided = proof.avoided.map((a) => (a.confirmed === undefined ? a : { ...a, confirmed: inRun(a.confirmed, topDir, c.runDir) as string }));
  return { runDir: c.runDir, ...changes, ran: true, verdict: report.summary.verdict, guarded: proof.guarded, avoided };
}

/** Evidence quoting a run's files (`witness.jsonl:12`) as the top directory's reader finds them (`variants/1/witness.jsonl:12`). */
function inRun(evidence: string | undefined, topDir: string | undefined, runDir: string): string | undefined {
  if (evidence === undefined || topDir === undefined) return evidence;
  const rel = path.relative(topDir, runDir);
  return rel === '' || rel.startsWith('..') ? evidence : evidence.replace(/\b(witness\.jsonl|booted-diff\.json|trace\.txt):/g, `${rel}/$1:`);
}

/** A variant's run directory under the top one. */
export function variantDir(topDir: string, id: number): string {
  return path.join(topDir, 'variants', String(id));
}

/** The comparison run's directory under the top one. */
export function comparisonDir(topDir: string): string {
  return path.join(topDir, 'compare');
}
