/**
 * The report as one self-contained HTML page (report.html): report.json
 * embedded as data, the page's script and styles inlined (bundled ahead of
 * time: page-assets.generated.ts), no request to any network, so it opens
 * from file:// and travels as a mail attachment. The script draws the page
 * with DOM text nodes only; a Content-Security-Policy lets no other script
 * run and no resource load, and a static summary stands in where scripts do
 * not run (a mail preview).
 */
import { createHash } from 'node:crypto';
import type { Report } from './report.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.generated.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` element: no `<`, `>` or `&`
 * (a script line holding `</script>` cannot end the element), and no line
 * separators some parsers take for line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** What the page says before (or without) its script: verdict, reasons, each finding in a line. */
function staticSummary(report: Report): string {
  const s = report.summary;
  const items = report.findings
    .slice(0, 50)
    .map(
      (f) =>
        `<li>[${escapeHtml(f.severity)}] ${escapeHtml(f.rule)}: ${escapeHtml(f.message)}${f.location ? ` (${escapeHtml(`${f.location.file}:${f.location.line}`)})` : ''}</li>`,
    )
    .join('');
  return [
    `<p><b>Verdict: ${escapeHtml(s.verdict.toUpperCase())}</b> (${s.counts.error} error, ${s.counts.warning} warning, ${s.counts.info} info)</p>`,
    `<ul>${s.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`,
    items === '' ? '' : `<ol>${items}</ol>`,
    '<p>Open this file in a browser with scripts allowed to see the findings with their evidence, the process tree and the timeline.</p>',
  ].join('\n');
}

export function renderHtml(report: Report): string {
  const script = report.phases[0]?.scriptSource ?? report.phases[0]?.script ?? report.inputs.trace;
  const title = `drdsafe: ${report.summary.verdict} \u2014 ${script}`;
  const csp = `default-src 'none'; script-src ${sha256(PAGE_SCRIPT)}; style-src ${sha256(PAGE_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(`${report.tool.name} ${report.tool.version}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    `<body data-verdict="${escapeHtml(report.summary.verdict)}">`,
    `<div id="app">${staticSummary(report)}</div>`,
    `<script type="application/json" id="report-data">${jsonForScript(report)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
