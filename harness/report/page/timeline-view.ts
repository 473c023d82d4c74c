/**
 * The run on one time axis: each phase (its script's process from start to
 * end), each finding at the time of its call, and each process's lifetime.
 * Times are the trace's own (`-ttt`), shown from its first event.
 */
import { clip, h, s, section } from './dom.js';
import { actorOf, lifetime } from './process-view.js';
import type { PageReport } from './report-data.js';
import type { Selection } from './selection.js';

const WIDTH = 1000;
const LEFT = 170;
const ROW = 18;
const MAX_ROWS = 80;

function msLabel(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function timelineView(report: PageReport, selection: Selection): HTMLElement | undefined {
  const tree = report.processTree;
  if (tree?.firstTime === undefined || tree.lastTime === undefined) return undefined;
  const t0 = tree.firstTime;
  const span = Math.max(tree.lastTime - t0, 1e-6);
  const x = (t: number): number => LEFT + ((t - t0) / span) * (WIDTH - LEFT - 40);
  const procs = tree.processes.filter((p) => p.start.time !== undefined).slice(0, MAX_ROWS);
  const scripts = tree.processes.filter((p) => p.script);
  const rows = 2 + procs.length;
  const svg = s('svg', {
    class: 'timeline',
    width: WIDTH,
    height: (rows + 1) * ROW + 24,
    role: 'img',
    'aria-label': 'timeline of phases, findings and processes',
  });
  // Axis: five ticks from the first event to the last.
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (span * i) / 4;
    svg.append(
      s('line', { class: 'tick', x1: x(t), x2: x(t), y1: 0, y2: (rows + 1) * ROW }),
      s('text', { class: 'tick-label', x: x(t), y: (rows + 1) * ROW + 14 }, msLabel((t - t0) * 1000)),
    );
  }
  // Phases: the control script's process from its start to its exit.
  const phaseName = report.phases[0]?.phase ?? 'script';
  svg.append(s('text', { class: 'row-label', x: 4, y: ROW - 5 }, `phase ${phaseName}`));
  for (const p of scripts) {
    const end = p.exit?.time ?? tree.lastTime;
    svg.append(
      s(
        'rect',
        { class: 'phase-bar', x: x(p.start.time ?? t0), y: 3, width: Math.max(2, x(end) - x(p.start.time ?? t0)), height: ROW - 6 },
        s('title', {}, `${phaseName}: ${lifetime(p.start.time, end) ?? ''}`),
      ),
    );
  }
  // Findings at the time of their call.
  svg.append(s('text', { class: 'row-label', x: 4, y: 2 * ROW - 5 }, 'findings'));
  const markers = new Map<number, SVGElement>();
  report.findings.forEach((f, i) => {
    const t = typeof f.detail?.time === 'number' ? f.detail.time : undefined;
    if (t === undefined) return;
    const m = s('circle', { class: `marker sev-${f.severity}`, cx: x(t), cy: ROW * 1.5, r: 5, 'data-index': i }, s('title', {}, `${f.rule}: ${f.message}`));
    m.addEventListener('click', () => selection.select(i));
    markers.set(i, m);
    svg.append(m);
  });
  // Every process's lifetime.
  const bars = new Map<number, SVGElement>();
  procs.forEach((p, r) => {
    const y = (r + 2) * ROW;
    const start = p.start.time ?? t0;
    const end = p.exit?.time ?? tree.lastTime ?? start;
    const first = p.execs.find((e) => e.ok);
    const label = `${p.pid} ${first ? first.path.slice(first.path.lastIndexOf('/') + 1) : '(fork)'}`;
    svg.append(s('text', { class: 'row-label', x: 4, y: y + ROW - 5 }, clip(label, 24)));
    const bar = s(
      'rect',
      { class: `life origin-${p.origin}${p.exit === undefined ? ' open' : ''}`, x: x(start), y: y + 4, width: Math.max(2, x(end) - x(start)), height: ROW - 8 },
      s('title', {}, `pid ${p.pid}: ${lifetime(start, p.exit?.time) ?? 'still running at the end'}`),
    );
    bars.set(p.id, bar);
    svg.append(bar);
    for (const e of p.execs) if (e.time !== undefined) svg.append(s('line', { class: 'exec-tick', x1: x(e.time), x2: x(e.time), y1: y + 2, y2: y + ROW - 2 }));
  });
  selection.listen((sel) => {
    for (const m of markers.values()) m.classList.remove('selected');
    for (const b of bars.values()) b.classList.remove('selected');
    if (sel === undefined) return;
    markers.get(sel)?.classList.add('selected');
    const f = report.findings[sel];
    const actor = f === undefined ? undefined : actorOf(report, f);
    if (actor !== undefined) bars.get(actor.id)?.classList.add('selected');
  });
  const more = tree.processes.length - procs.length;
  return section(
    'timeline',
    'Timeline',
    h('div', { class: 'timeline-scroll' }, svg),
    more > 0 ? h('p', { class: 'muted' }, `${more} more process(es) not shown.`) : '',
  );
}
