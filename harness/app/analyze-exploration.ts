/**
 * The analysis of a run directory with branch exploration: the first run
 * (the top directory), every variant that ran (`variants/<id>/`) and the
 * comparison run (`compare/`), each judged on its own (its report.json
 * written in its directory), then merged into the top report.json and
 * printed (harness/explore/merge-exploration.ts). `drdsafe run --explore`
 * ends here, and `drdsafe analyze` of the top directory does it again from
 * the stored runs alone. A variant whose run cannot be read or judged is
 * named in the report, never left out.
 */
import path from 'node:path';
import type { ChangeRecord, ExplorationRecord } from '../contract/exploration-record.js';
import { comparisonDir, mergeExploration } from '../explore/merge-exploration.js';
import type { VariantRun } from '../explore/merge-exploration.js';
import { writeReport } from '../report/write-report.js';
import type { Report } from '../report/report.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeInput } from './analyze-input.js';
import type { AnalyzeOptions, AnalyzeOutcome } from './analyze-run.js';
import { judgeResolved, printReport, type AnalysisPolicy, type JudgedRun } from './judge-and-write.js';
import type { CliIo } from './io.js';

export interface ExplorationAnalysis {
  /** The top run directory, resolved (its trace is the first run's). */
  readonly top: AnalyzeInput;
  readonly record: ExplorationRecord;
  readonly policy: AnalysisPolicy;
  readonly options: AnalyzeOptions;
  readonly io: CliIo;
  /** Runs already judged (`drdsafe run` judged each as it went), by absolute directory. */
  readonly judged?: ReadonlyMap<string, JudgedRun>;
}

export async function analyzeExploration(input: ExplorationAnalysis): Promise<AnalyzeOutcome> {
  const { top, record, policy, options, io } = input;
  const topDir = top.run?.dir ?? path.dirname(top.tracePath);
  const judge = async (dir: string): Promise<JudgedRun> => {
    const known = input.judged?.get(dir);
    if (known !== undefined) return known;
    const resolved = dir === topDir ? top : await resolveAnalyzeInput(dir, {}, io);
    return judgeResolved(resolved, policy, options.failOn ? { failOn: options.failOn } : {}, io);
  };
  const base = await judge(topDir);
  const variants: VariantRun[] = [];
  for (const v of record.variants) {
    const runDir = path.join(topDir, v.dir);
    if (!v.ran) {
      variants.push({ record: v, runDir, ...(v.error !== undefined ? { error: v.error } : {}) });
      continue;
    }
    const judged = await judge(runDir).then(
      (j): { report?: Report; error?: string } => ({ report: j.report }),
      (error: unknown) => ({ error: `its run could not be judged: ${(error as Error).message}` }),
    );
    variants.push({ record: v, runDir, ...judged });
  }
  let comparison: { runDir: string; report?: Report; error?: string; changes?: readonly ChangeRecord[] } | undefined;
  if (record.comparison !== undefined) {
    const runDir = comparisonDir(topDir);
    const changes = record.comparison.changes !== undefined ? { changes: record.comparison.changes } : {};
    if (!record.comparison.ran) comparison = { runDir, ...changes, error: record.comparison.error ?? 'it did not run' };
    else {
      comparison = await judge(runDir).then(
        (j) => ({ runDir, ...changes, report: j.report }),
        (error: unknown) => ({ runDir, ...changes, error: `its run could not be judged: ${(error as Error).message}` }),
      );
    }
  }
  const merged = mergeExploration({
    base: base.report,
    record,
    variants,
    ...(comparison !== undefined ? { comparison } : {}),
    failOn: base.report.summary.failOn,
  });
  await writeReport(merged, top.reportPath);
  printReport(merged, top.reportPath, options.format, policy, io);
  return { exitCode: merged.summary.exitCode, report: merged, reportPath: top.reportPath };
}
