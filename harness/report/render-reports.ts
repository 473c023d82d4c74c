/**
 * Several stored runs in one output (`drdsafe report DIR...`): text one
 * after another under their directory, JSON as an array, SARIF as one log
 * with a run each, JUnit as one document with a testsuite each. The HTML
 * page shows one run.
 */
import type { Log } from 'sarif';
import { UserError } from '../errors.js';
import type { Report } from './report.js';
import { renderJunit } from './render-junit.js';
import { renderReport } from './write-report.js';
import type { ReportFormat } from './write-report.js';

export interface NamedReport {
  /** How the run is named in text output: its directory as given. */
  readonly name: string;
  readonly report: Report;
}

export function renderReports(runs: readonly NamedReport[], format: ReportFormat, cwd: string): string {
  const only = runs.length === 1 ? runs[0] : undefined;
  if (only !== undefined) return renderReport(only.report, format, undefined, cwd);
  if (format === 'html') {
    throw new UserError('USAGE', `--format html renders one run directory, got ${runs.length}`, {
      hint: 'each run directory has its own report.html: give them one at a time',
    });
  }
  if (format === 'json')
    return (
      JSON.stringify(
        runs.map((r) => r.report),
        null,
        2,
      ) + '\n'
    );
  if (format === 'junit') return renderJunit(runs.map((r) => r.report));
  if (format === 'sarif') {
    const logs = runs.map((r) => JSON.parse(renderReport(r.report, 'sarif', undefined, cwd)) as Log);
    const first = logs[0];
    if (first === undefined) return '';
    return JSON.stringify({ ...first, runs: logs.flatMap((l) => l.runs) }, null, 2) + '\n';
  }
  return runs.map((r) => `== ${r.name}\n${renderReport(r.report, 'text', undefined, cwd)}`).join('\n');
}
