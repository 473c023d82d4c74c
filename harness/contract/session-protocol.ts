/**
 * What the harness and `run-session` (images/runtime/run-session), the
 * supervisor of an SD session in one container, say to each other: one JSON
 * object a line on its stdin, one reply a line on its stdout. The session
 * lays the booted tree out (`prepare`) and boots it (`boot`), installs what
 * must be there before untraced, as swinstall on `/` installs it (`apply` to
 * the booted tree, `run-booted` for its scripts), clones it once (`clone`),
 * then changes the inactive image (`apply`: payload, IPD, logs) and runs traced
 * phases on it (`phase`) as the harness asks, so each script sees what the
 * ones before it did; `finish` keeps the image's SD files and ends it.
 * Replies are checked here, never trusted.
 */
import { INT, MS, NON_EMPTY, STRINGS, checker, objectSchema } from './check-json.js';
import type { Phase } from './run-metadata.js';
import * as validators from './validators.generated.js';

/** A change to one tree, paths as the tree's own root names them. */
export type TreeOp =
  /** A regular file from `source` (a file run-session was sent under /drdsafe/in), with its mode and owner (names resolved in the tree's own /etc/passwd and /etc/group). */
  | {
      readonly op: 'file';
      readonly path: string;
      readonly source: string;
      readonly mode: number;
      readonly owner?: string;
      readonly uid?: number;
      readonly group?: string;
      readonly gid?: number;
    }
  /** A small text file written whole (IPD entries, control files). */
  | { readonly op: 'text'; readonly path: string; readonly text: string; readonly mode?: number }
  | { readonly op: 'append'; readonly path: string; readonly text: string }
  | {
      readonly op: 'dir';
      readonly path: string;
      readonly mode: number;
      readonly owner?: string;
      readonly uid?: number;
      readonly group?: string;
      readonly gid?: number;
    }
  | { readonly op: 'symlink'; readonly path: string; readonly target: string }
  | { readonly op: 'hardlink'; readonly path: string; readonly target: string }
  /** A file or link, or a directory once it is empty: `absent`, `kept` (a directory not empty) or `done`. */
  | { readonly op: 'remove'; readonly path: string }
  /** A directory and everything in it; with `ifOnly`, only when it holds nothing but those names (`kept` otherwise). */
  | { readonly op: 'remove-tree'; readonly path: string; readonly ifOnly?: readonly string[] }
  /** Copies `path` (kept as it is) to `to`, unless `unless` exists: `done`, `absent` (no `path`) or `skipped`. */
  | { readonly op: 'copy'; readonly path: string; readonly to: string; readonly unless?: string }
  /** Sets `keyword value` lines of an INDEX file, replacing the keyword's lines (an empty value removes them): `done` or `absent`. */
  | { readonly op: 'set-attributes'; readonly path: string; readonly set: Readonly<Record<string, string>> }
  /**
   * The booted tree only: a stand-in daemon takes the place of the program at
   * `path` (an HP-UX binary); the clone gets the real file back (`clone`).
   * `done`, or `absent` when there is no such file.
   */
  | ({ readonly op: 'stand-in' } & StandInDaemon);

export type TreeOpResult = 'done' | 'absent' | 'skipped' | 'kept';

/** A payload file that cannot run in the sandbox and that the booted system runs as a daemon: a stand-in takes its place there. */
export interface StandInDaemon {
  /** The file's path (booted tree). */
  readonly path: string;
  /** Its base name: the daemon's name in `ps`, the witness log and the report. */
  readonly name: string;
  /** Where it writes its pid. */
  readonly pidFile: string;
  /** Why it is a stand-in (`an HP-UX Itanium (ELF IA-64) executable`). */
  readonly why: string;
}

/** Mounts the trees and lays the booted tree out (the template, and `booted.tar` over it when sent); nothing runs yet. */
export interface PrepareMessage {
  readonly op: 'prepare';
  readonly shared: readonly string[];
  readonly bootedArchive: boolean;
  readonly treeBytes?: number;
}

/** Boots the booted system and waits for its daemons. */
export interface BootMessage {
  readonly op: 'boot';
}

/**
 * A control script run untraced on the booted system, as swinstall on `/`
 * runs it: the software installed before the session (its checkinstall,
 * preinstall, postinstall and configure), with the daemons running.
 */
export interface RunBootedMessage {
  readonly op: 'run-booted';
  /** The script's path in the booted tree (its control directory). */
  readonly path: string;
  /** SD's environment for it (no SW_SESSION_IS_DRD); PATH and HOME are run-session's. */
  readonly env: Readonly<Record<string, string>>;
  /** For messages and baseline.log: `preinstall of ACME.ACME-RUN (acme.psf)`. */
  readonly label: string;
  readonly timeoutSeconds: number;
}

/**
 * The clone: the booted system's daemons (and the stand-ins it started) taken
 * as they are now, the booted tree copied to the inactive image while they
 * run, stand-ins replaced by the real files there, /proc and the shared file
 * systems mounted, the first tree hash taken.
 */
export interface CloneMessage {
  readonly op: 'clone';
}

/** One traced control script on the inactive image. */
export interface PhaseMessage {
  readonly op: 'phase';
  /** The phase's run directory under /drdsafe/out (`phases/03-preinstall-ACME.ACME-RUN`). */
  readonly dir: string;
  readonly phase: Phase;
  /** The script's path in the inactive image (it is there already, in its control directory). */
  readonly script: string;
  /** SD's environment for the script (scriptEnvironment); PATH, HOME and PS4 are run-session's. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly traceSyscalls: readonly string[];
  readonly traceAll: boolean;
  readonly stringLimit: number;
  readonly maxTraceBytes: number;
  readonly untraced: boolean;
}

export interface ApplyMessage {
  readonly op: 'apply';
  readonly tree: 'inactive' | 'booted';
  readonly ops: readonly TreeOp[];
}

export interface FinishMessage {
  readonly op: 'finish';
  /** Paths of the inactive image copied to /drdsafe/out/inactive/ (the IPD, logs). */
  readonly keep: readonly string[];
}

export type SessionMessage = PrepareMessage | BootMessage | RunBootedMessage | CloneMessage | PhaseMessage | ApplyMessage | FinishMessage;

/** A daemon of the booted system as `boot` or `clone` found it running. */
export interface StartedDaemon {
  readonly name: string;
  /** Its pid in the booted namespace. */
  readonly pid: number;
  /** A stand-in for a payload file. */
  readonly standIn?: boolean;
}

export interface PrepareReply {
  readonly ok: true;
}

export interface BootReply {
  readonly ok: true;
  readonly daemons: readonly StartedDaemon[];
  readonly setupMs: number;
}

export interface RunBootedReply {
  readonly ok: true;
  /** null when it had to be killed (it ran past its time limit). */
  readonly exitCode: number | null;
  /** What it wrote (stdout and stderr), at most 64 KiB. */
  readonly output: string;
}

export interface CloneReply {
  readonly ok: true;
  readonly daemons: readonly StartedDaemon[];
  /** What the harness should know (a stand-in that is not running). */
  readonly notes: readonly string[];
  readonly setupMs: number;
}

export interface PhaseReply {
  readonly ok: true;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly finished: boolean;
  readonly limitHit: string | null;
  readonly phaseWallMs: number;
  /** What the script wrote, for swagent.log: stdout, then stderr without the shell's xtrace lines, each at most 64 KiB. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface ApplyReply {
  readonly ok: true;
  /** One per op, in order. */
  readonly results: readonly TreeOpResult[];
}

export interface FinishReply {
  readonly ok: true;
}

export interface FailureReply {
  readonly ok: false;
  readonly error: string;
}

const OK = { const: true } as const;

const DAEMONS = {
  type: 'array',
  items: objectSchema<StartedDaemon>()({ properties: { name: NON_EMPTY, pid: INT, standIn: { type: 'boolean' } }, required: ['name', 'pid'] }),
} as const;

export const BOOT_REPLY_SCHEMA = objectSchema<BootReply>()({
  properties: { ok: OK, daemons: DAEMONS, setupMs: MS },
  required: ['ok', 'daemons', 'setupMs'],
});

export const RUN_BOOTED_REPLY_SCHEMA = objectSchema<RunBootedReply>()({
  properties: { ok: OK, exitCode: { type: ['integer', 'null'] }, output: { type: 'string' } },
  required: ['ok', 'exitCode', 'output'],
});

export const CLONE_REPLY_SCHEMA = objectSchema<CloneReply>()({
  properties: { ok: OK, daemons: DAEMONS, notes: STRINGS, setupMs: MS },
  required: ['ok', 'daemons', 'notes', 'setupMs'],
});

export const PHASE_REPLY_SCHEMA = objectSchema<PhaseReply>()({
  properties: {
    ok: OK,
    exitCode: { type: ['integer', 'null'] },
    signal: { type: ['string', 'null'] },
    finished: { type: 'boolean' },
    limitHit: { type: ['string', 'null'] },
    phaseWallMs: MS,
    stdout: { type: 'string' },
    stderr: { type: 'string' },
  },
  required: ['ok', 'exitCode', 'signal', 'finished', 'limitHit', 'phaseWallMs', 'stdout', 'stderr'],
});

export const APPLY_REPLY_SCHEMA = objectSchema<ApplyReply>()({
  properties: { ok: OK, results: { type: 'array', items: { enum: ['done', 'absent', 'skipped', 'kept'] } } },
  required: ['ok', 'results'],
});

export const FINISH_REPLY_SCHEMA = objectSchema<FinishReply>()({ properties: { ok: OK }, required: ['ok'] });

export const PREPARE_REPLY_SCHEMA = objectSchema<PrepareReply>()({ properties: { ok: OK }, required: ['ok'] });

export const FAILURE_REPLY_SCHEMA = objectSchema<FailureReply>()({
  properties: { ok: { const: false }, error: { type: 'string' } },
  required: ['ok', 'error'],
});

export const checkBootReply = checker<BootReply>(validators.sessionBootReply);
export const checkRunBootedReply = checker<RunBootedReply>(validators.sessionRunBootedReply);
export const checkCloneReply = checker<CloneReply>(validators.sessionCloneReply);
export const checkPhaseReply = checker<PhaseReply>(validators.sessionPhaseReply);
export const checkApplyReply = checker<ApplyReply>(validators.sessionApplyReply);
export const checkFinishReply = checker<FinishReply>(validators.sessionFinishReply);
export const checkPrepareReply = checker<PrepareReply>(validators.sessionPrepareReply);
export const checkFailureReply = checker<FailureReply>(validators.sessionFailureReply);
