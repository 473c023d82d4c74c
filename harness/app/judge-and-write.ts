/**
 * The analysis of one resolved input, shared by `analyze`, `run` and the
 * phases of a session: the policy loaded and compiled once per command, then
 * for each input the trace judged and report.json assembled and written.
 * Nothing is printed here.
 */
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.js';
import { readPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { assembleReport } from '../report/assemble-report.js';
import { judgeRun, type Judgement } from '../report/judge-run.js';
import type { FailOn, Report } from '../report/report.js';
import { besideReport, renderReport, writeReport, type ReportFormat } from '../report/write-report.js';
import { displayPath } from '../display-path.js';
import { applyWaivers } from '../report/apply-waivers.js';
import type { WaiverSet } from '../report/waiver-file.js';
import type { AnalyzeInput } from './analyze-input.js';
import type { CliIo } from './io.js';

/** The policy every analysis of one command uses, loaded and compiled once. */
export interface AnalysisPolicy {
  readonly files: readonly string[];
  readonly loaded: Policy;
  readonly compiled: CompiledPolicy;
}

export async function loadAnalysisPolicy(policyFiles: readonly string[], io: CliIo): Promise<AnalysisPolicy> {
  const loaded = await readPolicy(policyFiles, { cwd: io.cwd });
  if (!loaded.ok) throw new PolicyError(loaded.problems);
  for (const w of loaded.warnings) {
    io.stderr.write(`policy warning: ${w.file}${w.line ? `:${w.line}:${w.col ?? 1}` : ''}: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
  }
  return { files: policyFiles.map((f) => path.resolve(io.cwd, f)), loaded: loaded.policy, compiled: compilePolicy(loaded.policy) };
}

/** What judging and writing one run gives: its report, the judgement it came from (exploration reads its probes), and where report.json is. */
export interface JudgedRun {
  readonly report: Report;
  readonly judgement: Judgement;
  readonly reportPath: string;
}

export interface JudgeOptions {
  readonly failOn?: FailOn;
  readonly startedAt?: number;
  readonly waivers?: WaiverSet;
  readonly waiverWarnings?: boolean;
  /** Apply only the waivers that match a finding of this run (one phase of a session): see ApplyWaiversOptions.matchedOnly. */
  readonly waiversMatchedOnly?: boolean;
}

/** Judges one resolved input and writes its report.json; nothing is printed. */
export async function judgeAndWrite(resolved: AnalyzeInput, policy: AnalysisPolicy, options: JudgeOptions, io: CliIo): Promise<Report> {
  return (await judgeResolved(resolved, policy, options, io)).report;
}

/** judgeAndWrite, keeping the judgement. */
export async function judgeResolved(resolved: AnalyzeInput, policy: AnalysisPolicy, options: JudgeOptions, io: CliIo): Promise<JudgedRun> {
  const started = Date.now();
  const judgement = await judgeRun({
    tracePath: resolved.tracePath,
    meta: resolved.meta,
    ...(resolved.run ? { run: resolved.run } : {}),
    policy: policy.loaded,
    compiled: policy.compiled,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    signal: io.signal,
    ...(resolved.stdin ? { input: resolved.stdin } : {}),
  });
  const assembled = assembleReport({
    tracePath: resolved.tracePath,
    traceBytes: resolved.streamed ? judgement.analysis.parse.bytes : (resolved.traceBytes ?? 0),
    ...(resolved.run ? { runDir: resolved.run.dir } : {}),
    meta: resolved.meta,
    ...(resolved.run?.result ? { result: resolved.run.result } : {}),
    policyFiles: policy.files,
    policy: policy.compiled,
    judgement,
    ...(options.startedAt !== undefined ? { startedAt: options.startedAt } : {}),
    analyzeStarted: started,
  });
  const waived =
    options.waivers === undefined
      ? undefined
      : applyWaivers(assembled, options.waivers, {
          ruleIds: policy.compiled.rules.map((r) => r.id),
          ...(options.waiversMatchedOnly ? { matchedOnly: true } : {}),
        });
  const report = waived?.report ?? assembled;
  for (const w of waived?.warnings ?? []) {
    if (options.waiverWarnings !== false) io.stderr.write(`waiver warning: ${w.message}\n`);
  }
  await writeReport(report, resolved.reportPath);
  return { report, judgement, reportPath: resolved.reportPath };
}

/** Prints a report in the format asked for (and, for text, where report.json and report.html are). */
export function printReport(report: Report, reportPath: string, format: ReportFormat, policy: AnalysisPolicy, io: CliIo): void {
  io.stdout.write(renderReport(report, format, policy.compiled.rules, io.cwd));
  if (format === 'text') io.stderr.write(`report: ${displayPath(io.cwd, reportPath)}\npage: ${displayPath(io.cwd, besideReport(reportPath, '.html'))}\n`);
}
