/**
 * What the booted system witnessed: its tree's changes (added, modified,
 * deleted paths), its daemons before and after the script, the signals and
 * requests they received, and whatever no finding explains.
 */
import { h, section } from './dom.js';
import type { PageReport } from './report-data.js';

function pathList(title: string, kind: string, paths: readonly string[]): HTMLElement | string {
  if (paths.length === 0) return '';
  return h(
    'div',
    { class: `diff diff-${kind}` },
    h('h3', {}, `${title} (${paths.length})`),
    h('ul', {}, ...paths.slice(0, 200).map((p) => h('li', {}, h('code', {}, p)))),
    paths.length > 200 ? h('p', { class: 'muted' }, `${paths.length - 200} more`) : '',
  );
}

export function bootedView(report: PageReport): HTMLElement | undefined {
  const gt = report.groundTruth;
  if (gt === undefined) return undefined;
  const diff = gt.bootedDiff;
  const changes = diff.added.length + diff.modified.length + diff.deleted.length;
  return section(
    'booted',
    'Booted system',
    gt.unexplained.length > 0
      ? h('div', { class: 'unexplained' }, h('h3', {}, 'Unexplained'), h('ul', {}, ...gt.unexplained.map((u) => h('li', {}, `${u.kind}: ${u.detail}`))))
      : '',
    h('h3', {}, changes === 0 ? 'Booted tree: unchanged' : `Booted tree: ${changes} path(s) changed`),
    pathList('added', 'added', diff.added),
    pathList('modified', 'modified', diff.modified),
    pathList('deleted', 'deleted', diff.deleted),
    h('h3', {}, 'Daemons'),
    h(
      'table',
      { class: 'daemons' },
      h('thead', {}, h('tr', {}, h('th', {}, 'daemon'), h('th', {}, 'pid'), h('th', {}, 'before'), h('th', {}, 'after'), h('th', {}, 'serves'))),
      h(
        'tbody',
        {},
        ...gt.daemons.map((d) =>
          h(
            'tr',
            { class: d.aliveBefore !== false && d.aliveAfter === false ? 'died' : '' },
            h('td', {}, d.name),
            h('td', { class: 'num' }, d.nsPid ?? d.pid),
            h('td', {}, d.aliveBefore === false ? 'not running' : 'running'),
            h('td', {}, d.aliveAfter === false ? 'gone' : 'running'),
            h('td', {}, h('code', {}, d.endpoints.join(' '))),
          ),
        ),
      ),
    ),
    h('h3', {}, `Witnessed (${gt.witness.length})`),
    gt.witness.length === 0
      ? h('p', { class: 'muted' }, 'No daemon received a signal or request, and no IPC object of theirs was removed.')
      : h(
          'ul',
          { class: 'witness' },
          ...gt.witness.map((w) =>
            h(
              'li',
              {},
              `witness.jsonl:${w.line}: ${w.daemon} ${w.event}${w.signal ? ` ${w.signal}` : ''}${w.endpoint ? ` on ${w.endpoint}` : ''}${w.data !== undefined ? ` ${JSON.stringify(w.data)}` : ''}${w.senderPid !== undefined ? ` from pid ${w.senderPid}` : w.peerPid !== undefined ? ` from pid ${w.peerPid}` : ''}`,
            ),
          ),
        ),
    gt.witnessIssues.length > 0 ? h('p', { class: 'unexplained' }, `${gt.witnessIssues.length} witness line(s) could not be read`) : '',
  );
}
