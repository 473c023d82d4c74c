/**
 * Waivers applied to a report: each finding whose rule and fingerprint a
 * waiver names is marked waived (every format shows it, with the reason and
 * the owner) and no longer counts toward the verdict, which is decided again
 * from what is left, gaps and ground truth unchanged: a waiver accepts a
 * finding, it does not make what drdsafe could not see seen. A waiver that
 * matched no finding is stale: report.json lists it and a warning says so.
 *
 * Pure, and safe to call again on a report that was already waived (a stored
 * report re-rendered with another waiver file): `analyze` and `run` call it,
 * and so can any command that re-renders a stored report.
 */
import type { Finding, WaiverRecord } from '../policy/finding.js';
import { suggestion } from '../schema/did-you-mean.js';
import { findingFingerprint } from './finding-fingerprint.js';
import type { Report, ReportFinding, ReportWaivers } from './report.js';
import { decideVerdict } from './verdict.js';
import { waiverName, type Waiver, type WaiverSet } from './waiver-file.js';

/** Something about the waiver file worth a warning line: a stale waiver, or one of a rule the policy does not have. */
export interface WaiverWarning {
  readonly kind: 'stale' | 'unknown-rule';
  /** `file:line: what` */
  readonly message: string;
}

export interface WaiverOutcome {
  readonly report: Report;
  readonly warnings: readonly WaiverWarning[];
}

export interface ApplyWaiversOptions {
  /** The policy's rule ids: a waiver naming another rule gets a did-you-mean. Default: not checked. */
  readonly ruleIds?: readonly string[];
  /**
   * Only the waivers that match a finding here count, and none is stale: for
   * one phase of a session, whose waiver file covers the whole session (a
   * waiver of another phase's finding is not stale in this one; the session's
   * report says which are).
   */
  readonly matchedOnly?: boolean;
}

function record(w: Waiver): WaiverRecord {
  return {
    rule: w.rule,
    fingerprint: w.fingerprint,
    reason: w.reason,
    owner: w.owner,
    expires: w.expires,
    file: w.file,
    ...(w.line === undefined ? {} : { line: w.line }),
  };
}

function where(w: WaiverRecord): string {
  return `${w.file}${w.line === undefined ? '' : `:${w.line}`}`;
}

function waivedReason(waived: readonly Finding[]): string {
  const rules = [...new Set(waived.map((f) => f.rule))];
  return `${waived.length} finding${waived.length === 1 ? '' : 's'} waived (${rules.join(', ')}): not counted`;
}

export function applyWaivers(report: Report, set: WaiverSet | undefined, options: ApplyWaiversOptions = {}): WaiverOutcome {
  // In a session each finding's script is its own phase's.
  const scriptOf = (f: ReportFinding): string | undefined =>
    (f.step !== undefined ? report.phases[f.step.index]?.script : undefined) ?? report.phases[0]?.script;
  // A stored report may carry an earlier file's marks: start from the findings alone.
  const plain: ReportFinding[] = report.findings.map(({ waived: _waived, ...f }) =>
    f.fingerprint !== undefined ? f : { ...f, fingerprint: findingFingerprint(f, scriptOf(f)) },
  );
  if (set === undefined) {
    const { waivers: _waivers, ...rest } = report;
    const changed = report.findings.some((f) => f.waived !== undefined) || report.waivers !== undefined;
    const summary = changed
      ? decideVerdict({
          findings: plain,
          gaps: report.gaps,
          parseIssueCount: report.parse.issueCount,
          ...(report.groundTruth ? { groundTruth: report.groundTruth } : {}),
          failOn: report.summary.failOn,
        })
      : report.summary;
    return { report: { ...rest, findings: plain, summary }, warnings: [] };
  }
  const byKey = new Map(set.waivers.map((w) => [`${w.rule}\0${w.fingerprint}`, w]));
  const matched = new Map<Waiver, number>();
  const findings = plain.map((f) => {
    const w = byKey.get(`${f.rule}\0${f.fingerprint ?? ''}`);
    if (w === undefined) return f;
    matched.set(w, (matched.get(w) ?? 0) + 1);
    return { ...f, waived: record(w) };
  });
  // A phase none of whose findings is waived reads as if no waiver file were given.
  if (options.matchedOnly && matched.size === 0) return applyWaivers(report, undefined);
  const counted = findings.filter((f) => f.waived === undefined);
  const waived = findings.filter((f) => f.waived !== undefined);
  const decided = decideVerdict({
    findings: counted,
    gaps: report.gaps,
    parseIssueCount: report.parse.issueCount,
    ...(report.groundTruth ? { groundTruth: report.groundTruth } : {}),
    failOn: report.summary.failOn,
  });
  const summary = { ...decided, reasons: waived.length > 0 ? [...decided.reasons, waivedReason(waived)] : decided.reasons, waived: waived.length };
  const stale = options.matchedOnly ? [] : set.waivers.filter((w) => !matched.has(w));
  const waivers: ReportWaivers = {
    file: set.file,
    applied: set.waivers.filter((w) => matched.has(w)).map((w) => ({ ...record(w), findings: matched.get(w) ?? 0 })),
    stale: stale.map(record),
  };
  const warnings: WaiverWarning[] = stale.map((w) => ({
    kind: 'stale',
    message: `${where(w)}: the waiver of ${waiverName(w)} (owner ${w.owner}) matched no finding: it is stale; remove it`,
  }));
  if (options.ruleIds !== undefined) {
    const known = new Set(options.ruleIds);
    for (const w of set.waivers) {
      if (!known.has(w.rule))
        warnings.push({ kind: 'unknown-rule', message: `${where(w)}: the policy has no rule \`${w.rule}\`${suggestion(w.rule, options.ruleIds)}` });
    }
  }
  return { report: { ...report, findings, summary, waivers }, warnings };
}
