/**
 * The last step of `analyze`: report.json written whole (to a temporary name,
 * then renamed, so an interrupted write never leaves half a report), with
 * report.html and report.junit.xml beside it, and the report rendered in the
 * format asked for.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { RuleInfo } from '../policy/compile-policy.js';
import type { Report } from './report.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderSarif } from './render-sarif.js';
import { renderText } from './render-text.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where a rendering of the report at `reportPath` goes: `report.json` -> `report.html`, `t.report.json` -> `t.report.junit.xml`. */
export function besideReport(reportPath: string, extension: '.html' | '.junit.xml'): string {
  return `${reportPath.replace(/\.json$/i, '')}${extension}`;
}

async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

/** Writes report.json, then report.html and report.junit.xml beside it; returns the three paths. */
export async function writeReport(report: Report, file: string): Promise<{ readonly json: string; readonly html: string; readonly junit: string }> {
  const html = besideReport(file, '.html');
  const junit = besideReport(file, '.junit.xml');
  await writeWhole(file, JSON.stringify(report, null, 2) + '\n');
  await writeWhole(html, renderHtml(report));
  await writeWhole(junit, renderJunit([report]));
  return { json: file, html, junit };
}

/**
 * The report as printed: text for people, report.json itself, SARIF with
 * script paths relative to `cwd`, JUnit XML, or the HTML page. SARIF lists
 * `rules`, or the rules report.json keeps when none are given.
 */
export function renderReport(report: Report, format: ReportFormat, rules: readonly RuleInfo[] | undefined, cwd: string): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'sarif') return renderSarif(report, rules ?? report.policy.rules ?? [], cwd);
  if (format === 'junit') return renderJunit([report]);
  if (format === 'html') return renderHtml(report);
  return renderText(report);
}
