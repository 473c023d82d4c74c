/**
 * What the analysis needs to know about the run that produced a trace.
 * Written by the sandbox as `run.json` in the run directory; for a bare trace
 * file the CLI builds it from `--booted/--inactive/--shared`. Tree roots come
 * from here, never from constants in code. `readRunMetadata` reads run.json
 * back checked against RUN_METADATA_SCHEMA.
 */
import { INT, MS, NON_EMPTY, STRINGS, contractFile, objectSchema } from './check-json.js';
import type { BootedDaemon } from './daemon-state.js';
import * as validators from './validators.generated.js';

export type { BootedDaemon } from './daemon-state.js';

/**
 * SD control script tags. `configure` is accepted but exempt from DRD rules
 * (DRD-Safe Concepts 2). `runcmd` is no control script: a command run by
 * `drdsafe runcmd` through runcmd's front end, judged like one.
 */
export const PHASES = [
  'checkinstall',
  'preinstall',
  'postinstall',
  'checkremove',
  'unconfigure',
  'preremove',
  'postremove',
  'verify',
  'configure',
  'runcmd',
] as const;
export type Phase = (typeof PHASES)[number];

/** Which part of the world a real path belongs to. */
export type Tree = 'booted' | 'inactive' | 'shared' | 'sandbox' | 'other';

export interface TreeLayout {
  /** Real path of the booted system image root, as strace sees it (e.g. `/images/booted`). */
  readonly booted: string;
  /** Real path of the inactive image root: the jail's root (e.g. `/images/inactive`). */
  readonly inactive: string;
  /**
   * Shared file systems: real paths inside the inactive tree that are bind
   * mounts of booted-tree paths (writes through them reach the booted image).
   */
  readonly shared: readonly SharedMount[];
  /** Real paths of the harness's own files (control script staging, trace, witness). */
  readonly sandbox: readonly string[];
}

export interface SharedMount {
  /** Path as the jail sees it, e.g. `/var/opt/shared`. */
  readonly jailPath: string;
  /** Real path inside the inactive tree, e.g. `/images/inactive/var/opt/shared`. */
  readonly inactivePath: string;
  /** Real path of the booted-tree directory it is bound from, e.g. `/images/booted/var/opt/shared`. */
  readonly bootedPath: string;
}

/** A System V IPC object as /proc/sysvipc lists it. */
export interface IpcEntry {
  /** The key it was made with (0 = IPC_PRIVATE). */
  readonly key: number;
  readonly id: number;
}

/**
 * The IPC objects of the jail's IPC namespace (shared with the booted
 * system: chroot does not separate them) just before the script ran.
 */
export interface IpcSnapshot {
  readonly msg: readonly IpcEntry[];
  readonly sem: readonly IpcEntry[];
  readonly shm: readonly IpcEntry[];
  /** POSIX message queues, by name with the leading `/`. */
  readonly mqueue: readonly string[];
}

export interface ControlScript {
  readonly phase: Phase;
  /** Path of the script inside the jail (e.g. `/var/adm/sw/products/PKG/fileset/preinstall`). */
  readonly jailPath: string;
  /** Where the caller found it (for the report), e.g. `corpus/s01/script`. */
  readonly sourcePath?: string;
  /** The script text, so findings can quote the line. */
  readonly text?: string;
}

export interface RunMetadata {
  readonly schemaVersion: 1;
  readonly trees: TreeLayout;
  readonly script?: ControlScript;
  readonly daemons: readonly BootedDaemon[];
  /**
   * The marker the jail's shell writes for every command under `-x`
   * (PS4), e.g. `+drdsafe[`; followed by `FILE:LINE] `. Default: `+drdsafe[`.
   */
  readonly xtraceMarker?: string;
  /**
   * What the marker writes instead of the control script's path (`script.jailPath`),
   * e.g. `@`: `+drdsafe[@:12] `, and `@.orig` for `<jailPath>.orig`. Other files keep
   * their absolute path. Default: none, every marker names its file in full.
   */
  readonly xtraceScriptAlias?: string;
  /**
   * Whose PID namespace the trace's pids are in. `booted`: strace ran inside
   * the booted system's namespace, where the jail is, so every traced process
   * is in it and its pid is the one the jail uses (`drdsafe run` traces this
   * way). Default: strace's own namespace, which the trace shows the jail
   * entering with setns (`--decode-pids=pidns` then gives both pids).
   */
  readonly pidNamespace?: 'booted';
  /**
   * The IPC objects that existed before the script ran: theirs are the booted
   * system's. Absent when the run did not look; an object the trace does not
   * show being made then has an unknown owner.
   */
  readonly ipc?: IpcSnapshot;
  /**
   * Paths (as the jail names them) of the files the package installs: its
   * payload. The sandbox runs the script where the package is not installed,
   * so a program of the payload the script runs fails there (`exec.payload`
   * events, a capture gap in the built-in policy). Default: none known.
   */
  readonly payload?: readonly string[];
  /**
   * Paths (as the jail names them) of the stand-in programs branch
   * exploration put in place for this run (a program the script looked for
   * and the system lacked): each records its arguments and exits 0, so what
   * the real program does is unknown (`exec.standin` events). Default: none.
   */
  readonly standins?: readonly string[];
  /**
   * The comparison run of branch exploration: the script ran on the booted
   * tree itself (its root is `trees.booted`) with `SW_SESSION_IS_DRD` unset,
   * as it runs outside DRD. Default: the runcmd jail on `trees.inactive`.
   */
  readonly outsideDrd?: true;
  /** Whether the run finished (the script ended before any limit). */
  readonly finished?: boolean;
  /** A limit that ended the run: `timeout`, `pids`, `memory`, `disk`, `trace-size`. */
  readonly limitHit?: string;
  /** Where the time of a sandbox run went (written by `drdsafe run`). */
  readonly timings?: RunTimings;
}

/** Milliseconds spent in each step of `drdsafe run`, measured by the harness. */
export interface RunTimings {
  /** The script itself, as `run-phase` measured it in the container. */
  readonly phaseWallMs: number;
  /** `run-phase` before the script: booted tree, daemons, clone, hashes. */
  readonly setupMs?: number;
  /** `run-phase` after the script: leftovers, ground truth. */
  readonly collectMs?: number;
  /** Checking or building the sandbox image. */
  readonly imageMs: number;
  /** Create and start of the container. */
  readonly startMs: number;
  /** Sending request, script and booted tree in. */
  readonly sendMs: number;
  /** The whole `run-phase` exec, as the harness saw it. */
  readonly execMs: number;
  /** Fetching /drdsafe/out. */
  readonly fetchMs: number;
  /** Command start to run.json written. */
  readonly harnessMs: number;
}

export const DEFAULT_XTRACE_MARKER = '+drdsafe[';

export const SHARED_MOUNT_SCHEMA = objectSchema<SharedMount>()({
  properties: { jailPath: { type: 'string' }, inactivePath: { type: 'string' }, bootedPath: { type: 'string' } },
  required: ['jailPath', 'inactivePath', 'bootedPath'],
});

export const TREE_LAYOUT_SCHEMA = objectSchema<TreeLayout>()({
  properties: {
    booted: { type: 'string' },
    inactive: { type: 'string' },
    shared: { type: 'array', items: SHARED_MOUNT_SCHEMA },
    sandbox: STRINGS,
  },
  required: ['booted', 'inactive', 'shared', 'sandbox'],
});

const IPC_ENTRY_SCHEMA = objectSchema<IpcEntry>()({ properties: { key: INT, id: INT }, required: ['key', 'id'] });

export const IPC_SNAPSHOT_SCHEMA = objectSchema<IpcSnapshot>()({
  properties: {
    msg: { type: 'array', items: IPC_ENTRY_SCHEMA },
    sem: { type: 'array', items: IPC_ENTRY_SCHEMA },
    shm: { type: 'array', items: IPC_ENTRY_SCHEMA },
    mqueue: STRINGS,
  },
  required: ['msg', 'sem', 'shm', 'mqueue'],
});

const BOOTED_DAEMON_SCHEMA = objectSchema<BootedDaemon>()({
  properties: { name: { type: 'string' }, pid: INT, nsPid: INT, endpoints: STRINGS },
  required: ['name', 'pid', 'endpoints'],
});

const CONTROL_SCRIPT_SCHEMA = objectSchema<ControlScript>()({
  properties: { phase: { enum: [...PHASES] }, jailPath: { type: 'string' }, sourcePath: { type: 'string' }, text: { type: 'string' } },
  required: ['phase', 'jailPath'],
});

const RUN_TIMINGS_SCHEMA = objectSchema<RunTimings>()({
  properties: {
    phaseWallMs: MS,
    setupMs: MS,
    collectMs: MS,
    imageMs: MS,
    startMs: MS,
    sendMs: MS,
    execMs: MS,
    fetchMs: MS,
    harnessMs: MS,
  },
  required: ['phaseWallMs', 'imageMs', 'startMs', 'sendMs', 'execMs', 'fetchMs', 'harnessMs'],
});

export const RUN_METADATA_SCHEMA = objectSchema<RunMetadata>()({
  description: 'run.json: what the analysis needs to know about the run that produced a trace',
  properties: {
    schemaVersion: { const: 1 },
    trees: TREE_LAYOUT_SCHEMA,
    script: CONTROL_SCRIPT_SCHEMA,
    daemons: { type: 'array', items: BOOTED_DAEMON_SCHEMA },
    xtraceMarker: NON_EMPTY,
    xtraceScriptAlias: NON_EMPTY,
    pidNamespace: { const: 'booted' },
    ipc: IPC_SNAPSHOT_SCHEMA,
    payload: { type: 'array', items: NON_EMPTY },
    standins: { type: 'array', items: NON_EMPTY },
    outsideDrd: { const: true },
    finished: { type: 'boolean' },
    limitHit: { type: 'string' },
    timings: RUN_TIMINGS_SCHEMA,
  },
  required: ['schemaVersion', 'trees', 'daemons'],
});

const RUN_METADATA_FILE = contractFile<RunMetadata>(validators.runMetadata, 'run.json');

/** run.json's text checked against the contract. */
export const parseRunMetadata = RUN_METADATA_FILE.parse;

/** run.json checked; `undefined` when there is none. */
export const readRunMetadata = RUN_METADATA_FILE.read;
