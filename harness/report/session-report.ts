/**
 * One report for an SD session: every step of the plan as a phase (its
 * outcome and why, and for a script that ran its exit code, verdict and
 * coverage), every phase's findings and gaps with the step they come from,
 * the booted system's ground truth over the session, and the verdict, the
 * worst over the phases. A step the sandbox could not run is a gap: the
 * session is then never safe. Pure: the phases' own reports come in.
 */
import type { SessionRecord, SessionStepRecord } from '../contract/session-record.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { ModelGap } from '../model/model-event.js';
import type { Severity } from '../policy/finding.js';
import { TOOL_VERSION } from '../version.js';
import type { Confirmation, GroundTruth, Unexplained } from './ground-truth.js';
import type { FailOn, PhaseRecord, Report, ReportFinding, ReportGap, StepRef } from './report.js';
import { decideVerdict } from './verdict.js';

/** A step of the session with the report of its phase, for the scripts that ran and were analysed. */
export interface SessionPhase {
  readonly step: SessionStepRecord;
  readonly report?: Report;
}

export interface SessionReportParts {
  readonly record: SessionRecord;
  readonly phases: readonly SessionPhase[];
  readonly sessionDir: string;
  /** Absolute paths of the policy files given. */
  readonly policyFiles: readonly string[];
  readonly policy: CompiledPolicy;
  readonly failOn?: FailOn;
  readonly analyzeStarted: number;
  /** The inactive image's swagent.log, relative to the session directory, when it was kept. */
  readonly swagentLog?: string;
  readonly now?: () => number;
}

function label(step: SessionStepRecord): string {
  return `${step.name} of ${step.fileset === undefined ? step.product : `${step.product}.${step.fileset}`}`;
}

function refOf(step: SessionStepRecord): StepRef {
  return {
    index: step.index,
    id: step.id,
    name: step.name,
    product: step.product,
    ...(step.fileset === undefined ? {} : { fileset: step.fileset }),
    ...(step.runDir === undefined ? {} : { runDir: step.runDir }),
  };
}

function phaseRecord(p: SessionPhase): PhaseRecord {
  const { step, report } = p;
  const own = report?.phases[0];
  return {
    name: step.name,
    step: step.id,
    group: step.group,
    product: step.product,
    ...(step.fileset === undefined ? {} : { fileset: step.fileset }),
    outcome: step.outcome,
    ...(step.why === undefined ? {} : { why: step.why }),
    ...(step.result === undefined ? {} : { result: step.result }),
    ...(step.exitCode === undefined ? {} : { exitCode: step.exitCode }),
    ...(step.phase === undefined ? {} : { phase: step.phase }),
    ...(step.script === undefined ? {} : { script: step.script }),
    ...(step.scriptSource === undefined ? {} : { scriptSource: step.scriptSource }),
    ...(step.runDir === undefined ? {} : { runDir: step.runDir }),
    ...(step.detail === undefined ? {} : { detail: step.detail }),
    ...(own?.signal === undefined ? {} : { signal: own.signal }),
    ...(own?.finished === undefined ? {} : { finished: own.finished }),
    ...(own?.limitHit === undefined ? {} : { limitHit: own.limitHit }),
    ...(own?.wallMs === undefined ? {} : { wallMs: own.wallMs }),
    ...(report === undefined ? {} : { verdict: report.summary.verdict, counts: report.summary.counts }),
    ...(report?.coverage === undefined ? {} : { coverage: report.coverage }),
  };
}

/** Why the session could not be judged whole: a step the sandbox failed on, a script that ran without a report. */
function sessionGaps(phases: readonly SessionPhase[]): ReportGap[] {
  const gaps: ReportGap[] = [];
  for (const { step, report } of phases) {
    if (step.outcome === 'failed') {
      gaps.push({ kind: 'unfinished-run', message: `${label(step)} could not run in the sandbox: ${step.why ?? 'it failed'}`, step: refOf(step) });
    } else if (step.outcome === 'ran' && step.kind === 'script' && report === undefined) {
      gaps.push({ kind: 'unfinished-run', message: `${label(step)} ran but left no trace to judge`, step: refOf(step) });
    }
  }
  return gaps;
}

/** The ground truth of every phase, in order: confirmations re-pointed at the session's findings. */
function mergeGroundTruth(parts: readonly { report: Report; offset: number; step: SessionStepRecord }[]): GroundTruth | undefined {
  const withTruth = parts.filter((p) => p.report.groundTruth !== undefined);
  if (withTruth.length === 0) return undefined;
  const confirmations: Confirmation[] = [];
  const unexplained: Unexplained[] = [];
  const added = new Set<string>();
  const modified = new Set<string>();
  const deleted = new Set<string>();
  const witness: GroundTruth['witness'][number][] = [];
  const issues: string[] = [];
  const daemons = new Map<string, GroundTruth['daemons'][number]>();
  for (const { report, offset, step } of withTruth) {
    const gt = report.groundTruth!;
    for (const c of gt.confirmations) confirmations.push({ ...c, finding: c.finding + offset });
    for (const u of gt.unexplained) unexplained.push({ ...u, detail: `${label(step)}: ${u.detail}` });
    gt.bootedDiff.added.forEach((x) => added.add(x));
    gt.bootedDiff.modified.forEach((x) => modified.add(x));
    gt.bootedDiff.deleted.forEach((x) => deleted.add(x));
    witness.push(...gt.witness);
    issues.push(...gt.witnessIssues.map((i) => `${label(step)}: ${i}`));
    // Alive before the first phase, and after the last.
    for (const d of gt.daemons) {
      const first = daemons.get(d.name);
      daemons.set(d.name, first === undefined ? d : { ...d, ...(first.aliveBefore === undefined ? {} : { aliveBefore: first.aliveBefore }) });
    }
  }
  return {
    bootedDiff: { added: [...added].sort(), modified: [...modified].sort(), deleted: [...deleted].sort() },
    daemons: [...daemons.values()],
    witness,
    confirmations,
    unexplained,
    witnessIssues: issues,
  };
}

export function assembleSessionReport(parts: SessionReportParts): Report {
  const now = parts.now ?? Date.now;
  const { record } = parts;
  const findings: ReportFinding[] = [];
  const gaps: ReportGap[] = [];
  const truth: { report: Report; offset: number; step: SessionStepRecord }[] = [];
  let lines = 0;
  let events = 0;
  let skipped = 0;
  let issueCount = 0;
  let unresumed = 0;
  let truncatedTail = false;
  let traceBytes = 0;
  const issues: Report['parse']['issues'][number][] = [];
  for (const p of parts.phases) {
    if (p.report === undefined) continue;
    const ref = refOf(p.step);
    truth.push({ report: p.report, offset: findings.length, step: p.step });
    findings.push(...p.report.findings.map((f) => ({ ...f, step: ref }) as ReportFinding));
    gaps.push(...p.report.gaps.map((g) => ({ ...g, step: ref })));
    lines += p.report.parse.lines;
    events += p.report.parse.events;
    skipped += p.report.parse.skipped;
    issueCount += p.report.parse.issueCount;
    unresumed += p.report.parse.unresumed;
    truncatedTail ||= p.report.parse.truncatedTail;
    traceBytes += p.report.inputs.traceBytes;
    for (const i of p.report.parse.issues) if (issues.length < 200) issues.push({ ...i, file: `${p.step.runDir ?? ''}/trace.txt` });
  }
  gaps.push(...sessionGaps(parts.phases));
  const groundTruth = mergeGroundTruth(truth);
  const summary = decideVerdict({
    findings,
    gaps: gaps as readonly ModelGap[],
    parseIssueCount: issueCount,
    ...(groundTruth === undefined ? {} : { groundTruth }),
    ...(parts.failOn === undefined ? {} : { failOn: parts.failOn }),
  });
  const phaseReasons = parts.phases
    .filter((p) => p.report !== undefined && p.report.summary.verdict !== 'safe')
    .map((p) => `${label(p.step)}: ${p.report!.summary.verdict} (${p.report!.summary.reasons[0] ?? ''})`);
  const notRun = parts.phases.filter((p) => p.step.kind === 'script' && p.step.outcome !== 'ran').length;
  const ran = parts.phases.filter((p) => p.step.kind === 'script' && p.step.outcome === 'ran').length;
  const tail = `${ran} control script${ran === 1 ? '' : 's'} ran${notRun > 0 ? `, ${notRun} did not (see phases)` : ''}`;
  const counts: Record<Severity, number> = summary.counts;
  const first = parts.phases.find((p) => p.report !== undefined)?.report;
  return {
    schemaVersion: 1,
    tool: { name: 'drdsafe', version: TOOL_VERSION },
    generatedAt: new Date(now()).toISOString(),
    inputs: {
      trace: `${parts.sessionDir}/phases`,
      traceBytes,
      runDir: parts.sessionDir,
      trees: first?.inputs.trees ?? { booted: '/images/booted', inactive: '/images/inactive', shared: [] },
    },
    policy: { files: parts.policyFiles, hash: parts.policy.policyHash, ...parts.policy.identity },
    phases: parts.phases.map(phaseRecord),
    session: {
      operation: record.operation,
      runcmd: record.runcmd,
      ...(record.command === undefined ? {} : { command: record.command }),
      package: record.package,
      baseline: record.baseline,
      selections: record.selections,
      status: record.status,
      exitCode: record.exitCode,
      ...(record.globalError === undefined ? {} : { globalError: record.globalError }),
      rebootRequested: record.rebootRequested,
      rebootSuppressed: record.rebootSuppressed,
      excluded: record.excluded,
      dropped: record.dropped,
      refused: record.refused,
      notes: record.notes,
      standIns: record.standIns,
      ...(record.failure === undefined ? {} : { failure: record.failure }),
      ...(parts.swagentLog === undefined ? {} : { swagentLog: parts.swagentLog }),
    },
    findings,
    gaps,
    parse: { lines, events, skipped, issues, issueCount, unresumed, truncatedTail },
    ...(groundTruth === undefined ? {} : { groundTruth }),
    summary: {
      ...summary,
      counts,
      reasons: [
        ...phaseReasons,
        ...summary.reasons.filter((r) => !r.startsWith('no error finding')),
        ...(summary.verdict === 'safe' ? [`no error finding in any phase, and nothing left unexplained; ${tail}`] : [tail]),
      ],
    },
    timing: { analyzeMs: now() - parts.analyzeStarted },
  };
}
