/**
 * State shared by the model's syscall handlers: the process table, the run's
 * layout and daemons, and the one place events and gaps leave the model.
 */
import type { FdArg, FdDecoration, TraceEvent } from '../trace/trace-event.js';
import type { EventClass, EventInterest, ModelEvent, ModelGap, TargetProcess } from './model-event.js';
import type { RunMetadata, Tree } from '../contract/run-metadata.js';
import { DEFAULT_XTRACE_MARKER } from '../contract/run-metadata.js';
import { isUnder, PathClassifier, trimSlash } from './classify-path.js';
import { EndpointRegistry } from './endpoint-registry.js';
import type { ProcessState } from './process-state.js';
import { ProcessTable } from './process-table.js';
import { isPlainAbsolute, jailView, procLink, resolveFrom } from './resolve-path.js';
import type { ProcLink } from './resolve-path.js';
import { TargetResolver } from './signal-target.js';
import { AT_FDCWD, fdPath } from './trace-args.js';
import { XtraceReader } from './xtrace-reader.js';
import { ShellCalls } from './shell-lines.js';
import { IpcRegistry } from './ipc-events.js';
import { PayloadPaths } from './payload-paths.js';
import type { Mutable } from '../mutable.js';
import type { CoverageRecorder } from './coverage-recorder.js';

/** Gaps of one kind reported one by one; the rest are counted and summed up at the end. */
const MAX_GAPS_PER_KIND = 100;

export interface ModelOutput {
  event(e: ModelEvent): void;
  gap(g: ModelGap): void;
}

export interface ResolvedPath {
  /** As the process named it. */
  readonly path: string;
  readonly real: string;
  readonly tree: Tree;
  readonly resolvedBy: 'decoration' | 'reconstructed';
  /** Through `/proc/<pid>/root|cwd` of another process: that process. */
  readonly through?: { readonly link: ProcLink; readonly target: TargetProcess };
  /** The real path lies outside the process's root. */
  readonly outsideRoot: boolean;
  /**
   * The path reopens an fd the process already holds (`/dev/stdout`,
   * `/proc/self/fd/1`): its real path may lie outside the root without any escape.
   */
  readonly reopensFd?: boolean;
}

const REOPENS_FD = /^\/(?:dev\/(?:std(?:in|out|err)|fd\/)|proc\/(?:self|thread-self)\/fd\/)/;

type Detail = Omit<ModelEvent, 'seq' | 'class' | 'syscall' | 'ok' | 'line' | 'raw' | 'process'>;

/**
 * Where an event's evidence is: a trace event, or the last line of a process
 * that never ended. `unfinished`: a call whose result the trace never shows.
 */
export type Evidence = Pick<TraceEvent, 'line' | 'endLine' | 'raw' | 'time'> & { readonly unfinished?: boolean };

function wanted(interest: EventInterest, cls: EventClass, detail: Detail): boolean {
  const trees = interest.classes.get(cls);
  if (trees === undefined) return interest.otherClasses;
  if (trees === 'all') return true;
  const tree = detail.fs?.target.tree;
  return tree === undefined || trees.has(tree);
}

/** Two exec paths name the same program for a PATH search: the same base name. */
function sameProgram(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a.slice(a.lastIndexOf('/') + 1) === b.slice(b.lastIndexOf('/') + 1);
}

/** Programs whose exit status 1 says a process list held nothing that matched (`ps -ef | grep -q x`, `pgrep x`). */
const SEARCHES: ReadonlySet<string> = new Set(['grep', 'egrep', 'fgrep', 'pgrep']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The process's argv, or the command its script line ran as, names `path` as a word. */
function namesPath(p: ProcessState, path: string): boolean {
  if (p.argv.indexOf(path) > 0) return true;
  const expanded = p.location?.expanded;
  if (expanded === undefined || !expanded.includes(path)) return false;
  return expanded.split(/\s+/).some((w) => w === path || w === `'${path}'` || w.endsWith(`<${path}`) || w.endsWith(`>${path}`));
}

/** Exec misses held per process before they are reported anyway. */
const MAX_EXEC_MISSES = 64;

export class ModelContext {
  readonly table = new ProcessTable();
  readonly classifier: PathClassifier;
  readonly targets: TargetResolver;
  readonly endpoints: EndpointRegistry;
  readonly xtrace: XtraceReader;
  /** Whose System V IPC objects and POSIX queues are whose. */
  readonly ipc: IpcRegistry;
  /** The programs the package installs. */
  readonly payload: PayloadPaths;
  /** The stand-in programs a variant of branch exploration put in place (`RunMetadata.standins`). */
  readonly standins: PayloadPaths;
  readonly inactive: string;
  readonly booted: string;
  /** The control script's own process has exited. */
  scriptExited = false;
  /** Any chroot seen (decides how the control script is found). */
  chrootSeen = false;
  /** Pid of the first process in the trace (strace's child). */
  firstPid: number | undefined;
  private seq = 0;
  /** Calls of the shell tracing the script, waiting for the stderr write that names their line. */
  readonly shellCalls: ShellCalls;
  private readonly gapCounts = new Map<ModelGap['kind'], number>();

  constructor(
    readonly meta: RunMetadata,
    private readonly out: ModelOutput,
    /** What the consumer can use; events it cannot are counted, not built. Default: every event. */
    private readonly interest?: EventInterest,
    /** Where script coverage is gathered (the lines the xtrace names, the calls that failed on a path). Default: nowhere. */
    readonly coverage?: CoverageRecorder,
  ) {
    this.classifier = new PathClassifier(meta.trees);
    this.targets = new TargetResolver(this.table, meta.daemons);
    this.endpoints = new EndpointRegistry(meta.trees, meta.daemons, this.classifier);
    this.shellCalls = new ShellCalls((e) => this.out.event(e));
    this.ipc = new IpcRegistry(meta.ipc, meta.daemons);
    this.payload = new PayloadPaths(meta.payload);
    this.standins = new PayloadPaths(meta.standins);
    this.xtrace = new XtraceReader(meta.xtraceMarker ?? DEFAULT_XTRACE_MARKER, meta.script?.jailPath, meta.script?.text, meta.xtraceScriptAlias);
    this.inactive = trimSlash(meta.trees.inactive);
    this.booted = trimSlash(meta.trees.booted);
  }

  get events(): number {
    return this.seq;
  }

  emit(p: ProcessState, e: Evidence, cls: EventClass, syscall: string, ok: boolean, detail: Detail, errno?: string): void {
    // An answer the script may have branched on (a missing pid file, a grep that found nothing): coverage
    // explains not-run lines with it, and branch exploration makes it true in a later run.
    if (this.coverage !== undefined && p.origin === 'runcmd') this.recordProbe(p, e, cls, syscall, ok, detail, errno);
    // An exec that missed may be one step of a PATH search (the shell's `not found`, a `write`, ends one).
    const hold =
      cls === 'exec' && !ok && errno === 'ENOENT' && syscall !== 'write' && detail.exec !== undefined && (p.execMisses?.length ?? 0) < MAX_EXEC_MISSES;
    // A miss of another program ends the search before it: one search tries one name.
    if (hold && p.execMisses !== undefined && !sameProgram(p.execMisses[0]?.exec?.path, detail.exec?.path)) this.flushExecMisses(p);
    // Reads do not end a PATH search: ksh93 opens each directory's `.paths` before trying it.
    if (!hold && p.execMisses !== undefined && cls !== 'fs-read') this.flushExecMisses(p, cls === 'exec' && ok ? detail.exec?.path : undefined);
    if (!hold && this.interest !== undefined && !wanted(this.interest, cls, detail)) {
      // Nothing downstream can use it: keep its number, skip the object.
      this.seq++;
      return;
    }
    const location = p.origin === 'runcmd' ? p.location : undefined;
    const phase = this.meta.script?.phase;
    // Built by assignment in a fixed key order (what the object spreads gave, without their temporaries):
    // this runs for every event of the trace.
    // A held miss gets its number when it is reported, so numbers stay contiguous.
    const ev = { seq: hold ? -1 : this.seq++, class: cls, syscall, ok } as Mutable<ModelEvent>;
    if (errno !== undefined) ev.errno = errno;
    if (e.unfinished === true) ev.unfinished = true;
    ev.line = e.line;
    if (e.endLine !== undefined) ev.endLine = e.endLine;
    ev.raw = e.raw;
    const time = e.time;
    if (time !== undefined) ev.time = time;
    ev.process = this.table.info(p);
    if (location !== undefined) ev.location = location;
    if (phase !== undefined) ev.phase = phase;
    for (const key in detail) {
      if (Object.hasOwn(detail, key)) (ev as Record<string, unknown>)[key] = (detail as Record<string, unknown>)[key];
    }
    if (hold) (p.execMisses ??= []).push(ev);
    else this.deliver(p, ev);
  }

  /** What coverage and exploration keep of an event of a runcmd process: failed calls on paths, searches that found nothing, ESRCH to signal 0. */
  private recordProbe(p: ProcessState, e: Evidence, cls: EventClass, syscall: string, ok: boolean, detail: Detail, errno: string | undefined): void {
    const coverage = this.coverage as CoverageRecorder;
    const scriptLine = p.location?.line;
    if (!ok) {
      const target = detail.fs?.target;
      const exec = detail.exec;
      const path = target?.path ?? exec?.path;
      if (path !== undefined) {
        const real = target?.real ?? exec?.realPath;
        const jailPath = real === undefined ? undefined : jailView(p.fs.root ?? '/', real);
        // An exec names its program when it is run by that name (a PATH search by execvp tries others).
        const named = exec !== undefined ? exec.argv[0] === path : namesPath(p, path);
        coverage.failed({
          ...(scriptLine === undefined ? {} : { scriptLine }),
          path,
          ...(jailPath === undefined ? {} : { jailPath }),
          syscall,
          ...(errno === undefined ? {} : { errno }),
          traceLine: e.line,
          raw: e.raw,
          pid: p.pid,
          ...(named ? { named: true as const } : {}),
        });
      }
      if (cls === 'signal' && errno === 'ESRCH' && detail.signal?.number === 0 && detail.signal.target.kind === 'process') {
        coverage.noProcess({ pid: detail.signal.target.nsPid, ...(scriptLine === undefined ? {} : { scriptLine }), traceLine: e.line, raw: e.raw });
      }
      return;
    }
    if (cls === 'process-exit' && detail.exit?.code === 1 && SEARCHES.has(baseName(p.argv[0] ?? ''))) {
      coverage.searched({ argv: p.argv, ...(scriptLine === undefined ? {} : { scriptLine }), traceLine: e.line, raw: e.raw });
    }
  }

  /** Hands `ev`, an event of `p`, on: the tracing shell's own calls wait for its next stderr write (shell-lines.ts). */
  private deliver(p: ProcessState, ev: Mutable<ModelEvent>): void {
    if (p.xtraceShell && p.origin === 'runcmd') {
      this.shellCalls.hold(p, ev);
      return;
    }
    this.shellCalls.release();
    this.out.event(ev);
  }

  /**
   * Reports the held exec misses of `p`, unless `found` names the same
   * program (by base name): then they were a PATH search that succeeded.
   */
  flushExecMisses(p: ProcessState, found?: string): void {
    const misses = p.execMisses;
    p.execMisses = undefined;
    if (misses === undefined) return;
    if (found !== undefined && misses.every((m) => sameProgram(m.exec?.path, found))) return;
    for (const m of misses) this.deliver(p, { ...m, seq: this.seq++ });
  }

  gap(kind: ModelGap['kind'], message: string, line?: number): void {
    const n = (this.gapCounts.get(kind) ?? 0) + 1;
    this.gapCounts.set(kind, n);
    if (n <= MAX_GAPS_PER_KIND) this.out.gap({ kind, message, ...(line !== undefined ? { line } : {}) });
  }

  /** One gap per kind that went over the per-kind limit, saying how many were left out. */
  flushGapCounts(): void {
    for (const [kind, n] of this.gapCounts) {
      if (n > MAX_GAPS_PER_KIND) this.out.gap({ kind, message: `${n - MAX_GAPS_PER_KIND} more gaps of this kind not listed` });
    }
  }

  /**
   * The real path behind a path argument: the returned fd's decoration when
   * there is one, else the dirfd's decoration plus the relative path, else
   * the process's root and cwd plus the path.
   */
  resolve(p: ProcessState, path: string, dirfd?: FdArg, returned?: FdDecoration): ResolvedPath {
    const root = p.fs.root ?? '/';
    let base: string;
    let byDecoration = false;
    if (path.startsWith('/')) base = root;
    else {
      const dir = fdPath(dirfd);
      if (dir !== undefined) {
        base = dir;
        byDecoration = true;
      } else base = p.fs.cwd ?? root;
    }
    // A plain absolute path is what the process sees (its jail view) as is: the
    // lexical real path (root + path) is built only when no decoration gives the real one.
    const plain = isPlainAbsolute(path) && (root === '/' || root.charCodeAt(root.length - 1) !== 0x2f);
    const lexical = plain ? undefined : resolveFrom(root, base, path);
    const jail = lexical === undefined ? path : jailView(root, lexical);
    const link = jail === undefined ? undefined : procLink(jail);
    let real: string;
    let through: ResolvedPath['through'];
    if (returned?.kind === 'path') {
      real = returned.path;
      byDecoration = true;
    } else if (link !== undefined && link.kind !== 'fd') {
      // Another process's fd table is not modelled: `/proc/<pid>/fd/<n>` keeps its
      // lexical path (a successful open's decoration gives the real file).
      real = this.followProcLink(p, link);
      byDecoration = false;
    } else {
      real = lexical ?? (root === '/' ? path : root + path);
    }
    if (link !== undefined && !this.isOwn(p, link)) {
      through = { link, target: this.targets.process(p, { value: Number(link.who) }) };
    }
    const outsideRoot = root !== '/' && !isUnder(real, root);
    // By assignment, in the key order the spreads gave: this runs for every path call.
    const out = { path, real, tree: this.classifier.classify(real), resolvedBy: byDecoration ? 'decoration' : 'reconstructed' } as Mutable<ResolvedPath>;
    if (through !== undefined) out.through = through;
    out.outsideRoot = outsideRoot;
    if (outsideRoot && jail !== undefined && REOPENS_FD.test(jail)) out.reopensFd = true;
    return out;
  }

  /** A real path given directly (an fd decoration), seen from process `p`. */
  fromReal(p: ProcessState, real: string): ResolvedPath {
    const root = p.fs.root ?? '/';
    return {
      path: jailView(root, real) ?? real,
      real,
      tree: this.classifier.classify(real),
      resolvedBy: 'decoration',
      outsideRoot: root !== '/' && !isUnder(real, root),
    };
  }

  /** The dirfd is AT_FDCWD with a decoration: that is the process's cwd. */
  learnCwd(p: ProcessState, dirfd: FdArg): void {
    if (dirfd.fd !== AT_FDCWD || dirfd.decoration.kind !== 'path') return;
    if (p.fs.cwd === dirfd.decoration.path) return;
    p.fs.cwd = dirfd.decoration.path;
    this.table.changed();
  }

  private isOwn(p: ProcessState, link: ProcLink): boolean {
    if (link.who === 'self' || link.who === 'thread-self') return true;
    const n = Number(link.who);
    const target = p.inPidNs ? this.table.getNs(n) : this.table.get(n);
    return target !== undefined && target.origin === 'runcmd' && p.origin === 'runcmd';
  }

  /** Where `/proc/<pid>/root|cwd/...` leads when strace gave no decoration. */
  private followProcLink(p: ProcessState, link: ProcLink): string {
    let target: ProcessState | undefined = p;
    if (link.who !== 'self' && link.who !== 'thread-self') {
      const n = Number(link.who);
      target = p.inPidNs ? this.table.getNs(n) : this.table.get(n);
    }
    // Untraced processes of the jail's PID namespace are the booted system's, rooted at the booted tree.
    const fallback = p.inPidNs ? this.booted : '/';
    const root = target?.fs.root ?? fallback;
    const base = link.kind === 'root' ? root : (target?.fs.cwd ?? root);
    return resolveFrom(root, base, `.${link.rest}`);
  }
}
