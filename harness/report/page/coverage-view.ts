/**
 * Script coverage, when the run has it: the script line by line, each
 * command line marked as run, not run (risky ones stand out) or unknown
 * (the shell was not tracing there), with why a line did not run.
 */
import { h, section } from './dom.js';
import type { CoverageLineView, PageReport } from './report-data.js';

function mark(c: CoverageLineView | undefined): string {
  if (c === undefined) return 'plain';
  if (c.ran === true) return 'ran';
  if (c.ran === 'unknown') return 'unknown';
  return c.risky ? 'risky-not-run' : 'not-run';
}

const LABEL: Readonly<Record<string, string>> = { ran: 'ran', unknown: '?', 'risky-not-run': 'RISKY, not run', 'not-run': 'not run', plain: '' };

export function coverageView(report: PageReport): HTMLElement | undefined {
  const cov = report.coverage;
  if (cov === undefined) return undefined;
  if (!cov.available) return section('coverage', 'Script coverage', h('p', { class: 'muted' }, `Not available${cov.reason ? `: ${cov.reason}` : ''}.`));
  const byLine = new Map(cov.lines.map((l) => [l.line, l]));
  const text = report.phases[0]?.scriptText;
  const numbers = text !== undefined ? text.split('\n').map((_, i) => i + 1) : cov.lines.map((l) => l.line);
  const lines = text?.split('\n');
  return section(
    'coverage',
    'Script coverage',
    h(
      'p',
      {},
      `${cov.ranLines} of ${cov.commandLines} command lines ran; ${cov.riskyLines} risky, ${cov.riskyNotRun} of them not run${cov.riskyUnknown > 0 ? `, ${cov.riskyUnknown} unknown` : ''}.`,
    ),
    h(
      'table',
      { class: 'coverage' },
      h(
        'tbody',
        {},
        ...numbers.map((n) => {
          const c = byLine.get(n);
          const m = mark(c);
          return h(
            'tr',
            { class: `cov-${m}`, 'data-line': n },
            h('td', { class: 'ln' }, n),
            h('td', { class: 'cov-mark' }, LABEL[m] ?? ''),
            h('td', {}, h('code', {}, lines?.[n - 1] ?? c?.text ?? '')),
            h('td', { class: 'why' }, c?.why ?? (c?.untraced ? `not traced: ${c.untraced}` : ''), c?.risk ? ` [${c.risk}]` : ''),
          );
        }),
      ),
    ),
  );
}
