/**
 * The last step of `analyze`: report.json written whole (to a temporary name,
 * then renamed, so an interrupted write never leaves half a report), and the
 * report rendered in the format asked for.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { RuleInfo } from '../policy/compile-policy.js';
import type { Report } from './report.js';
import { renderSarif } from './render-sarif.js';
import { renderText } from './render-text.js';

export type ReportFormat = 'text' | 'json' | 'sarif';

export async function writeReport(report: Report, file: string): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(report, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}

/** The report as printed: text for people, report.json itself, or SARIF with script paths relative to `cwd`. */
export function renderReport(report: Report, format: ReportFormat, rules: readonly RuleInfo[], cwd: string): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'sarif') return renderSarif(report, rules, cwd);
  return renderText(report);
}
