/**
 * The typed boundary between the process/path model and the policy engine.
 * The model turns raw trace events into normalised events: who did it (a
 * process with argv, ancestry and origin), what class of action it was, and
 * what it acted on (a process, a socket endpoint, a real path in a tree).
 */
import type { Phase, Tree } from '../contract/run-metadata.js';

/**
 * Where a process comes from.
 * - `runcmd`: started inside the runcmd environment (the control script and its descendants).
 * - `booted`: a process of the running booted system (a daemon, init, ...).
 * - `sandbox`: the harness's own processes (the launcher before chroot).
 * - `outside`: any other process not started inside the runcmd environment.
 */
export type ProcessOrigin = 'runcmd' | 'booted' | 'sandbox' | 'outside';

/** A place in the control script, from the shell's xtrace marker. */
export interface ScriptLocation {
  /** Script file as the shell saw it (inside the jail). */
  readonly file: string;
  readonly line: number;
  /** The source text of that line, when the script text is known. */
  readonly source?: string;
  /** The command as the shell expanded it (xtrace text). */
  readonly expanded?: string;
  /**
   * Why the event may not come from this line: the shell stopped tracing after
   * it (`exec 2>/dev/null`, `set +x`) or it calls a ksh `function` whose body
   * is not traced (see script-caveats.ts). Absent: the line is exact.
   */
  readonly caveat?: string;
}

export interface ProcessInfo {
  /** Pid in strace's namespace. */
  readonly pid: number;
  /** Pid in the process's own namespace, when known. */
  readonly nsPid?: number;
  readonly parentPid?: number;
  /** Last successful exec: path and argv. */
  readonly exe?: string;
  readonly argv: readonly string[];
  readonly origin: ProcessOrigin;
  /** Root directory (real path) at the time of the event. */
  readonly root: string;
  readonly cwd?: string;
  /** Pids from this process up to the control script (inclusive), nearest first. */
  readonly ancestry: readonly number[];
  /** Short argv of each ancestor, same order as `ancestry`. */
  readonly ancestryArgv: readonly (readonly string[])[];
  /** Trace line of the exec that gave it its current argv. */
  readonly execLine?: number;
}

/** A process as a target (of a signal, ptrace, /proc traversal). */
export interface TargetProcess {
  readonly kind: 'process';
  /** Pid in strace's namespace when known. */
  readonly pid?: number;
  /** Pid as the tracee named it. */
  readonly nsPid: number;
  /** Name (daemon name or argv[0]) when known. */
  readonly name?: string;
  readonly origin: ProcessOrigin | 'unknown';
}

export interface TargetGroup {
  readonly kind: 'group';
  /** Process group id as named (kill(-pgid)). 0 = the caller's own group. */
  readonly pgid: number;
  /** True when the group may hold a process not started inside the runcmd environment. */
  readonly containsOutside: boolean;
}

/** kill(-1, ...): every process the caller may signal. */
export interface TargetAll {
  readonly kind: 'all';
}

export type SignalTarget = TargetProcess | TargetGroup | TargetAll;

/** The socket calls the model reads: requests (`socket` events) and serving (`serve`). */
export type SocketOp = 'connect' | 'sendto' | 'sendmsg' | 'sendmmsg' | 'bind' | 'listen';

export type SocketFamily = 'unix' | 'inet' | 'inet6' | 'netlink' | 'other';

export interface SocketEndpoint {
  readonly family: SocketFamily;
  /** `stream`, `dgram`, `seqpacket`, when known. */
  readonly type?: string;
  /** Unix socket path (as the process named it) and its real path; abstract names start with `@`. */
  readonly path?: string;
  readonly realPath?: string;
  readonly tree?: Tree;
  readonly address?: string;
  readonly port?: number;
  /** Who serves this endpoint: a booted daemon, a runcmd process, or unknown. */
  readonly servedBy: ProcessOrigin | 'unknown' | 'none';
  /** Name of the serving daemon when known. */
  readonly server?: string;
}

export interface PathTarget {
  /** The path as the process named it. */
  readonly path: string;
  /** The real path the kernel used (outside the chroot). */
  readonly real: string;
  readonly tree: Tree;
  /**
   * For rename/link: the second path (the new name). For symlink: the link's
   * target, resolved from the link's directory (the link itself is `path`).
   */
  readonly second?: { readonly path: string; readonly real: string; readonly tree: Tree };
  /** How the real path was learnt: strace's fd decoration (exact) or reconstruction from root/cwd. */
  readonly resolvedBy: 'decoration' | 'reconstructed';
}

export type EventClass =
  /** kill/tkill/tgkill/rt_sigqueueinfo/rt_tgsigqueueinfo/pidfd_send_signal */
  | 'signal'
  /** connect/sendto/sendmsg/sendmmsg to an endpoint */
  | 'socket'
  /** bind/listen: serving a socket */
  | 'serve'
  /** a change to a file: open for write/create, truncate, unlink, rename, mkdir, rmdir, link, symlink, chmod, chown, utimes, mknod, setxattr */
  | 'fs-write'
  /** a file opened or read (not a change) */
  | 'fs-read'
  /** execve/execveat */
  | 'exec'
  /** a process was created */
  | 'process-start'
  /** a process ended (or was still alive when its control script ended) */
  | 'process-exit'
  /** chroot, fchdir/openat/chdir leading outside the jail, pivot_root, setns, unshare, ptrace, /proc/<pid>/root|cwd traversal */
  | 'jail'
  /** writes under /proc/sys, module load, mount/umount, swapon/off, reboot, kexec, clock or hostname changes */
  | 'kernel'
  /** setpriority, sched_setscheduler/setparam/setattr/setaffinity, ioprio_set, prlimit64 with a new limit: a change to a running process */
  | 'process-change'
  /** System V message queues, semaphore sets and shared memory, POSIX message queues: getting, using, changing or removing one */
  | 'ipc'
  /** A command line of the control script and whether it ran (made by harness/coverage/ after the trace, never by the model) */
  | 'coverage';

/** System V message queue, semaphore set, shared memory segment; POSIX message queue. */
export type IpcKind = 'msg' | 'sem' | 'shm' | 'mqueue';

/**
 * What an `ipc` event does to its object: `get` (msgget, semget, shmget),
 * `open` (mq_open), `send`, `receive`, `semop`, `attach` (shmat), `control`
 * (a ctl command that only reads: IPC_STAT, GETVAL, ...), `set` (IPC_SET,
 * SETVAL, SETALL, SHM_LOCK, mq_getsetattr with new attributes), `remove`
 * (IPC_RMID, mq_unlink), `notify` (mq_notify registering for the queue's messages).
 */
export type IpcOp = 'get' | 'open' | 'send' | 'receive' | 'semop' | 'attach' | 'control' | 'set' | 'remove' | 'notify';

export interface IpcObject {
  readonly kind: IpcKind;
  readonly op: IpcOp;
  /** System V: the object's id (what the calls after the get name it by). */
  readonly id?: number;
  /** System V get: the key as strace printed it (`0x44524453`, `IPC_PRIVATE`). */
  readonly key?: string;
  /** POSIX queue: its name, with the leading `/`. */
  readonly name?: string;
  /**
   * Whose object it is: `booted` when it existed before the script ran (the
   * run's snapshot, `RunMetadata.ipc`), the maker's origin when the trace shows
   * it made during the run, `unknown` when neither tells (no snapshot);
   * `none` for a get or open that failed.
   */
  readonly owner: ProcessOrigin | 'unknown' | 'none';
  /** The booted daemon that serves it, when the run lists it among that daemon's endpoints (`msg:0x434f4d53`, `mqueue:/name`). */
  readonly server?: string;
}

/** What a `process-change` event changes. */
export type ProcessChangeKind = 'priority' | 'scheduler' | 'affinity' | 'io-priority' | 'limits';

/** Operation names for `fs-write`. */
export type FsOp =
  | 'open-write'
  | 'create'
  | 'truncate'
  | 'unlink'
  | 'rename'
  | 'mkdir'
  | 'rmdir'
  | 'link'
  | 'symlink'
  | 'chmod'
  | 'chown'
  | 'utimes'
  | 'mknod'
  | 'setxattr'
  | 'removexattr'
  /** Only on `fs-read` events: a file opened without write access. */
  | 'open-read';

/** The classes the model makes (`coverage` events are made after the trace, by harness/coverage/). */
export type ModelEventClass = Exclude<EventClass, 'coverage'>;

export interface ModelEvent {
  /** Sequence number in the run, from 0. */
  readonly seq: number;
  readonly class: ModelEventClass;
  /** The syscall name (`kill`, `connect`, `openat`...). For `process-exit` without a syscall: `exit`. */
  readonly syscall: string;
  /**
   * The call succeeded (return value not -1 / no errno). Exits and starts are
   * `true`. For an `unfinished` call, whether the model took it as done (a
   * signal, a change: it may have taken effect; an exec: no new program).
   */
  readonly ok: boolean;
  readonly errno?: string;
  /**
   * The call entered the kernel but the trace never shows its result (an
   * `<unfinished ...>` never resumed, a process killed inside it, a trace cut
   * in the middle of its line): `ok` and `errno` are not known, and a policy
   * test of a field that needs the result holds neither way (docs/policy.md).
   * Absent: the call returned.
   */
  readonly unfinished?: true;
  /** Evidence: trace line(s) and raw text. */
  readonly line: number;
  readonly endLine?: number;
  readonly raw: string;
  readonly time?: number;
  /** The acting process. */
  readonly process: ProcessInfo;
  /** Where in the control script this comes from, when known. */
  readonly location?: ScriptLocation;
  /** The control script phase of the run. */
  readonly phase?: Phase;

  // Class-specific detail (present on the matching class).
  readonly signal?: { readonly name: string; readonly number: number; readonly target: SignalTarget };
  readonly socket?: { readonly op: SocketOp; readonly endpoint: SocketEndpoint };
  readonly fs?: { readonly op: FsOp; readonly target: PathTarget };
  /**
   * `payload`: the program is one the package installs (`RunMetadata.payload`).
   * `standin`: it ran, and is a stand-in branch exploration put in place for a
   * program the system lacked (`RunMetadata.standins`).
   */
  readonly exec?: { readonly path: string; readonly realPath?: string; readonly argv: readonly string[]; readonly payload?: true; readonly standin?: true };
  readonly exit?: {
    readonly code?: number;
    readonly signal?: string;
    /** Still running when the control script's own process ended. */
    readonly outlivedScript: boolean;
  };
  /**
   * For `process-change` events. `target` is a process (pid 0 names the caller
   * itself), a process group (PRIO_PGRP, IOPRIO_WHO_PGRP; 0 = the caller's), or
   * `all` for every process of a user (PRIO_USER, IOPRIO_WHO_USER).
   */
  readonly change?: { readonly kind: ProcessChangeKind; readonly detail: string; readonly target: SignalTarget };
  /** For `ipc` events: the object and what was done to it. */
  readonly ipc?: IpcObject;
  /** For `jail` and `kernel` events: the subject (new root, namespace, path under /proc/sys, ...). */
  readonly subject?: { readonly kind: string; readonly detail: string; readonly tree?: Tree; readonly target?: TargetProcess };
  /** Only `coverage` events (CoverageEvent) carry this. */
  readonly coverage?: undefined;
}

/** Gaps in what the model could see; any of these makes the verdict `indeterminate`. */
export interface ModelGap {
  readonly kind:
    | 'parse-error'
    | 'lost-process'
    | 'truncated-string'
    | 'unresumed-call'
    | 'unfinished-run'
    | 'unknown-root'
    | 'untraced-io'
    | 'unread-call'
    /** strace (or its launchers) wrote on its own stderr during the run: it had something to say about the tracing. */
    | 'tracer-message'
    /** The run traced a narrower set of calls than the policy now judging it reads (a policy changed since). */
    | 'untraced-syscalls'
    /** The control script did not run as written: a binary, another interpreter's script, or none of its commands ran (script-run.ts). */
    | 'script-not-run'
    /** Branch exploration planned a variant that could not be run (or whose run could not be judged): what it would show is unknown. */
    | 'variant-failed'
    /** A finding of a rule that marks what it finds as a gap (`gap: true` in the policy: a program the sandbox lacks). */
    | 'rule';
  readonly line?: number;
  readonly message: string;
  /** For a `rule` gap: the rule's id. */
  readonly rule?: string;
  /** For a `rule` gap: the script line of the finding. */
  readonly location?: ScriptLocation;
}

/**
 * Which events a consumer can use, so the model need not build the others
 * (a skipped event still takes its `seq` number, so numbering is unchanged).
 * A class missing from `classes` is wanted only with `otherClasses`; a class mapped to a set of
 * trees is wanted only for events whose `fs.target.tree` is in it (events of
 * that class without a path target are always wanted); `'all'` wants every
 * event of the class.
 */
export interface EventInterest {
  readonly classes: ReadonlyMap<EventClass, ReadonlySet<Tree> | 'all'>;
  /** Events of a class missing from `classes` are wanted all the same (a consumer that takes any class). */
  readonly otherClasses: boolean;
}

/** What script coverage says of one command line (harness/coverage/), as the policy reads it. */
export interface CoverageFacts {
  /** The script line. */
  readonly number: number;
  readonly text: string;
  /** Whether it ran (for a risky line: its risky command); absent when the trace cannot tell. */
  readonly ran?: boolean;
  /** Why the run cannot be told, when it cannot: `ksh-function`, `xtrace-off`, `unflushed`, `no-trace`, `indirect`. */
  readonly untraced?: string;
  readonly risky: boolean;
  /** The `risky-commands` entry its command matched. */
  readonly risk?: string;
  /** That entry's specification section. */
  readonly reference?: string;
  /** The command (the risky one on a risky line) as written. */
  readonly command?: string;
  /** Why it did not run, when known. */
  readonly why?: string;
  /** Trace lines of the xtrace markers that decided it (the guard's). */
  readonly traceLines?: readonly number[];
}

/**
 * A `coverage` event: one command line of the control script, judged by the
 * policy like a model event but resting on no system call (the fields of
 * ModelEvent it lacks are absent). Its process is the control script's.
 */
export interface CoverageEvent {
  readonly seq: number;
  readonly class: 'coverage';
  readonly process: ProcessInfo;
  readonly location: ScriptLocation;
  readonly phase?: Phase;
  readonly coverage: CoverageFacts;
  readonly syscall?: undefined;
  readonly ok?: undefined;
  readonly errno?: undefined;
  readonly line?: undefined;
  readonly endLine?: undefined;
  readonly raw?: undefined;
  readonly time?: undefined;
  readonly unfinished?: undefined;
  readonly signal?: undefined;
  readonly socket?: undefined;
  readonly fs?: undefined;
  readonly exec?: undefined;
  readonly exit?: undefined;
  readonly change?: undefined;
  readonly ipc?: undefined;
  readonly subject?: undefined;
}

/** What the policy engine judges: the model's events and coverage's. */
export type PolicyEvent = ModelEvent | CoverageEvent;
