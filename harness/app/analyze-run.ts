/**
 * `drdsafe analyze` and the last step of `drdsafe run`, in four steps: resolve
 * the input (a run directory read through the contract, or a bare trace),
 * judge it (trace, policy, ground truth, verdict), assemble report.json (with
 * the waivers given applied), write it and print the report. Nothing is
 * executed: re-running with another policy re-judges a stored run. A session
 * directory (session.json) is judged phase by phase (analyze-session.ts); a
 * run directory with branch exploration (exploration.json) is judged with its
 * variants and comparison run and merged (app/analyze-exploration.ts).
 */
import path from 'node:path';
import type { FailOn, Report } from '../report/report.js';
import type { ReportFormat } from '../report/write-report.js';
import type { WaiverSet } from '../report/waiver-file.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeInputOptions } from './analyze-input.js';
import { analyzeExploration } from './analyze-exploration.js';
import type { CliIo } from './io.js';
import { analyzeSessionDir, isSessionDir } from './analyze-session.js';
import { judgeResolved, loadAnalysisPolicy, printReport } from './judge-and-write.js';

export interface AnalyzeOptions extends AnalyzeInputOptions {
  readonly policyFiles?: readonly string[];
  readonly format: ReportFormat;
  readonly failOn?: FailOn;
  /** Harness time before analysis started (for `run`), added to the phase record. */
  readonly startedAt?: number;
  /** Findings accepted for a time (`--waivers`, read with report/waiver-file.ts). Default: none. */
  readonly waivers?: WaiverSet;
  /** Warn on stderr of each waiver that matched no finding or names a rule the policy lacks (a corpus warns once, at its end). Default: `true`. */
  readonly waiverWarnings?: boolean;
  /** Print the report (and its path). Default: `true`. */
  readonly print?: boolean;
}

export interface AnalyzeOutcome {
  /** What drdsafe exits with for this report. */
  readonly exitCode: number;
  readonly report: Report;
  readonly reportPath: string;
}

export async function analyzeRunDir(input: string, options: AnalyzeOptions, io: CliIo): Promise<AnalyzeOutcome> {
  if (input !== '-' && (await isSessionDir(path.resolve(io.cwd, input)))) return analyzeSessionDir(path.resolve(io.cwd, input), options, io);
  const resolved = await resolveAnalyzeInput(input, options, io);
  const policy = await loadAnalysisPolicy(options.policyFiles ?? [], io);
  if (resolved.run?.exploration !== undefined) {
    return analyzeExploration({ top: resolved, record: resolved.run.exploration, policy, options, io });
  }
  const judged = await judgeResolved(resolved, policy, options, io);
  if (options.print !== false) printReport(judged.report, judged.reportPath, options.format, policy, io);
  return { exitCode: judged.report.summary.exitCode, report: judged.report, reportPath: judged.reportPath };
}
