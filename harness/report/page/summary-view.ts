/**
 * The top of the page: the verdict and why, counts per severity and per
 * rule, script coverage in one line, and the phases that ran.
 */
import { h } from './dom.js';
import { CONTEXT_FIELDS, contextText } from './report-data.js';
import type { PageReport } from './report-data.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

function ruleCounts(report: PageReport): HTMLElement {
  const counts = new Map<string, { severity: string; title: string; n: number }>();
  for (const f of report.findings) {
    const c = counts.get(f.rule) ?? { severity: f.severity, title: f.title, n: 0 };
    c.n++;
    counts.set(f.rule, c);
  }
  const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const rows = [...counts].sort((a, b) => rank(a[1].severity) - rank(b[1].severity) || b[1].n - a[1].n || a[0].localeCompare(b[0]));
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No finding.');
  return h(
    'table',
    { class: 'counts', id: 'rule-counts' },
    h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'severity'), h('th', {}, 'findings'), h('th', {}, 'what it means'))),
    h(
      'tbody',
      {},
      ...rows.map(([rule, c]) =>
        h(
          'tr',
          { 'data-rule': rule },
          h('td', {}, h('code', {}, rule)),
          h('td', {}, h('span', { class: `sev sev-${c.severity}` }, c.severity)),
          h('td', { class: 'num' }, c.n),
          h('td', {}, c.title),
        ),
      ),
    ),
  );
}

function coverageLine(report: PageReport): HTMLElement | undefined {
  const c = report.coverage;
  if (c === undefined) return undefined;
  if (!c.available) return h('p', { class: 'coverage-line' }, 'Script coverage: not available', c.reason ? ` (${c.reason})` : '');
  return h(
    'p',
    { class: 'coverage-line', id: 'coverage-summary' },
    `Script coverage: ${c.ranLines} of ${c.commandLines} command lines ran`,
    c.unknownLines > 0 ? `, ${c.unknownLines} unknown` : '',
    `; risky lines: ${c.riskyLines}, not run: ${c.riskyNotRun}`,
    c.riskyUnknown > 0 ? `, unknown: ${c.riskyUnknown}` : '',
  );
}

function phasesTable(report: PageReport): HTMLElement | undefined {
  if (report.phases.length === 0) return undefined;
  const extra = CONTEXT_FIELDS.filter((k) => k !== 'phase' && report.phases.some((p) => (p as Record<string, unknown>)[k] !== undefined));
  const withOutcome = report.phases.some((p) => (p as Record<string, unknown>)['outcome'] !== undefined);
  return h(
    'table',
    { class: 'phases' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'phase'),
        ...extra.map((k) => h('th', {}, k)),
        h('th', {}, 'script'),
        h('th', {}, 'exit'),
        h('th', {}, 'time'),
        withOutcome ? h('th', {}, 'outcome') : null,
      ),
    ),
    h(
      'tbody',
      {},
      ...report.phases.map((p) => {
        const loose = p as Record<string, unknown>;
        const exit = p.signal ? `killed by ${p.signal}` : p.exitCode === undefined || p.exitCode === null ? '?' : `exit ${p.exitCode}`;
        return h(
          'tr',
          {},
          h('td', {}, p.phase ?? '?'),
          ...extra.map((k) => h('td', {}, contextText(loose[k]) ?? '')),
          h('td', {}, h('code', {}, p.scriptSource ?? p.script ?? '?')),
          h('td', {}, exit, p.limitHit ? `, limit ${p.limitHit}` : '', p.finished === false ? ', did not finish' : ''),
          h('td', { class: 'num' }, p.wallMs === undefined ? '' : `${p.wallMs.toFixed(1)} ms`),
          withOutcome ? h('td', {}, contextText(loose['outcome']) ?? '') : null,
        );
      }),
    ),
  );
}

export function summaryView(report: PageReport): HTMLElement {
  const s = report.summary;
  const script = report.phases[0]?.scriptSource ?? report.phases[0]?.script ?? report.inputs.trace;
  return h(
    'header',
    { class: 'summary' },
    h(
      'div',
      { class: 'title-row' },
      h('div', { class: `verdict verdict-${s.verdict}`, id: 'verdict' }, s.verdict.toUpperCase()),
      h(
        'div',
        { class: 'title' },
        h('h1', {}, 'drdsafe report: ', h('code', {}, script)),
        h(
          'p',
          { class: 'muted' },
          `${report.tool.name} ${report.tool.version}, policy ${report.policy.name ?? 'drd-safe'}${report.policy.version ? ` ${report.policy.version}` : ''}, written ${report.generatedAt}, exit code ${s.exitCode} (fail on ${s.failOn})`,
        ),
      ),
      h(
        'div',
        { class: 'sev-counts', id: 'severity-counts' },
        ...SEVERITIES.map((sev) => h('div', { class: `count sev-${sev}` }, h('b', {}, s.counts[sev]), ` ${sev}`)),
      ),
    ),
    h('ul', { class: 'reasons' }, ...s.reasons.map((r) => h('li', {}, r))),
    coverageLine(report),
    h(
      'div',
      { class: 'two' },
      h('div', {}, h('h3', {}, 'Findings per rule'), ruleCounts(report)),
      h('div', {}, h('h3', {}, 'Phases'), phasesTable(report) ?? h('p', { class: 'muted' }, 'No phase recorded.')),
    ),
  );
}
