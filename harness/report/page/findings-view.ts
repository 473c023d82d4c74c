/**
 * Every finding as a card a reviewer can check without the JSON: rule,
 * severity, seed section, message, the script excerpt with its line marked,
 * the syscall line(s) that prove it, the witness's confirmation, and the
 * session context (phase, product, fileset, variant) when the report has it.
 * Filters by severity and rule; a click selects the finding (its process is
 * then highlighted in the tree).
 */
import { argvText, clip, h, section } from './dom.js';
import { CONTEXT_FIELDS, contextText } from './report-data.js';
import type { PageFinding, PageReport } from './report-data.js';
import type { Selection } from './selection.js';

const EXCERPT_AROUND = 3;

/** The script text a finding's line is in: its phase's script, when the line is in that file. */
function scriptLines(report: PageReport, f: PageFinding): readonly string[] | undefined {
  const phase = report.phases.find((p) => p.phase === f.phase) ?? report.phases[0];
  if (phase?.scriptText === undefined || f.location === undefined) return undefined;
  if (phase.script !== undefined && f.location.file !== phase.script) return undefined;
  return phase.scriptText.split('\n');
}

function excerpt(report: PageReport, f: PageFinding): HTMLElement | undefined {
  const at = f.location?.line ?? f.coverage?.line;
  if (at === undefined) return undefined;
  const lines = scriptLines(report, f);
  const rows: [number, string][] = [];
  if (lines !== undefined && at >= 1 && at <= lines.length) {
    for (let n = Math.max(1, at - EXCERPT_AROUND); n <= Math.min(lines.length, at + EXCERPT_AROUND); n++) rows.push([n, lines[n - 1] ?? '']);
  } else {
    rows.push([at, f.location?.source ?? f.coverage?.text ?? '']);
  }
  return h(
    'pre',
    { class: 'excerpt' },
    ...rows.map(([n, text]) => h('span', { class: n === at ? 'line hit' : 'line' }, h('span', { class: 'ln' }, String(n).padStart(4)), ' ', text, '\n')),
  );
}

function row(label: string, ...value: (Node | string)[]): HTMLElement {
  return h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, ...value));
}

function result(f: PageFinding): string {
  const e = f.event;
  if (e === undefined) return '';
  if (e.unfinished === true) return ' (never returned: result unknown)';
  return e.ok ? '' : ` (failed${e.errno ? `: ${e.errno}` : ''})`;
}

function card(report: PageReport, f: PageFinding, index: number, traceName: string): HTMLElement {
  const confirmed = report.groundTruth?.confirmations.filter((c) => c.finding === index) ?? [];
  const context = CONTEXT_FIELDS.map((k) => [k, contextText(k === 'phase' ? f.phase : f[k])] as const).filter(([, v]) => v !== undefined);
  const e = f.event;
  const loc = f.location;
  return h(
    'article',
    {
      class: `finding sev-${f.severity}${f.waived ? ' waived' : ''}`,
      'data-waived': f.waived ? 'true' : 'false',
      'data-index': index,
      'data-rule': f.rule,
      'data-severity': f.severity,
      'data-pid': f.process.pid,
      tabindex: 0,
    },
    h(
      'div',
      { class: 'finding-head' },
      h('span', { class: `sev sev-${f.severity}` }, f.severity),
      h('code', { class: 'rule' }, f.rule),
      f.waived ? h('span', { class: 'waived-badge' }, 'waived') : null,
      h('span', { class: 'ref' }, f.reference),
      ...context.map(([k, v]) => h('span', { class: 'ctx' }, `${k} ${v ?? ''}`)),
    ),
    h('p', { class: 'message' }, f.message),
    h('p', { class: 'rule-title muted' }, f.title),
    f.waived
      ? row(
          'waived',
          `until ${f.waived.expires}, owner ${f.waived.owner} (${f.waived.file}${f.waived.line === undefined ? '' : `:${f.waived.line}`}): ${f.waived.reason}; not counted toward the verdict`,
        )
      : null,
    loc ? row('script', h('code', {}, `${loc.file}:${loc.line}`)) : f.coverage ? row('script', `line ${f.coverage.line}`) : null,
    excerpt(report, f) ?? '',
    loc?.expanded && loc.expanded.trim() !== loc.source?.trim() ? row('ran as', h('code', {}, clip(loc.expanded.trim(), 400))) : null,
    loc?.caveat ? row('caveat', loc.caveat) : null,
    f.coverage
      ? row('coverage', f.coverage.ran === false ? 'did not run' : f.coverage.ran === true ? 'ran' : 'unknown', f.coverage.why ? `: ${f.coverage.why}` : '')
      : null,
    row('process', h('code', {}, `pid ${f.process.pid} ${argvText(f.process.argv) || '(argv unknown)'}`), ` (${f.process.origin})`),
    f.target ? row('target', f.target) : null,
    e
      ? h(
          'div',
          { class: 'syscalls' },
          h('div', { class: 'k' }, `syscall ${e.syscall}${result(f)}`),
          h(
            'pre',
            { class: 'trace' },
            h('span', { class: 'ln' }, `${traceName}:${e.endLine ? `${e.line}-${e.endLine}` : e.line}`),
            ' ',
            clip(e.raw, 2000),
            ...(f.followUps ?? []).flatMap((u) => [
              '\n',
              h('span', { class: 'ln' }, `${traceName}:${u.line} then ${u.signal ?? u.syscall}`),
              ' ',
              clip(u.raw, 600),
            ]),
          ),
        )
      : null,
    confirmed.length > 0
      ? row('witness', h('span', { class: 'confirmed' }, confirmed.map((c) => c.evidence).join('; ')))
      : report.groundTruth
        ? row('witness', h('span', { class: 'muted' }, 'the booted system recorded nothing this finding explains'))
        : null,
    f.fingerprint ? row('fingerprint', h('code', {}, f.fingerprint)) : null,
  );
}

function filters(report: PageReport, apply: () => void): HTMLElement {
  const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
  const boxes = (['error', 'warning', 'info'] as const).map((sev) => {
    const n = report.findings.filter((f) => f.severity === sev).length;
    const input = h('input', { type: 'checkbox', checked: true, 'data-filter-severity': sev, id: `filter-${sev}` });
    input.addEventListener('change', apply);
    return h('label', { class: `sev-filter sev-${sev}` }, input, ` ${sev} (${n})`);
  });
  const select = h('select', { id: 'filter-rule' }, h('option', { value: '' }, 'every rule'), ...rules.map((r) => h('option', { value: r }, r)));
  select.addEventListener('change', apply);
  return h('div', { class: 'filters' }, ...boxes, h('label', {}, 'rule ', select), h('span', { class: 'muted', id: 'filter-shown' }));
}

export function findingsView(report: PageReport, selection: Selection): HTMLElement {
  const traceName = report.inputs.runDir ? 'trace.txt' : report.inputs.trace;
  const cards = report.findings.map((f, i) => card(report, f, i, traceName));
  const list = h('div', { class: 'finding-list' }, ...cards);
  // The filters call apply on change; apply reads them (a function declaration, so both can name each other).
  const bar = filters(report, apply);
  function apply(): void {
    const sevs = new Set(
      [...bar.querySelectorAll<HTMLInputElement>('input[data-filter-severity]')].filter((i) => i.checked).map((i) => i.dataset['filterSeverity']),
    );
    const rule = bar.querySelector<HTMLSelectElement>('#filter-rule')?.value ?? '';
    let shown = 0;
    cards.forEach((c, i) => {
      const f = report.findings[i];
      const visible = f !== undefined && sevs.has(f.severity) && (rule === '' || f.rule === rule);
      c.hidden = !visible;
      if (visible) shown++;
    });
    const counter = bar.querySelector('#filter-shown');
    if (counter) counter.textContent = `${shown} of ${cards.length} shown`;
    if (selection.finding !== undefined && cards[selection.finding]?.hidden) selection.select(undefined);
  }
  cards.forEach((c, i) => {
    const pick = (): void => selection.select(selection.finding === i ? undefined : i);
    c.addEventListener('click', pick);
    c.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        pick();
      }
    });
  });
  selection.listen((sel) => {
    cards.forEach((c, i) => c.classList.toggle('selected', i === sel));
    if (sel !== undefined) cards[sel]?.scrollIntoView({ block: 'nearest' });
  });
  apply();
  return section('findings', `Findings (${report.findings.length})`, bar, report.findings.length === 0 ? h('p', { class: 'muted' }, 'No finding.') : list);
}
