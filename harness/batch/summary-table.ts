/**
 * The table a batch prints at its end: one row a target (verdict, exit
 * code, time, engine, where its report is), then one line of totals and the
 * batch's exit code, the worst of its runs'.
 */
import path from 'node:path';
import { worstExitCode } from '../exit-codes.js';
import { displayPath } from '../display-path.js';
import type { BatchEntry, TaskResult } from './run-batch.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `3 unsafe, 2 safe, 1 error`: verdicts by count, most first. */
export function verdictCounts(entries: readonly BatchEntry<TaskResult>[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.verdict, (counts.get(e.verdict) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
}

export function summaryTable(entries: readonly BatchEntry<TaskResult>[], options: { readonly cwd: string; readonly wallMs: number }): string {
  const rows = [
    ['TARGET', 'VERDICT', 'EXIT', 'TIME', 'ENGINE', 'REPORT'],
    ...entries.map((e) => [
      e.name,
      e.verdict,
      e.status === 'not-run' ? '-' : String(e.exitCode),
      e.status === 'not-run' ? '-' : `${(e.ms / 1000).toFixed(1)} s`,
      e.engine === undefined ? '-' : `${e.engine}${e.attempts > 1 ? ' (retried)' : ''}`,
      e.runDir === undefined ? (e.error ?? '-') : displayPath(options.cwd, path.join(e.runDir, 'report.html')),
    ]),
  ];
  const exit = worstExitCode(entries.map((e) => e.exitCode));
  return `${table(rows)}\n\n${entries.length} run(s) in ${(options.wallMs / 1000).toFixed(1)} s: ${verdictCounts(entries)}; exit code ${exit}\n`;
}
