/**
 * What SD's load and remove steps do to an image for one fileset, as tree
 * changes (contract/session-protocol.ts) the runner applies in two rounds:
 * `ops` first, then what `after` makes of their results (log lines that say
 * what was saved or superseded). A plain fileset: its files, then its IPD
 * entry (ipd-ops.ts). A patch (patch-records.ts): the originals of the files
 * it replaces saved first unless PATCH_NOSAVE exists, the patches it
 * supersedes marked so in the IPD with their `.SUPERSEDED` semaphore, and
 * PATCH.log lines; its removal puts the saved originals back and
 * un-supersedes. Pure: the caller supplies the payload bytes and the date.
 */
import type { TreeOp, TreeOpResult } from '../contract/session-protocol.js';
import type { InstallFacts } from './ipd-entry.js';
import { registerOps } from './ipd-ops.js';
import type { Fileset, Product } from './package.js';
import {
  PATCH_LOG,
  PATCH_NOSAVE,
  SAVE_DIR,
  SUPERSEDED_DIR,
  isPatchProduct,
  noSaveWarning,
  notRestoredError,
  notSavedWarning,
  patchLogLine,
  savedCopy,
  supersededFilesets,
} from './patch-records.js';
import { loadOps, removeOps, type PayloadBytes } from './payload-ops.js';
import { message } from './swagent-log.js';

export interface FollowUp {
  /** Changes that depend on the first round's results (logs, semaphores). */
  readonly ops: readonly TreeOp[];
  /** Lines for swagent.log. */
  readonly log: readonly string[];
  /** What was done, for the report (`3 files, 1 original saved`). */
  readonly detail: string;
}

export interface FilesetChange {
  readonly ops: readonly TreeOp[];
  readonly sources: ReadonlyMap<string, Buffer>;
  /** Given one result per op of `ops`, in order. */
  readonly after: (results: readonly TreeOpResult[]) => FollowUp;
}

export interface ChangeContext {
  readonly date: Date;
  /** Where the runner finds sent files, and the prefix of this fileset's names there. */
  readonly sourceDir: string;
  readonly sourcePrefix: string;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function counts(fileset: Fileset): string {
  const files = fileset.payload.filter((e) => e.type !== 'd').length;
  return plural(files, 'file');
}

/** The load step of one fileset, and its IPD entry (state `installed`, or `configured` for a baseline whose configure ran). */
export function installChange(product: Product, fileset: Fileset, bytes: PayloadBytes, facts: InstallFacts, ctx: ChangeContext): FilesetChange {
  const load = loadOps(fileset, bytes, ctx.sourceDir, ctx.sourcePrefix);
  if (!isPatchProduct(product)) {
    return {
      ops: [...load.ops, ...registerOps(product, fileset, facts)],
      sources: load.sources,
      after: () => ({ ops: [], log: [], detail: `${counts(fileset)} loaded` }),
    };
  }
  const me = `${product.tag}.${fileset.tag}`;
  const saves: TreeOp[] = fileset.payload
    .filter((e) => e.type === 'f')
    .map((e) => ({ op: 'copy', path: e.path, to: savedCopy(product, fileset, e.path), unless: PATCH_NOSAVE }));
  const superseded = supersededFilesets(fileset);
  const marks: TreeOp[] = superseded.map((s) => ({
    op: 'set-attributes',
    path: `/var/adm/sw/products/${s.product}/${s.fileset ?? fileset.tag}/INDEX`,
    set: { patch_state: 'superseded', superseded_by: me },
  }));
  const ops = [...saves, ...load.ops, ...registerOps(product, fileset, facts, { state: 'applied' }), ...marks];
  return {
    ops,
    sources: load.sources,
    after: (results) => {
      const log: string[] = [];
      const saveResults = results.slice(0, saves.length);
      if (saveResults.includes('skipped')) log.push(...message('WARNING', noSaveWarning(product.tag)));
      saveResults.forEach((r, i) => {
        if (r === 'absent') log.push(...message('WARNING', notSavedWarning((saves[i] as { path: string }).path)));
      });
      const follow: TreeOp[] = [];
      const lines: string[] = [];
      const markResults = results.slice(results.length - marks.length);
      superseded.forEach((s, i) => {
        if (markResults[i] !== 'done') return;
        follow.push({ op: 'text', path: `${SUPERSEDED_DIR}/${s.product}`, text: `${product.tag}\n` });
        lines.push(patchLogLine(s.product, { supersededBy: product.tag }, ctx.date));
        log.push(...message('NOTE', `The patch "${s.product}" is superseded by "${product.tag}".`));
      });
      lines.push(patchLogLine(product.tag, 'Installed', ctx.date));
      follow.push({ op: 'append', path: PATCH_LOG, text: lines.join('\n') + '\n' });
      const saved = saveResults.filter((r) => r === 'done').length;
      const supersededDone = superseded.filter((_, i) => markResults[i] === 'done').map((s) => s.product);
      return {
        ops: follow,
        log,
        detail: `${counts(fileset)} loaded, ${plural(saved, 'original')} saved${saveResults.includes('skipped') ? ' (PATCH_NOSAVE)' : ''}${supersededDone.length > 0 ? `; supersedes ${supersededDone.join(', ')}` : ''}`,
      };
    },
  };
}

/**
 * The remove step of one fileset: its files (a patch's originals put back).
 * Its IPD entry stays until the session's end (`unregisterOps`): the
 * postremove scripts that run after the files are removed live there.
 */
export function removeChange(product: Product, fileset: Fileset, ctx: ChangeContext): FilesetChange {
  if (!isPatchProduct(product)) {
    return { ops: removeOps(fileset), sources: new Map(), after: () => ({ ops: [], log: [], detail: `${counts(fileset)} removed` }) };
  }
  // A patch's removal puts the saved originals back (white paper 1.8); a file with none saved was the patch's own, and goes.
  const regular = fileset.payload.filter((e) => e.type === 'f');
  const restores: TreeOp[] = regular.map((e) => ({ op: 'copy', path: savedCopy(product, fileset, e.path), to: e.path }));
  const others = removeOps({ ...fileset, payload: fileset.payload.filter((e) => e.type !== 'f') });
  const superseded = supersededFilesets(fileset);
  const unmarks: TreeOp[] = superseded.map((s) => ({
    op: 'set-attributes',
    path: `/var/adm/sw/products/${s.product}/${s.fileset ?? fileset.tag}/INDEX`,
    set: { patch_state: 'applied', superseded_by: '' },
  }));
  const ops = [...restores, ...others, { op: 'remove-tree' as const, path: `${SAVE_DIR}/${product.tag}/${fileset.tag}` }, ...unmarks];
  return {
    ops,
    sources: new Map(),
    after: (results) => {
      const log: string[] = [];
      const follow: TreeOp[] = [];
      const lines: string[] = [];
      results.slice(0, restores.length).forEach((r, i) => {
        if (r !== 'absent') return;
        const file = regular[i]!.path;
        log.push(...message('WARNING', notRestoredError(file, product.tag)));
        follow.push({ op: 'remove', path: file });
      });
      const unmarkResults = results.slice(results.length - unmarks.length);
      superseded.forEach((s, i) => {
        if (unmarkResults[i] !== 'done') return;
        follow.push({ op: 'remove', path: `${SUPERSEDED_DIR}/${s.product}` });
        lines.push(patchLogLine(s.product, 'Un-Superseded', ctx.date));
      });
      lines.push(patchLogLine(product.tag, 'Removed', ctx.date));
      follow.push({ op: 'append', path: PATCH_LOG, text: lines.join('\n') + '\n' });
      const restored = results.slice(0, restores.length).filter((r) => r === 'done').length;
      return { ops: follow, log, detail: `${counts(fileset)} removed, ${plural(restored, 'original')} put back` };
    },
  };
}
