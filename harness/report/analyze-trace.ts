/**
 * The analysis pipeline on one saved trace: parser -> process/path model ->
 * compiled policy, streamed in one pass so memory stays flat whatever the
 * trace size. Knows nothing of Docker: this is what `drdsafe analyze` runs.
 */
import { parseTraceFile } from '../trace/parse-trace-file.js';
import { parseTraceStream } from '../trace/parse-trace-stream.js';
import type { TraceSink } from '../trace/trace-sink.js';
import type { TraceEvent, TraceParseIssue, TraceParseSummary } from '../trace/trace-event.js';
import { ProcessModel } from '../model/process-model.js';
import type { ModelSummary } from '../model/model-summary.js';
import type { ModelEvent, ModelGap } from '../model/model-event.js';
import type { RunMetadata } from '../contract/run-metadata.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { CallFinding, Finding } from '../policy/finding.js';
import { HarnessError } from '../errors.js';
import { evidenceOf, SignalFollowUps } from './signal-follow-ups.js';
import { ProcessTreeRecorder, withProcessTree } from './process-tree.js';
import type { ProcessTree } from './process-tree.js';
import { CoverageRecorder } from '../model/coverage-recorder.js';

/** Findings kept per rule; the rest are counted (a loop can fire a rule a million times). */
const MAX_FINDINGS_PER_RULE = 500;
const MAX_ISSUES_KEPT = 200;
const MAX_GAPS_KEPT = 500;

export interface TraceAnalysis {
  readonly findings: readonly Finding[];
  /** Findings beyond the per-rule cap, by rule. */
  readonly suppressed: Readonly<Record<string, number>>;
  readonly gaps: readonly ModelGap[];
  readonly issues: readonly TraceParseIssue[];
  readonly parse: TraceParseSummary;
  readonly model: ModelSummary;
  /** Every traced process, its execs and its end (report.json's `processTree`). */
  readonly processTree: ProcessTree;
  /** The script lines the xtrace named and the calls that failed on a path, for harness/coverage/. */
  readonly coverage: CoverageRecorder;
}

/** The gap a finding of a `gap: true` rule is: its message, trace line and script line. */
export function ruleGap(f: Finding): ModelGap {
  const at =
    f.location === undefined ? '' : ` (${f.location.file}:${f.location.line}${f.location.source === undefined ? '' : `: ${f.location.source.trim()}`})`;
  // A coverage finding rests on no trace line: its gap names the script line alone.
  const line = f.event === undefined ? {} : { line: f.event.line };
  return { kind: 'rule', rule: f.rule, message: `${f.message}${at}`, ...line, ...(f.location === undefined ? {} : { location: f.location }) };
}

export async function analyzeTrace(
  tracePath: string,
  meta: RunMetadata,
  policy: CompiledPolicy,
  /**
   * `input`: read the trace from this byte stream (standard input) instead of opening `tracePath`, which then only names it.
   * `coverage`: gather what script coverage needs as the model reads (benchmarks turn it off to measure its cost). Default: `true`.
   */
  options: { readonly signal?: AbortSignal; readonly input?: NodeJS.ReadableStream; readonly coverage?: boolean } = {},
): Promise<TraceAnalysis> {
  const findings: Finding[] = [];
  const perRule = new Map<string, number>();
  const suppressed: Record<string, number> = {};
  const gaps: ModelGap[] = [];
  const issues: TraceParseIssue[] = [];
  const followUps = new SignalFollowUps();
  const tree = new ProcessTreeRecorder();
  const coverage = new CoverageRecorder();

  const model = new ProcessModel(
    meta,
    {
      event(e: ModelEvent): void {
        tree.event(e);
        let made: CallFinding | undefined;
        // Findings past the cap are only counted, so they are never built.
        for (const rule of policy.fired(e)) {
          const joined = followUps.joins(e, rule.id);
          if (joined !== undefined) {
            (joined.followUps ??= []).push(evidenceOf(e));
            made ??= joined;
            continue;
          }
          const n = (perRule.get(rule.id) ?? 0) + 1;
          perRule.set(rule.id, n);
          if (n <= MAX_FINDINGS_PER_RULE) {
            const f = policy.findingOf(rule, e);
            findings.push(f);
            made ??= f;
            if (rule.gap && gaps.length < MAX_GAPS_KEPT) gaps.push(ruleGap(f));
          } else suppressed[rule.id] = (suppressed[rule.id] ?? 0) + 1;
        }
        followUps.saw(e, made);
      },
      gap(g: ModelGap): void {
        if (gaps.length < MAX_GAPS_KEPT) gaps.push(g);
      },
    },
    { interest: withProcessTree(policy.interest), ...(options.coverage === false ? {} : { coverage }) },
  );
  let checked = 0;
  const sink: TraceSink = {
    event(e: TraceEvent): void {
      // Cheap abort check: a 200 MB trace must stop promptly on Ctrl-C.
      if ((++checked & 0xffff) === 0 && options.signal?.aborted) {
        throw new HarnessError('ABORTED', 'analysis interrupted', { cause: options.signal.reason });
      }
      model.event(e);
    },
    issue(i: TraceParseIssue): void {
      if (issues.length < MAX_ISSUES_KEPT) issues.push(i);
      model.issue(i);
    },
  };
  // Calls the model has no use for are checked but never built.
  const parseOptions = { file: tracePath, syscalls: model.syscalls };
  const parse = options.input ? await parseTraceStream(options.input, sink, parseOptions) : await parseTraceFile(tracePath, sink, parseOptions);
  const summary = model.finish(parse);
  return { findings, suppressed, gaps, issues, parse, model: summary, coverage, processTree: tree.finish(summary.scriptPid) };
}
