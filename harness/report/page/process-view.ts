/**
 * The process tree: every traced process under its parent (the sandbox's
 * launcher, the control script in the jail and what it started), and beside
 * it the booted system's daemons, which are not traced but are what a
 * finding acts on. Each box shows the process's every exec, its exit and
 * its lifetime; jail, launcher and booted processes have their own colours.
 * Laid out by d3-hierarchy's tidy tree (Reingold-Tilford): boxes of
 * different heights are kept apart by the separation function.
 */
import { stratify, tree } from 'd3-hierarchy';
import type { HierarchyPointNode } from 'd3-hierarchy';
import type { DaemonState } from '../../contract/daemon-state.js';
import type { ProcessNode } from '../process-tree.js';
import { argvText, clip, h, s, section } from './dom.js';
import type { PageFinding, PageReport } from './report-data.js';
import type { Selection } from './selection.js';

/** Boxes drawn; a fork bomb lists the rest in the panel's count. */
const MAX_DRAWN = 300;
const BOX_W = 230;
const COL = 256;
/** The first column holds the two group labels only. */
const GROUP_W = 80;
const LINE = 15;
const PAD = 7;
const GAP = 10;
const EXECS_SHOWN = 4;
const CHARS = 33;

interface Item {
  readonly key: string;
  readonly parentKey?: string;
  readonly proc?: ProcessNode;
  readonly daemon?: DaemonState;
  readonly label?: string;
}

export function lifetime(start?: number, end?: number): string | undefined {
  if (start === undefined || end === undefined) return undefined;
  const ms = (end - start) * 1000;
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function exitText(p: ProcessNode): string {
  if (p.exit === undefined) return 'still running at the end of the trace';
  const how = p.exit.signal !== undefined ? `killed by ${p.exit.signal}` : p.exit.code !== undefined ? `exit ${p.exit.code}` : 'ended';
  return p.exit.outlivedScript ? `${how}, after the script` : how;
}

function name(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** One line per exec: the program's name and its arguments. */
function execLines(p: ProcessNode): string[] {
  const shown = p.execs
    .slice(0, EXECS_SHOWN)
    .map((e) => `${e.ok ? '' : '\u2717 '}${argvText([name(e.path), ...e.argv.slice(1)])}${e.ok ? '' : ` (${e.errno ?? 'failed'})`}`);
  const more = p.execs.length - shown.length + (p.moreExecs ?? 0);
  if (shown.length === 0) shown.push(`(forked) ${argvText(p.argv.slice(0, 4))}`);
  if (more > 0) shown.push(`+${more} more exec${more === 1 ? '' : 's'}`);
  return shown;
}

function lines(item: Item): string[] {
  const p = item.proc;
  if (p !== undefined) {
    const life = lifetime(p.start.time, p.exit?.time);
    return [`pid ${p.pid}${p.script ? ' \u2022 control script' : ''} \u2022 ${exitText(p)}${life ? ` \u2022 ${life}` : ''}`, ...execLines(p)];
  }
  const d = item.daemon;
  if (d !== undefined) {
    const state = `${d.aliveBefore === false ? 'not running' : 'running'} \u2192 ${d.aliveAfter === false ? 'gone' : d.aliveAfter === undefined ? '?' : 'running'}`;
    return [`${d.name} \u2022 pid ${d.nsPid ?? d.pid}`, state, ...(d.endpoints.length > 0 ? [d.endpoints.join(' ')] : [])];
  }
  return [item.label ?? ''];
}

function boxHeight(item: Item): number {
  return lines(item).length * LINE + PAD * 2 - 2;
}

function classOf(item: Item): string {
  if (item.proc !== undefined)
    return `proc origin-${item.proc.origin}${item.proc.exit?.outlivedScript || (item.proc.exit === undefined && item.proc.origin === 'runcmd') ? ' outlived' : ''}`;
  if (item.daemon !== undefined) return `proc origin-booted daemon${item.daemon.aliveBefore !== false && item.daemon.aliveAfter === false ? ' died' : ''}`;
  return 'group';
}

function items(report: PageReport): { list: Item[]; hidden: number } {
  const procs = report.processTree?.processes ?? [];
  const drawn = procs.slice(0, MAX_DRAWN);
  const ids = new Set(drawn.map((p) => p.id));
  const list: Item[] = [{ key: 'root' }];
  list.push({ key: 'traced', parentKey: 'root', label: 'traced' });
  for (const p of drawn) list.push({ key: `p${p.id}`, parentKey: p.parent !== undefined && ids.has(p.parent) ? `p${p.parent}` : 'traced', proc: p });
  const daemons = report.groundTruth?.daemons ?? [];
  if (daemons.length > 0) {
    list.push({ key: 'booted', parentKey: 'root', label: 'booted' });
    daemons.forEach((d, i) => list.push({ key: `d${i}`, parentKey: 'booted', daemon: d }));
  }
  return { list, hidden: procs.length - drawn.length + Math.max(0, (report.processTree?.total ?? 0) - procs.length) };
}

/** The process a finding's call came from: the one with its pid alive at the call's trace line. */
export function actorOf(report: PageReport, f: PageFinding): ProcessNode | undefined {
  const procs = report.processTree?.processes ?? [];
  const line = f.event?.line;
  const same = procs.filter((p) => p.pid === f.process.pid);
  if (line === undefined) return same.find((p) => p.script) ?? same[0];
  return same.find((p) => p.start.line <= line && (p.exit === undefined || p.exit.line >= line)) ?? same[0];
}

/** Keys of the boxes a finding acts on: a traced process, or a booted daemon by pid or by the endpoint it serves. */
function targetKeys(report: PageReport, f: PageFinding): string[] {
  const keys: string[] = [];
  const t = f.detail?.signal?.target ?? f.detail?.change?.target ?? f.detail?.subject?.target;
  const daemons = report.groundTruth?.daemons ?? [];
  if (t?.kind === 'process') {
    daemons.forEach((d, i) => {
      if (d.nsPid === t.nsPid || (t.pid !== undefined && d.pid === t.pid)) keys.push(`d${i}`);
    });
    if (keys.length === 0 && t.pid !== undefined) {
      const hit = (report.processTree?.processes ?? []).filter((p) => p.pid === t.pid && p.start.line <= (f.event?.line ?? Infinity));
      const last = hit.at(-1);
      if (last !== undefined) keys.push(`p${last.id}`);
    }
  }
  if (t?.kind === 'all') daemons.forEach((_, i) => keys.push(`d${i}`));
  const server = f.detail?.socket?.endpoint.server ?? f.detail?.ipc?.server;
  if (server !== undefined) daemons.forEach((d, i) => d.name === server && keys.push(`d${i}`));
  return keys;
}

function details(report: PageReport, item: Item | undefined, selection: Selection): (Node | string)[] {
  const p = item?.proc;
  const d = item?.daemon;
  if (p !== undefined) {
    const own = report.findings.map((f, i) => [f, i] as const).filter(([f]) => actorOf(report, f)?.id === p.id);
    return [
      h(
        'h3',
        {},
        `pid ${p.pid}`,
        p.nsPid !== undefined && p.nsPid !== p.pid ? ` (pid ${p.nsPid} in the jail)` : '',
        ` \u2022 ${p.origin}`,
        p.script ? ' \u2022 the control script' : '',
      ),
      h(
        'p',
        {},
        `started by ${p.start.syscall} at trace line ${p.start.line}`,
        p.start.scriptLine !== undefined ? `, script line ${p.start.scriptLine}` : '',
        p.parentPid !== undefined ? `, parent pid ${p.parentPid}` : '',
      ),
      h(
        'p',
        {},
        exitText(p),
        p.exit ? ` at trace line ${p.exit.line}` : '',
        lifetime(p.start.time, p.exit?.time) ? `, lived ${lifetime(p.start.time, p.exit?.time) ?? ''}` : '',
      ),
      h(
        'ol',
        { class: 'execs' },
        ...p.execs.map((e) =>
          h(
            'li',
            { class: e.ok ? '' : 'failed' },
            h('code', {}, argvText(e.argv.length > 0 ? e.argv : [e.path])),
            ` \u2014 ${e.path}, trace line ${e.line}`,
            e.scriptLine !== undefined ? `, script line ${e.scriptLine}` : '',
            e.ok ? '' : `, failed: ${e.errno ?? '?'}`,
          ),
        ),
      ),
      p.moreExecs ? h('p', { class: 'muted' }, `${p.moreExecs} more execs in the trace`) : '',
      own.length > 0
        ? h(
            'p',
            {},
            'findings: ',
            ...own.map(([f, i]) => {
              const b = h('button', { type: 'button', class: `sev-${f.severity}` }, `${f.rule} (line ${f.location?.line ?? '?'})`);
              b.addEventListener('click', () => selection.select(i));
              return b;
            }),
          )
        : '',
    ];
  }
  if (d !== undefined) {
    const witnessed = (report.groundTruth?.witness ?? []).filter((w) => w.daemon === d.name);
    return [
      h('h3', {}, `${d.name} \u2022 booted daemon, pid ${d.nsPid ?? d.pid}`),
      h(
        'p',
        {},
        `before the script: ${d.aliveBefore === false ? 'not running' : 'running'}; after: ${d.aliveAfter === false ? 'no longer running' : 'running'}`,
      ),
      d.endpoints.length > 0 ? h('p', {}, 'serves ', h('code', {}, d.endpoints.join(', '))) : '',
      witnessed.length > 0
        ? h(
            'ul',
            {},
            ...witnessed.map((w) =>
              h('li', {}, `witness.jsonl:${w.line}: ${w.event}${w.signal ? ` ${w.signal}` : ''}${w.senderPid !== undefined ? ` from pid ${w.senderPid}` : ''}`),
            ),
          )
        : h('p', { class: 'muted' }, 'its witness recorded nothing'),
    ];
  }
  return [h('p', { class: 'muted' }, 'Select a process, or a finding to see the process behind it.')];
}

export function processView(report: PageReport, selection: Selection): HTMLElement {
  const { list, hidden } = items(report);
  const byKey = new Map(list.map((i) => [i.key, i]));
  const root = stratify<Item>()
    .id((d) => d.key)
    .parentId((d) => d.parentKey)(list);
  const height = (n: { data: Item }): number => boxHeight(n.data);
  tree<Item>()
    .nodeSize([1, COL])
    .separation((a, b) => (height(a) + height(b)) / 2 + GAP)(root);
  const laid = root as HierarchyPointNode<Item>;
  const nodes = laid.descendants().filter((n) => n.depth > 0);
  const top = Math.min(...nodes.map((n) => n.x - height(n) / 2)) - GAP;
  const bottom = Math.max(...nodes.map((n) => n.x + height(n) / 2)) + GAP;
  const depth = Math.max(...nodes.map((n) => n.depth));
  const X = (n: HierarchyPointNode<Item>): number => (n.depth === 1 ? 4 : GROUP_W + (n.depth - 2) * COL);
  const Y = (n: HierarchyPointNode<Item>): number => n.x - top;
  const svg = s('svg', { class: 'tree', width: GROUP_W + (depth - 2) * COL + BOX_W + 8, height: bottom - top, role: 'img', 'aria-label': 'process tree' });
  for (const n of nodes) {
    const parent = n.parent;
    if (parent === null || parent.depth === 0) continue;
    const x0 = X(parent) + (parent.depth === 1 ? GROUP_W - 30 : BOX_W);
    const x1 = X(n);
    const xm = (x0 + x1) / 2;
    svg.append(s('path', { class: 'link', d: `M${x0},${Y(parent)} C${xm},${Y(parent)} ${xm},${Y(n)} ${x1},${Y(n)}` }));
  }
  const boxes = new Map<string, SVGGElement>();
  for (const n of nodes) {
    const item = n.data;
    const text = lines(item);
    const hgt = height(n);
    const g = s('g', { class: classOf(item), 'data-key': item.key, transform: `translate(${X(n)},${Y(n) - hgt / 2})` });
    if (item.proc !== undefined) {
      g.setAttribute('data-pid', String(item.proc.pid));
      if (item.proc.script) g.setAttribute('data-script', '');
    }
    if (item.daemon !== undefined) g.setAttribute('data-daemon', item.daemon.name);
    g.append(s('title', {}, item.proc ? item.proc.execs.map((e) => argvText(e.argv)).join('\n') || argvText(item.proc.argv) : text.join('\n')));
    if (item.proc !== undefined || item.daemon !== undefined) g.append(s('rect', { width: BOX_W, height: hgt, rx: 4 }));
    text.forEach((t, i) => g.append(s('text', { x: 6, y: PAD + 10 + i * LINE, class: i === 0 ? 'head' : '' }, clip(t, CHARS + (i === 0 ? 4 : 0)))));
    boxes.set(item.key, g);
    svg.append(g);
  }
  const scroller = h('div', { class: 'tree-scroll' }, svg);
  const panel = h('div', { class: 'proc-details', id: 'process-details' }, ...details(report, undefined, selection));
  const show = (item: Item | undefined): void => panel.replaceChildren(...details(report, item, selection));
  for (const [key, g] of boxes) {
    const item = byKey.get(key);
    if (item?.proc === undefined && item?.daemon === undefined) continue;
    g.addEventListener('click', () => {
      for (const b of boxes.values()) b.classList.remove('picked');
      g.classList.add('picked');
      show(item);
    });
  }
  selection.listen((sel) => {
    for (const b of boxes.values()) b.classList.remove('hl-actor', 'hl-target', 'picked');
    const f = sel === undefined ? undefined : report.findings[sel];
    if (f === undefined) return;
    const actor = actorOf(report, f);
    const g = actor === undefined ? undefined : boxes.get(`p${actor.id}`);
    g?.classList.add('hl-actor');
    for (const k of targetKeys(report, f)) boxes.get(k)?.classList.add('hl-target');
    show(actor === undefined ? undefined : byKey.get(`p${actor.id}`));
    if (g !== undefined) {
      const box = g.getBBox();
      const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '');
      const gx = Number(m?.[1] ?? 0);
      const gy = Number(m?.[2] ?? 0);
      // Scrolled only along an axis where it is out of view, and then centred there.
      const outX = gx < scroller.scrollLeft || gx + BOX_W > scroller.scrollLeft + scroller.clientWidth;
      const outY = gy < scroller.scrollTop || gy + box.height > scroller.scrollTop + scroller.clientHeight;
      scroller.scrollTo({
        left: outX ? Math.max(0, gx + BOX_W / 2 - scroller.clientWidth / 2) : scroller.scrollLeft,
        top: outY ? Math.max(0, gy + box.height / 2 - scroller.clientHeight / 2) : scroller.scrollTop,
      });
    }
  });
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'swatch origin-runcmd' }),
    ' jail (runcmd) ',
    h('span', { class: 'swatch origin-sandbox' }),
    ' sandbox launcher ',
    h('span', { class: 'swatch origin-booted' }),
    ' booted daemon (not traced) ',
    h('span', { class: 'swatch hl-actor' }),
    ' selected finding\u2019s process ',
    h('span', { class: 'swatch hl-target' }),
    ' what it acted on',
  );
  const total = report.processTree?.total;
  const note =
    report.processTree === undefined
      ? h('p', { class: 'muted' }, 'This report has no process tree (written before drdsafe kept one): run `drdsafe analyze` on the run directory again.')
      : hidden > 0
        ? h('p', { class: 'muted' }, `${hidden} more process(es) not drawn (${total ?? '?'} in the trace).`)
        : '';
  return section('processes', `Process tree (${total ?? 0} traced)`, legend, note, scroller, panel);
}
