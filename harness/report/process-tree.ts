/**
 * The process tree of a run as report.json's `processTree` keeps it: every
 * traced process with its parent, where it comes from (the jail, the booted
 * system, the sandbox's launchers), every program it ran, how and when it
 * ended. Gathered from the model's process-start, exec and process-exit
 * events while the trace streams by, so a reader (the HTML page) never
 * parses the trace again. Bounded: a fork bomb lists its first processes and
 * counts the rest.
 */
import type { EventClass, EventInterest, ModelEvent, ProcessOrigin } from '../model/model-event.js';
import type { Tree } from '../contract/run-metadata.js';

/** Processes listed; the rest are counted in `total`. */
const MAX_PROCESSES = 2000;
/** Execs listed per process (a shell loop can exec thousands of times); the rest are counted. */
const MAX_EXECS = 20;

export interface ProcessExec {
  /** Trace line of the execve. */
  readonly line: number;
  /** Seconds since the epoch, from the trace (`-ttt`). */
  readonly time?: number;
  readonly path: string;
  readonly argv: readonly string[];
  /** False for an exec that failed (a program the jail lacks, a refused path). */
  readonly ok: boolean;
  readonly errno?: string;
  /** The script line that ran it. */
  readonly scriptLine?: number;
}

export interface ProcessNode {
  /** Index in `processes` (a pid may be used twice in one trace). */
  readonly id: number;
  /** `id` of the parent, when the trace shows it. */
  readonly parent?: number;
  readonly pid: number;
  readonly nsPid?: number;
  readonly parentPid?: number;
  /** `runcmd` (the jail: the control script and what it started), `booted`, `sandbox` (the launchers), `outside`. */
  readonly origin: ProcessOrigin;
  /** The program it ran before its first exec of its own (its parent's). */
  readonly argv: readonly string[];
  readonly start: { readonly line: number; readonly time?: number; readonly syscall: string; readonly scriptLine?: number };
  readonly execs: readonly ProcessExec[];
  /** Execs beyond the first MAX_EXECS. */
  readonly moreExecs?: number;
  /** Absent while it still ran when the trace ended. */
  readonly exit?: {
    readonly line: number;
    readonly time?: number;
    readonly code?: number;
    readonly signal?: string;
    /** It ran on after the control script's own process ended. */
    readonly outlivedScript: boolean;
  };
  /** This is the control script's shell. */
  readonly script?: true;
}

export interface ProcessTree {
  readonly processes: readonly ProcessNode[];
  /** Processes the trace shows, listed or not. */
  readonly total: number;
  /** The first and last event times the tree saw (epoch seconds). */
  readonly firstTime?: number;
  readonly lastTime?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Node = Mutable<ProcessNode> & { execs: ProcessExec[] };

/** The event classes the tree reads: wanted by the model whatever the policy reads. */
export const PROCESS_TREE_CLASSES: readonly EventClass[] = ['process-start', 'exec', 'process-exit'];

/** `interest` widened by the classes the tree reads (every event of them). */
export function withProcessTree(interest: EventInterest): EventInterest {
  const classes = new Map<EventClass, ReadonlySet<Tree> | 'all'>(interest.classes);
  for (const c of PROCESS_TREE_CLASSES) classes.set(c, 'all');
  return { classes, otherClasses: interest.otherClasses };
}

export class ProcessTreeRecorder {
  private readonly nodes: Node[] = [];
  /** The listed node each live pid is, for its execs and exit. */
  private readonly live = new Map<number, Node>();
  private total = 0;
  private firstTime: number | undefined;
  private lastTime: number | undefined;

  /** Called with every model event the model delivers. */
  event(e: ModelEvent): void {
    if (e.time !== undefined) {
      if (this.firstTime === undefined || e.time < this.firstTime) this.firstTime = e.time;
      if (this.lastTime === undefined || e.time > this.lastTime) this.lastTime = e.time;
    }
    if (e.class === 'process-start') this.started(e);
    else if (e.class === 'exec') this.execed(e);
    else if (e.class === 'process-exit') this.exited(e);
  }

  private started(e: ModelEvent): void {
    this.total++;
    const p = e.process;
    this.live.delete(p.pid);
    if (this.nodes.length >= MAX_PROCESSES) return;
    const parent = p.parentPid === undefined ? undefined : this.live.get(p.parentPid);
    const node: Node = {
      id: this.nodes.length,
      ...(parent !== undefined ? { parent: parent.id } : {}),
      pid: p.pid,
      ...(p.nsPid !== undefined ? { nsPid: p.nsPid } : {}),
      ...(p.parentPid !== undefined ? { parentPid: p.parentPid } : {}),
      origin: p.origin,
      argv: p.argv,
      start: { line: e.line, ...(e.time !== undefined ? { time: e.time } : {}), syscall: e.syscall, ...(e.location ? { scriptLine: e.location.line } : {}) },
      execs: [],
    };
    this.nodes.push(node);
    this.live.set(p.pid, node);
  }

  private execed(e: ModelEvent): void {
    const node = this.live.get(e.process.pid);
    if (node === undefined || e.exec === undefined) return;
    // The control script is the process whose exec the model took for it; later events say `runcmd`.
    node.origin = e.process.origin;
    if (node.execs.length >= MAX_EXECS) {
      node.moreExecs = (node.moreExecs ?? 0) + 1;
      return;
    }
    node.execs.push({
      line: e.line,
      ...(e.time !== undefined ? { time: e.time } : {}),
      path: e.exec.path,
      argv: e.exec.argv,
      ok: e.ok,
      ...(e.errno !== undefined ? { errno: e.errno } : {}),
      ...(e.location ? { scriptLine: e.location.line } : {}),
    });
  }

  private exited(e: ModelEvent): void {
    const node = this.live.get(e.process.pid);
    if (node === undefined || e.exit === undefined) return;
    this.live.delete(e.process.pid);
    node.origin = e.process.origin;
    node.exit = {
      line: e.line,
      ...(e.time !== undefined ? { time: e.time } : {}),
      ...(e.exit.code !== undefined ? { code: e.exit.code } : {}),
      ...(e.exit.signal !== undefined ? { signal: e.exit.signal } : {}),
      outlivedScript: e.exit.outlivedScript,
    };
  }

  /** The tree, with the control script's process marked (by its strace pid, from the model's summary). */
  finish(scriptPid?: number): ProcessTree {
    if (scriptPid !== undefined) {
      // The script's process is the one of that pid that ran the script (its first exec into the jail).
      const node = this.nodes.find((n) => n.pid === scriptPid && n.origin === 'runcmd') ?? this.nodes.find((n) => n.pid === scriptPid);
      if (node !== undefined) node.script = true;
    }
    return {
      processes: this.nodes,
      total: this.total,
      ...(this.firstTime !== undefined ? { firstTime: this.firstTime } : {}),
      ...(this.lastTime !== undefined ? { lastTime: this.lastTime } : {}),
    };
  }
}
