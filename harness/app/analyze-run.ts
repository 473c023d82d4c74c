/**
 * `drdsafe analyze` and the last step of `drdsafe run`, in four steps: resolve
 * the input (a run directory read through the contract, or a bare trace),
 * judge it (trace, policy, ground truth, verdict), assemble report.json, write
 * it and print the report. Nothing is executed: re-running with another
 * policy re-judges a stored run. A run directory with branch exploration
 * (exploration.json) is judged with its variants and comparison run and
 * merged (app/analyze-exploration.ts).
 */
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { displayPath } from '../display-path.js';
import { compilePolicy } from '../policy/compile-policy.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { readPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { assembleReport } from '../report/assemble-report.js';
import { judgeRun } from '../report/judge-run.js';
import type { Judgement } from '../report/judge-run.js';
import type { FailOn, Report } from '../report/report.js';
import { besideReport, renderReport, writeReport } from '../report/write-report.js';
import type { ReportFormat } from '../report/write-report.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeInput, AnalyzeInputOptions } from './analyze-input.js';
import { analyzeExploration } from './analyze-exploration.js';
import type { CliIo } from './io.js';

export interface AnalyzeOptions extends AnalyzeInputOptions {
  readonly policyFiles?: readonly string[];
  readonly format: ReportFormat;
  readonly failOn?: FailOn;
  /** Harness time before analysis started (for `run`), added to the phase record. */
  readonly startedAt?: number;
}

export interface AnalyzeOutcome {
  /** What drdsafe exits with for this report. */
  readonly exitCode: number;
  readonly report: Report;
  readonly reportPath: string;
}

/** The policy read (every problem at once), its warnings said, and compiled. */
export interface LoadedPolicy {
  readonly files: readonly string[];
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
}

export async function loadPolicyFor(policyFiles: readonly string[], io: CliIo): Promise<LoadedPolicy> {
  const loaded = await readPolicy(policyFiles, { cwd: io.cwd });
  if (!loaded.ok) throw new PolicyError(loaded.problems);
  for (const w of loaded.warnings) {
    io.stderr.write(`policy warning: ${w.file}${w.line ? `:${w.line}:${w.col ?? 1}` : ''}: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
  }
  return { files: policyFiles, policy: loaded.policy, compiled: compilePolicy(loaded.policy) };
}

/** One run judged and its report.json written, nothing printed: what exploration does for each of its runs. */
export interface JudgedRun {
  readonly report: Report;
  readonly judgement: Judgement;
  readonly reportPath: string;
}

export async function judgeResolved(
  resolved: AnalyzeInput,
  policy: LoadedPolicy,
  options: { readonly failOn?: FailOn; readonly startedAt?: number },
  io: CliIo,
): Promise<JudgedRun> {
  const started = Date.now();
  const judgement = await judgeRun({
    tracePath: resolved.tracePath,
    meta: resolved.meta,
    ...(resolved.run ? { run: resolved.run } : {}),
    policy: policy.policy,
    compiled: policy.compiled,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    signal: io.signal,
    ...(resolved.stdin ? { input: resolved.stdin } : {}),
  });
  const report = assembleReport({
    tracePath: resolved.tracePath,
    traceBytes: resolved.streamed ? judgement.analysis.parse.bytes : (resolved.traceBytes ?? 0),
    ...(resolved.run ? { runDir: resolved.run.dir } : {}),
    meta: resolved.meta,
    ...(resolved.run?.result ? { result: resolved.run.result } : {}),
    policyFiles: policy.files.map((f) => path.resolve(io.cwd, f)),
    policy: policy.compiled,
    judgement,
    ...(options.startedAt !== undefined ? { startedAt: options.startedAt } : {}),
    analyzeStarted: started,
  });
  await writeReport(report, resolved.reportPath);
  return { report, judgement, reportPath: resolved.reportPath };
}

/** Prints a report in the format asked for (and, for text, where report.json and report.html are). */
export function printReport(report: Report, reportPath: string, format: ReportFormat, policy: LoadedPolicy, io: CliIo): void {
  io.stdout.write(renderReport(report, format, policy.compiled.rules, io.cwd));
  if (format === 'text') io.stderr.write(`report: ${displayPath(io.cwd, reportPath)}\npage: ${displayPath(io.cwd, besideReport(reportPath, '.html'))}\n`);
}

export async function analyzeRunDir(input: string, options: AnalyzeOptions, io: CliIo): Promise<AnalyzeOutcome> {
  const resolved = await resolveAnalyzeInput(input, options, io);
  const policy = await loadPolicyFor(options.policyFiles ?? [], io);
  if (resolved.run?.exploration !== undefined) {
    return analyzeExploration({ top: resolved, record: resolved.run.exploration, policy, options, io });
  }
  const judged = await judgeResolved(resolved, policy, options, io);
  printReport(judged.report, judged.reportPath, options.format, policy, io);
  return { exitCode: judged.report.summary.exitCode, report: judged.report, reportPath: judged.reportPath };
}
