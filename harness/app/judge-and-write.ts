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
import { judgeRun } from '../report/judge-run.js';
import type { FailOn, Report } from '../report/report.js';
import { writeReport } from '../report/write-report.js';
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

/** Judges one resolved input and writes its report.json; nothing is printed. */
export async function judgeAndWrite(
  resolved: AnalyzeInput,
  policy: AnalysisPolicy,
  options: { readonly failOn?: FailOn; readonly startedAt?: number; readonly waivers?: WaiverSet; readonly waiverWarnings?: boolean },
  io: CliIo,
): Promise<Report> {
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
  const waived = options.waivers === undefined ? undefined : applyWaivers(assembled, options.waivers, { ruleIds: policy.compiled.rules.map((r) => r.id) });
  const report = waived?.report ?? assembled;
  for (const w of waived?.warnings ?? []) {
    if (options.waiverWarnings !== false) io.stderr.write(`waiver warning: ${w.message}\n`);
  }
  await writeReport(report, resolved.reportPath);
  return report;
}
