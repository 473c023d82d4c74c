/**
 * The live processes by pid (strace's namespace) and by the pid the jail's
 * PID namespace gives them, plus the `ProcessInfo` snapshots events carry.
 * A process leaves the table when it exits, so memory follows the number of
 * live processes, not the length of the trace.
 */
import type { ProcessInfo } from './model-event.js';
import type { ProcessState } from './process-state.js';

/** Ancestry is cut here: a fork bomb must not make every event carry thousands of pids. */
const MAX_ANCESTRY = 64;
/** Ancestors' argv is shortened to this many words. */
const SHORT_ARGV = 4;
/** Exited processes remembered by pid (see `lastExited`); the oldest go first. */
const MAX_EXITED = 1024;

export class ProcessTable {
  private readonly byPid = new Map<number, ProcessState>();
  private readonly byNsPid = new Map<number, ProcessState>();
  /** The last exits by pid and by namespace pid, until the pid is used again. */
  private readonly exited = new Map<number, ProcessState>();
  private readonly exitedNs = new Map<number, ProcessState>();
  /**
   * Bumped on every change that can alter any snapshot (exec, chdir, chroot,
   * re-parenting); a cached `ProcessInfo` is reused only within one generation.
   */
  private generation = 0;
  /** Processes ever added. */
  count = 0;
  controlScript: ProcessState | undefined;

  get size(): number {
    return this.byPid.size;
  }

  get(pid: number): ProcessState | undefined {
    return this.byPid.get(pid);
  }

  /** A live process by the pid the jail's namespace gives it. */
  getNs(nsPid: number): ProcessState | undefined {
    return this.byNsPid.get(nsPid);
  }

  /**
   * The traced process that last had `pid` (by the namespace's pid with `ns`)
   * and exited, while no other process has taken the pid. A signal to it
   * reaches that process, a zombie until its parent reaps it: ksh93's `kill`
   * sends SIGCONT after SIGTERM, and strace often prints the child's
   * `+++ killed by SIGTERM +++` between the two. The kernel hands pids out in
   * turn, so a freed one comes back only after the namespace's pid_max others
   * (and a traced newcomer clears it here); past MAX_EXITED exits the oldest
   * are forgotten, and a signal to one then counts as unknown (fail closed).
   */
  lastExited(pid: number, ns = false): ProcessState | undefined {
    return (ns ? this.exitedNs : this.exited).get(pid);
  }

  add(p: ProcessState): void {
    // The pid is someone else's now.
    this.exited.delete(p.pid);
    if (p.nsPid !== undefined) this.exitedNs.delete(p.nsPid);
    this.byPid.set(p.pid, p);
    if (p.nsPid !== undefined && p.inPidNs) this.byNsPid.set(p.nsPid, p);
    if (!p.thread) this.count++;
  }

  setNsPid(p: ProcessState, nsPid: number): void {
    if (p.nsPid === nsPid) return;
    p.nsPid = nsPid;
    p.inPidNs = true;
    if (p.alive) {
      this.byNsPid.set(nsPid, p);
      this.exitedNs.delete(nsPid);
    }
    this.changed();
  }

  /** `p` is gone; one that `exited` (not a thread an exec replaced) is remembered for `lastExited`. */
  remove(p: ProcessState, exited = false): void {
    if (this.byPid.get(p.pid) === p) this.byPid.delete(p.pid);
    if (p.nsPid !== undefined && this.byNsPid.get(p.nsPid) === p) this.byNsPid.delete(p.nsPid);
    if (!exited) return;
    remember(this.exited, p.pid, p);
    if (p.nsPid !== undefined && p.inPidNs) remember(this.exitedNs, p.nsPid, p);
  }

  live(): IterableIterator<ProcessState> {
    return this.byPid.values();
  }

  changed(): void {
    this.generation++;
  }

  /** `p` is the control script or one of its descendants. */
  descendsFromScript(p: ProcessState): boolean {
    const script = this.controlScript;
    if (script === undefined) return false;
    for (let q: ProcessState | undefined = p, n = 0; q !== undefined && n <= MAX_ANCESTRY * 4; q = q.parent, n++) {
      if (q === script) return true;
    }
    return false;
  }

  info(p: ProcessState): ProcessInfo {
    if (p.info !== undefined && p.infoGeneration === this.generation) return p.info;
    const stop = this.controlScript;
    const ancestry: number[] = [p.pid];
    const ancestryArgv: (readonly string[])[] = [p.argv.slice(0, SHORT_ARGV)];
    if (p !== stop) {
      for (const a of p.ancestors(stop, MAX_ANCESTRY)) {
        ancestry.push(a.pid);
        ancestryArgv.push(a.argv.slice(0, SHORT_ARGV));
      }
    }
    const info: ProcessInfo = {
      pid: p.pid,
      ...(p.nsPid !== undefined ? { nsPid: p.nsPid } : {}),
      ...(p.parent !== undefined ? { parentPid: p.parent.pid } : {}),
      ...(p.exe !== undefined ? { exe: p.exe } : {}),
      argv: p.argv,
      origin: p.origin,
      root: p.fs.root ?? '/',
      ...(p.fs.cwd !== undefined ? { cwd: p.fs.cwd } : {}),
      ancestry,
      ancestryArgv,
      ...(p.execLine !== undefined ? { execLine: p.execLine } : {}),
    };
    p.info = info;
    p.infoGeneration = this.generation;
    return info;
  }
}

function remember(map: Map<number, ProcessState>, pid: number, p: ProcessState): void {
  map.delete(pid);
  map.set(pid, p);
  if (map.size > MAX_EXITED) map.delete(map.keys().next().value as number);
}
