/**
 * The HTML report's script, bundled into the page by scripts/report-page.ts:
 * reads report.json from the page and draws every section. Works from
 * file:// with no network: everything it needs is in the page.
 */
import { h } from './dom.js';
import { bootedView } from './booted-view.js';
import { coverageView } from './coverage-view.js';
import { gapsView, otherSections } from './extra-view.js';
import { findingsView } from './findings-view.js';
import { processView } from './process-view.js';
import { readReportData } from './report-data.js';
import { Selection } from './selection.js';
import { summaryView } from './summary-view.js';
import { timelineView } from './timeline-view.js';

function start(): void {
  const app = document.getElementById('app');
  if (app === null) return;
  try {
    const report = readReportData('report-data');
    const selection = new Selection();
    const sections = [
      ['findings', 'Findings'],
      ['processes', 'Processes'],
      ['timeline', 'Timeline'],
      ['booted', 'Booted system'],
      ['coverage', 'Coverage'],
      ['gaps', 'Gaps'],
      ['other', 'More'],
    ] as const;
    const main = h(
      'div',
      { class: 'main' },
      h('div', { class: 'col-findings' }, findingsView(report, selection)),
      h('div', { class: 'col-tree' }, processView(report, selection)),
    );
    const rest = [timelineView(report, selection), bootedView(report), coverageView(report), gapsView(report), otherSections(report)].filter(
      (x) => x !== undefined,
    );
    const present = new Set(['findings', 'processes', ...rest.map((r) => r.id)]);
    const nav = h('nav', {}, ...sections.filter(([id]) => present.has(id)).map(([id, label]) => h('a', { href: `#${id}` }, label)));
    app.replaceChildren(summaryView(report), nav, main, ...rest);
    document.body.dataset['ready'] = 'true';
  } catch (error) {
    app.replaceChildren(h('p', { class: 'error' }, `This report could not be drawn: ${String(error)}`));
    document.body.dataset['ready'] = 'error';
  }
}

start();
