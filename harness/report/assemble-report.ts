/**
 * report.json put together from what the analysis found and what it was
 * given: the inputs, the policy, the phase as the sandbox ran it, findings,
 * gaps, parse statistics, ground truth and verdict. Pure: no file is read or
 * written here.
 */
import type { RunMetadata } from '../contract/run-metadata.js';
import type { RunResult } from '../contract/run-result.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { TOOL_VERSION } from '../version.js';
import type { Judgement } from './judge-run.js';
import type { PhaseRecord, Report } from './report.js';

export interface ReportParts {
  readonly tracePath: string;
  readonly traceBytes: number;
  readonly runDir?: string;
  readonly meta: RunMetadata;
  readonly result?: RunResult;
  /** Absolute paths of the policy files given (none: the built-in policy alone). */
  readonly policyFiles: readonly string[];
  readonly policy: CompiledPolicy;
  readonly judgement: Judgement;
  /** Harness time before analysis started (for `run`), for the phase's `overheadMs`. */
  readonly startedAt?: number;
  /** When the analysis started, for `timing.analyzeMs`. */
  readonly analyzeStarted: number;
  /** Default: `Date.now`. */
  readonly now?: () => number;
}

function phaseRecord(meta: RunMetadata, result: RunResult | undefined, startedAt: number | undefined, now: () => number): PhaseRecord {
  return {
    ...(meta.script ? { phase: meta.script.phase, script: meta.script.jailPath } : {}),
    ...(meta.script?.sourcePath ? { scriptSource: meta.script.sourcePath } : {}),
    ...(meta.script?.text !== undefined ? { scriptText: meta.script.text } : {}),
    ...(result ? { exitCode: result.exitCode ?? null, signal: result.signal ?? null, limitHit: result.limitHit ?? null } : {}),
    ...(result?.phaseWallMs !== undefined ? { wallMs: result.phaseWallMs } : {}),
    ...(meta.finished !== undefined ? { finished: meta.finished } : {}),
    ...(startedAt !== undefined && result?.phaseWallMs !== undefined ? { overheadMs: now() - startedAt - result.phaseWallMs } : {}),
  };
}

export function assembleReport(parts: ReportParts): Report {
  const now = parts.now ?? Date.now;
  const { judgement, meta, policy } = parts;
  const { analysis } = judgement;
  const trees = meta.trees;
  return {
    schemaVersion: 1,
    tool: { name: 'drdsafe', version: TOOL_VERSION },
    generatedAt: new Date(now()).toISOString(),
    inputs: {
      trace: parts.tracePath,
      traceBytes: parts.traceBytes,
      ...(parts.runDir ? { runDir: parts.runDir } : {}),
      trees: { booted: trees.booted, inactive: trees.inactive, shared: trees.shared.map((s) => s.jailPath) },
    },
    policy: { files: parts.policyFiles, hash: policy.policyHash, ...policy.identity, ...(policy.rules ? { rules: policy.rules } : {}) },
    phases: [phaseRecord(meta, parts.result, parts.startedAt, now)],
    findings: judgement.findings,
    gaps: judgement.gaps,
    parse: {
      lines: analysis.parse.lines,
      events: analysis.parse.events,
      skipped: analysis.parse.skipped,
      issues: analysis.issues,
      issueCount: analysis.parse.issues,
      unresumed: analysis.parse.unresumed,
      truncatedTail: analysis.parse.truncatedTail,
    },
    ...(judgement.groundTruth ? { groundTruth: judgement.groundTruth } : {}),
    ...(analysis.processTree ? { processTree: analysis.processTree } : {}),
    ...(judgement.coverage ? { coverage: judgement.coverage } : {}),
    summary: judgement.summary,
    timing: { analyzeMs: now() - parts.analyzeStarted },
  };
}
