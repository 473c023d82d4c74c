/**
 * What the trace could not show (gaps, unreadable lines), and any section a
 * newer drdsafe adds to report.json that this page does not draw yet, shown
 * as its data so nothing in the report is hidden.
 */
import { clip, h, section } from './dom.js';
import { KNOWN_SECTIONS } from './report-data.js';
import type { PageReport } from './report-data.js';

export function gapsView(report: PageReport): HTMLElement | undefined {
  if (report.gaps.length === 0 && report.parse.issueCount === 0) return undefined;
  return section(
    'gaps',
    'Gaps in what the trace shows',
    h('ul', {}, ...report.gaps.map((g) => h('li', {}, h('code', {}, g.kind), g.line !== undefined ? ` trace line ${g.line}: ` : ': ', g.message))),
    report.parse.issueCount > 0
      ? h(
          'div',
          {},
          h('h3', {}, `Unreadable trace lines (${report.parse.issueCount})`),
          h('ul', {}, ...report.parse.issues.slice(0, 50).map((i) => h('li', {}, `line ${i.line}: ${i.message}: `, h('code', {}, clip(i.raw, 200))))),
        )
      : '',
  );
}

export function otherSections(report: PageReport): HTMLElement | undefined {
  const keys = Object.keys(report).filter((k) => !KNOWN_SECTIONS.has(k));
  if (keys.length === 0) return undefined;
  return section(
    'other',
    'More in this report',
    ...keys.map((k) =>
      h('details', { 'data-section': k }, h('summary', {}, k), h('pre', { class: 'data' }, clip(JSON.stringify(report[k], null, 2), 200_000))),
    ),
  );
}
