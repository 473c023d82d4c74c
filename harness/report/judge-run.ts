/**
 * The analysis step of `analyze`: the trace through parser, model and policy,
 * a run-limit finding when the run hit one, each finding's fingerprint, the
 * sandbox's ground truth set beside the findings, the gaps in what could be
 * seen, and the verdict.
 * Reads nothing itself but the trace: the run's files come in through the
 * contract.
 */
import type { RunDir } from '../contract/read-run-dir.js';
import type { RunMetadata } from '../contract/run-metadata.js';
import type { ModelGap } from '../model/model-event.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { Finding } from '../policy/finding.js';
import type { Policy } from '../policy/policy.js';
import { analyzeTrace, ruleGap } from './analyze-trace.js';
import { analyzeCoverage } from '../coverage/analyze-coverage.js';
import type { ScriptCoverage } from '../coverage/script-coverage.js';
import type { TraceAnalysis } from './analyze-trace.js';
import { withFingerprints } from './finding-fingerprint.js';
import { correlateGroundTruth } from './ground-truth.js';
import type { GroundTruth } from './ground-truth.js';
import { limitFinding } from './limit-finding.js';
import type { FailOn, ReportSummary } from './report.js';
import { coverageGaps } from './trace-coverage.js';
import { decideVerdict } from './verdict.js';

export interface JudgeRunInput {
  readonly tracePath: string;
  readonly meta: RunMetadata;
  /** The run directory's files, when the trace comes from one. */
  readonly run?: RunDir;
  /** The policy as loaded (for the traced-set check) and compiled. */
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  readonly failOn?: FailOn;
  readonly signal?: AbortSignal;
  /** Read the trace from this stream instead of opening `tracePath`. */
  readonly input?: NodeJS.ReadableStream;
}

export interface Judgement {
  readonly analysis: TraceAnalysis;
  readonly findings: readonly Finding[];
  readonly gaps: readonly ModelGap[];
  readonly groundTruth?: GroundTruth;
  /** Which command lines of the control script ran (harness/coverage/). */
  readonly coverage: ScriptCoverage;
  readonly summary: ReportSummary;
}

/**
 * strace says nothing on its stderr when its tracing went well; whatever it
 * said (a process it could not follow, a ptrace call that failed) is a
 * reason not to trust the trace alone.
 */
function tracerGaps(messages: readonly string[] | undefined): ModelGap[] {
  return (messages ?? []).map((m) => ({ kind: 'tracer-message', message: `strace said: ${m}` }));
}

/**
 * The layout the model reads a run with. A comparison run (`outsideDrd`)
 * ran the script on the booted tree itself, as it runs outside DRD: that
 * tree is the script's own system there (its files are the script's to
 * change, and the jail the model finds is rooted at it), and the clone,
 * which nothing touches in that run, is the other tree.
 */
export function modelLayout(meta: RunMetadata): RunMetadata {
  if (meta.outsideDrd !== true) return meta;
  return { ...meta, trees: { ...meta.trees, inactive: meta.trees.booted, booted: meta.trees.inactive, shared: [] } };
}

export async function judgeRun(input: JudgeRunInput): Promise<Judgement> {
  const { run, tracePath } = input;
  const meta = modelLayout(input.meta);
  const analysis = await analyzeTrace(tracePath, meta, input.compiled, {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.input ? { input: input.input } : {}),
  });
  const result = run?.result;
  const limitHit = result?.limitHit ?? meta.limitHit;
  const callFindings = [...analysis.findings];
  if (typeof limitHit === 'string') {
    callFindings.push(
      await limitFinding(limitHit, tracePath, analysis.parse.lines, {
        ...(analysis.model.scriptPid !== undefined ? { pid: analysis.model.scriptPid } : {}),
        argv: ['/sbin/sh', '-x', meta.script?.jailPath ?? '?'],
        ...(meta.script ? { phase: meta.script.phase } : {}),
      }),
    );
  }
  // Script coverage: which command lines ran; the policy's rules on them (not-exercised) add their findings.
  const covered = analyzeCoverage({
    meta,
    recorder: analysis.coverage,
    model: analysis.model,
    truncated: analysis.parse.truncatedTail,
    policy: input.compiled,
    callFindings,
  });
  const findings = [...covered.placed, ...covered.findings];
  const gapRules = new Set(input.compiled.rules.filter((r) => r.gap === true).map((r) => r.id));
  const fingerprinted = withFingerprints(findings, meta.script?.jailPath);
  let groundTruth: GroundTruth | undefined;
  if (run?.bootedDiff && run.witness) {
    groundTruth = correlateGroundTruth(fingerprinted, {
      witness: run.witness,
      bootedDiff: run.bootedDiff,
      daemons: result?.daemons ?? meta.daemons,
      bootedRoot: input.meta.trees.booted,
      sharedMounts: input.meta.trees.shared,
      ...(result?.leftovers ? { leftovers: result.leftovers } : {}),
      confirm: new Map(input.policy.rules.flatMap((r) => (r.confirm === undefined ? [] : [[r.id, r.confirm] as const]))),
    });
  }
  const gaps = [
    ...analysis.gaps,
    ...covered.findings.filter((f) => gapRules.has(f.rule)).map(ruleGap),
    ...tracerGaps(result?.strace?.messages),
    ...coverageGaps(result?.strace?.argv, input.policy),
  ];
  const summary = decideVerdict({
    findings: fingerprinted,
    gaps,
    parseIssueCount: analysis.parse.issues,
    ...(groundTruth ? { groundTruth } : {}),
    ...(input.failOn ? { failOn: input.failOn } : {}),
  });
  return { analysis, findings: fingerprinted, gaps, ...(groundTruth ? { groundTruth } : {}), coverage: covered.coverage, summary };
}
