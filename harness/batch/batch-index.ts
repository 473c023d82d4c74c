/**
 * The batch's `index.html` (beside `batch.json`, in the batch's folder): one
 * row a target with its verdict, exit code, time and engine, linking its
 * run's report.html by a relative path, so the folder can be moved or
 * served as it is. Rows come sorted worst verdict first; a click on a
 * column head sorts by it (a small inline script, allowed by its hash in
 * the Content-Security-Policy; without scripts the table still reads).
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeHtml } from '../report/render-html.js';
import { worstExitCode } from '../exit-codes.js';
import type { BatchEntry, TaskResult } from './run-batch.js';
import { verdictCounts } from './summary-table.js';

/** Worst first: what needs looking at heads the list. */
const VERDICT_RANK: Readonly<Record<string, number>> = { error: 0, FAIL: 0, interrupted: 1, indeterminate: 2, unsafe: 3, 'not run': 4, safe: 5, ok: 5 };

export function verdictRank(verdict: string): number {
  return VERDICT_RANK[verdict] ?? 2;
}

export function sortByVerdict<T extends BatchEntry<TaskResult>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => verdictRank(a.verdict) - verdictRank(b.verdict) || a.name.localeCompare(b.name));
}

const SORT_SCRIPT = `for (const th of document.querySelectorAll('th[data-key]')) {
  th.addEventListener('click', () => {
    const body = document.querySelector('tbody');
    const key = th.dataset.key;
    const dir = th.dataset.dir === 'asc' ? 'desc' : 'asc';
    for (const other of document.querySelectorAll('th')) delete other.dataset.dir;
    th.dataset.dir = dir;
    const rows = [...body.rows];
    const value = (row) => row.querySelector('[data-' + key + ']').dataset[key];
    const numeric = key !== 'name' && key !== 'engine';
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return dir === 'asc' ? c : -c;
    });
    for (const row of rows) body.appendChild(row);
  });
}
`;

const STYLE = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}
th[data-key]{cursor:pointer;user-select:none}th[data-dir=asc]::after{content:" \\25B2"}th[data-dir=desc]::after{content:" \\25BC"}
.v-unsafe,.v-error,.v-FAIL{color:#b00020;font-weight:bold}.v-indeterminate,.v-interrupted{color:#a15c00;font-weight:bold}.v-safe,.v-ok{color:#1b5e20}
`;

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export interface BatchIndexOptions {
  /** The folder index.html goes in; report links are relative to it. */
  readonly dir: string;
  readonly title: string;
  readonly wallMs: number;
  readonly startedAt: Date;
}

export function renderBatchIndex(entries: readonly BatchEntry<TaskResult>[], options: BatchIndexOptions): string {
  const csp = `default-src 'none'; script-src ${hash(SORT_SCRIPT)}; style-src ${hash(STYLE)}; base-uri 'none'; form-action 'none'`;
  const rows = sortByVerdict(entries).map((e) => {
    const report = e.runDir === undefined ? undefined : path.relative(options.dir, path.join(e.runDir, 'report.html')).split(path.sep).join('/');
    const name = report === undefined ? escapeHtml(e.name) : `<a href="${escapeHtml(encodeURI(report))}">${escapeHtml(e.name)}</a>`;
    const detail = e.error ?? e.note ?? '';
    return [
      '<tr>',
      `<td data-name="${escapeHtml(e.name)}">${name}</td>`,
      `<td data-verdict="${verdictRank(e.verdict)}" class="v-${escapeHtml(e.verdict.replace(/\s+/g, '-'))}">${escapeHtml(e.verdict)}</td>`,
      `<td data-exit="${e.status === 'not-run' ? -1 : e.exitCode}">${e.status === 'not-run' ? '-' : e.exitCode}</td>`,
      `<td data-ms="${e.ms}">${(e.ms / 1000).toFixed(1)} s</td>`,
      `<td data-engine="${escapeHtml(e.engine ?? '')}">${escapeHtml(e.engine ?? '-')}${e.attempts > 1 ? ' (retried)' : ''}</td>`,
      `<td>${escapeHtml(detail)}</td>`,
      '</tr>',
    ].join('');
  });
  const exit = worstExitCode(entries.map((e) => e.exitCode));
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(options.title)}</h1>`,
    `<p>${entries.length} run(s), started ${escapeHtml(options.startedAt.toISOString())}, ${(options.wallMs / 1000).toFixed(1)} s: ${escapeHtml(verdictCounts(entries))}. Exit code ${exit}.</p>`,
    '<table><thead><tr><th data-key="name">Target</th><th data-key="verdict" data-dir="asc">Verdict</th><th data-key="exit">Exit</th><th data-key="ms">Time</th><th data-key="engine">Engine</th><th>Detail</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    `<script>${SORT_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Writes index.html and batch.json (the entries, without their task results) into `options.dir`; returns index.html's path. */
export async function writeBatchIndex(entries: readonly BatchEntry<TaskResult>[], options: BatchIndexOptions): Promise<string> {
  const file = path.join(options.dir, 'index.html');
  await writeFile(file, renderBatchIndex(entries, options));
  const plain = entries.map(({ result: _result, ...rest }) => ({
    ...rest,
    ...(rest.runDir ? { runDir: path.relative(options.dir, rest.runDir) || '.' } : {}),
  }));
  await writeFile(
    path.join(options.dir, 'batch.json'),
    JSON.stringify(
      { startedAt: options.startedAt.toISOString(), wallMs: options.wallMs, exitCode: worstExitCode(entries.map((e) => e.exitCode)), runs: plain },
      null,
      2,
    ) + '\n',
  );
  return file;
}
