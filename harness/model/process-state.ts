/**
 * What the model knows about one traced process (or thread) while it lives.
 * Mutable on purpose: one object per pid, updated in place as the trace goes.
 */
import type { ModelEvent, ProcessInfo, ProcessOrigin, ScriptLocation } from './model-event.js';
import type { LookupCandidate } from './silent-lookup.js';

/** Root and cwd: copied at fork, shared between processes cloned with CLONE_FS. */
export interface FsState {
  /** Real path; undefined until learnt (treated as `/`). */
  root: string | undefined;
  /** Real path; undefined until learnt. */
  cwd: string | undefined;
}

/** A process group (or, for `session`, a session) and whether only runcmd processes can be in it. */
export interface ProcessGroup {
  /** Strace-namespace pid of the leader. */
  readonly leader: number;
  runcmdOnly: boolean;
}

export class ProcessState {
  readonly pid: number;
  nsPid: number | undefined;
  parent: ProcessState | undefined;
  exe: string | undefined;
  argv: readonly string[] = [];
  execLine: number | undefined;
  origin: ProcessOrigin;
  fs: FsState;
  group: ProcessGroup;
  session: ProcessGroup;
  /** The process lives in a PID namespace other than strace's. */
  inPidNs: boolean;
  /** After setns/unshare(CLONE_NEWPID): children land in another namespace. */
  childrenInNewPidNs = false;
  /** Current place in the control script (last xtrace marker). */
  location: ScriptLocation | undefined;
  /**
   * The process is a shell tracing the control script (the script's own
   * process, a subshell of it, or a process whose stderr carried a marker of
   * it) and has not exec'd since: its calls wait for its next stderr write.
   */
  xtraceShell = false;
  /** Unterminated tail of this process's last stderr writes, for markers split across writes. */
  xtail = '';
  /**
   * The last command this shell traced that it had to look up in PATH, until
   * it forks or execs (it was found) or traces another line or ends (it was
   * not: silent-lookup.ts). `evidence`: the write that traced it.
   */
  lookup: (LookupCandidate & { readonly evidence: Pick<ModelEvent, 'line' | 'endLine' | 'raw' | 'time'> }) | undefined;
  /** The path of the last exec that failed with ENOENT, its own or a child's (the shell's `not found` for it says nothing new). */
  missedExec: string | undefined;
  /**
   * Its last call was a write to fd 2 printed raw (`-e raw=write`): the text
   * comes in the hex dump lines that follow (`-e write=2`).
   */
  xtraceDump = false;
  /** The last control-script command its xtrace announced (a later redirections-only marker line belongs to it). */
  xcommand: { readonly file: string; readonly line: number; readonly expanded: string } | undefined;
  /** A thread (CLONE_THREAD) of another traced process: no start/exit events of its own. */
  thread: boolean;
  /** Chrooted into the inactive tree and not yet exec'd: its next exec starts the control script. */
  jailed = false;
  alive = true;
  /**
   * Failed (ENOENT) execs not yet reported: a shell or execvp searching PATH
   * misses in several directories before the one that works. They are
   * dropped when the same program then execs, and reported otherwise.
   */
  execMisses: ModelEvent[] | undefined;
  /**
   * Line of a call strace could not read (`???(`), until the process shows
   * whether it ran: a process killed by SIGKILL in that stop never ran it.
   */
  unreadCall: number | undefined;
  /** Last trace line seen for this pid. */
  lastLine = 0;
  /** The raw text of that line: evidence for a process that never ends in the trace. */
  lastRaw = '';
  /** Cached `ProcessInfo` and the model generation it was built for. */
  info: ProcessInfo | undefined;
  infoGeneration = -1;

  constructor(init: {
    pid: number;
    origin: ProcessOrigin;
    fs: FsState;
    group: ProcessGroup;
    session: ProcessGroup;
    inPidNs: boolean;
    thread?: boolean;
    parent?: ProcessState;
  }) {
    this.pid = init.pid;
    this.origin = init.origin;
    this.fs = init.fs;
    this.group = init.group;
    this.session = init.session;
    this.inPidNs = init.inPidNs;
    this.thread = init.thread ?? false;
    this.parent = init.parent;
  }

  /** The state a child starts with at fork/clone. */
  fork(pid: number, opts: { readonly shareFs: boolean; readonly thread: boolean; readonly parent: ProcessState }): ProcessState {
    const child = new ProcessState({
      pid,
      origin: this.origin,
      fs: opts.shareFs ? this.fs : { root: this.fs.root, cwd: this.fs.cwd },
      group: this.group,
      session: this.session,
      inPidNs: this.inPidNs || this.childrenInNewPidNs,
      thread: opts.thread,
      parent: opts.parent,
    });
    child.exe = this.exe;
    child.argv = this.argv;
    child.execLine = this.execLine;
    child.location = this.location;
    child.xtraceShell = this.xtraceShell;
    // The child lives in the namespace its parent's children go to; its own children follow it.
    return child;
  }

  /** How gap messages name it: `process 42 (/sbin/sh -x /path/preinstall)`. */
  label(): string {
    return `process ${this.pid} (${this.argv.join(' ') || '?'})`;
  }

  /** `argv[0]` without its directory, or the exe's last component. */
  shortName(): string | undefined {
    const name = this.argv[0] ?? this.exe;
    if (name === undefined) return undefined;
    const slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.slice(slash + 1);
  }

  /** Ancestors from this process's parent up, stopping after `stop`. */
  *ancestors(stop: ProcessState | undefined, limit: number): Generator<ProcessState> {
    let p: ProcessState | undefined = this.parent;
    let n = 0;
    while (p !== undefined && n < limit) {
      yield p;
      if (p === stop) return;
      p = p.parent;
      n++;
    }
  }
}
