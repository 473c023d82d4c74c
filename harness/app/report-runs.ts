/**
 * `drdsafe report DIR...`: renders stored runs again in any format without
 * running anything. Each directory is read through the run contract
 * (`readRunDir`) and its report.json through its checked reader; a run
 * directory whose analysis never wrote report.json is analysed first with
 * the built-in policy (nothing runs: the trace is read as stored).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readRunDir, runFile } from '../contract/read-run-dir.js';
import { readStoredReport } from '../report/read-report.js';
import { renderReports } from '../report/render-reports.js';
import type { NamedReport } from '../report/render-reports.js';
import type { Report } from '../report/report.js';
import type { ReportFormat } from '../report/write-report.js';
import { analyzeRunDir } from './analyze-run.js';
import type { CliIo } from './io.js';
import { discard } from './io.js';

export interface ReportRunsOptions {
  readonly format: ReportFormat;
}

const NOT_A_RUN_HINT = 'give a run directory made by `drdsafe run` (it holds trace.txt, run.json and report.json)';

async function reportOf(dir: string, io: CliIo): Promise<Report> {
  const target = path.resolve(io.cwd, dir);
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) throw new UserError('INPUT_NOT_FOUND', `no such run directory: ${dir}`, { hint: NOT_A_RUN_HINT });
  if (!info.isDirectory()) throw new UserError('INPUT_INVALID', `not a run directory: ${dir} is a file`, { hint: NOT_A_RUN_HINT });
  const run = await readRunDir(target);
  const reportPath = runFile(target, 'report');
  const stored = await stat(reportPath).catch(() => undefined);
  if (stored?.isFile()) return readStoredReport(reportPath);
  if (run.traceBytes === undefined || run.metadata === undefined) {
    throw new UserError(
      'INPUT_INVALID',
      `not a run directory: ${dir} has no report.json${run.traceBytes === undefined ? ', no trace.txt' : ''}${run.metadata === undefined ? ', no run.json' : ''}`,
      { hint: NOT_A_RUN_HINT },
    );
  }
  io.stderr.write(
    `report: ${dir} has no report.json: analysing its trace with the built-in policy first (\`drdsafe analyze ${dir} --policy FILE\` for another)\n`,
  );
  const outcome = await analyzeRunDir(target, { format: 'json' }, { ...io, stdout: discard() });
  return outcome.report;
}

/** Prints the runs' reports; returns the worst exit code their verdicts gave (3 indeterminate, 1 unsafe, 0 safe). */
export async function reportRuns(dirs: readonly string[], options: ReportRunsOptions, io: CliIo): Promise<number> {
  const runs: NamedReport[] = [];
  for (const dir of dirs) runs.push({ name: dir, report: await reportOf(dir, io) });
  io.stdout.write(renderReports(runs, options.format, io.cwd));
  return Math.max(0, ...runs.map((r) => r.report.summary.exitCode));
}
