/**
 * `drdsafe analyze` and the last step of `drdsafe run`, in four steps: resolve
 * the input (a run directory read through the contract, or a bare trace),
 * judge it (trace, policy, ground truth, verdict), assemble report.json (with
 * the waivers given applied), write it and print the report. Nothing is
 * executed: re-running with another policy re-judges a stored run.
 */
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { displayPath } from '../display-path.js';
import { compilePolicy } from '../policy/compile-policy.js';
import { readPolicy } from '../policy/load-policy.js';
import { applyWaivers } from '../report/apply-waivers.js';
import { assembleReport } from '../report/assemble-report.js';
import { judgeRun } from '../report/judge-run.js';
import type { FailOn, Report } from '../report/report.js';
import { renderReport, writeReport } from '../report/write-report.js';
import type { ReportFormat } from '../report/write-report.js';
import type { WaiverSet } from '../report/waiver-file.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeInputOptions } from './analyze-input.js';
import type { CliIo } from './io.js';

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
}

export interface AnalyzeOutcome {
  /** What drdsafe exits with for this report. */
  readonly exitCode: number;
  readonly report: Report;
  readonly reportPath: string;
}

export async function analyzeRunDir(input: string, options: AnalyzeOptions, io: CliIo): Promise<AnalyzeOutcome> {
  const started = Date.now();
  const resolved = await resolveAnalyzeInput(input, options, io);

  const policyFiles = options.policyFiles ?? [];
  const loaded = await readPolicy(policyFiles, { cwd: io.cwd });
  if (!loaded.ok) throw new PolicyError(loaded.problems);
  for (const w of loaded.warnings) {
    io.stderr.write(`policy warning: ${w.file}${w.line ? `:${w.line}:${w.col ?? 1}` : ''}: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
  }
  const policy = compilePolicy(loaded.policy);
  const judgement = await judgeRun({
    tracePath: resolved.tracePath,
    meta: resolved.meta,
    ...(resolved.run ? { run: resolved.run } : {}),
    policy: loaded.policy,
    compiled: policy,
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
    policyFiles: policyFiles.map((f) => path.resolve(io.cwd, f)),
    policy,
    judgement,
    ...(options.startedAt !== undefined ? { startedAt: options.startedAt } : {}),
    analyzeStarted: started,
  });
  const waived = options.waivers === undefined ? undefined : applyWaivers(assembled, options.waivers, { ruleIds: policy.rules.map((r) => r.id) });
  const report = waived?.report ?? assembled;
  for (const w of waived?.warnings ?? []) {
    if (options.waiverWarnings !== false) io.stderr.write(`waiver warning: ${w.message}\n`);
  }
  const written = await writeReport(report, resolved.reportPath);
  io.stdout.write(renderReport(report, options.format, policy.rules, io.cwd));
  if (options.format === 'text') io.stderr.write(`report: ${displayPath(io.cwd, written.json)}\npage: ${displayPath(io.cwd, written.html)}\n`);
  return { exitCode: report.summary.exitCode, report, reportPath: resolved.reportPath };
}
