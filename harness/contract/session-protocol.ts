/**
 * What the harness and `run-session` (images/runtime/run-session), the
 * supervisor of an SD session in one container, say to each other: one JSON
 * object a line on its stdin, one reply a line on its stdout. The session
 * lays the booted tree out (`prepare`), installs what must be there before
 * (`apply` to the booted tree), boots and clones it once (`boot`), then
 * changes the inactive image (`apply`: payload, IPD, logs) and runs traced
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
  | { readonly op: 'file'; readonly path: string; readonly source: string; readonly mode: number; readonly owner?: string; readonly uid?: number; readonly group?: string; readonly gid?: number }
  /** A small text file written whole (IPD entries, control files). */
  | { readonly op: 'text'; readonly path: string; readonly text: string; readonly mode?: number }
  | { readonly op: 'append'; readonly path: string; readonly text: string }
  | { readonly op: 'dir'; readonly path: string; readonly mode: number; readonly owner?: string; readonly uid?: number; readonly group?: string; readonly gid?: number }
  | { readonly op: 'symlink'; readonly path: string; readonly target: string }
  | { readonly op: 'hardlink'; readonly path: string; readonly target: string }
  /** A file or link, or a directory once it is empty: `absent`, `kept` (a directory not empty) or `done`. */
  | { readonly op: 'remove'; readonly path: string }
  /** A directory and everything in it; with `ifOnly`, only when it holds nothing but those names (`kept` otherwise). */
  | { readonly op: 'remove-tree'; readonly path: string; readonly ifOnly?: readonly string[] }
  /** Copies `path` (kept as it is) to `to`, unless `unless` exists: `done`, `absent` (no `path`) or `skipped`. */
  | { readonly op: 'copy'; readonly path: string; readonly to: string; readonly unless?: string }
  /** Sets `keyword value` lines of an INDEX file, replacing the keyword's lines: `done` or `absent`. */
  | { readonly op: 'set-attributes'; readonly path: string; readonly set: Readonly<Record<string, string>> };

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

/** A script run untraced on the booted system before the clone (a baseline install's configure). */
export interface BootedScript {
  /** The script's path in the booted tree (already placed there by the baseline). */
  readonly path: string;
  readonly env: Readonly<Record<string, string>>;
  /** For messages: `configure of ACMESAFE.ACMESAFE-RUN`. */
  readonly label: string;
}

/** Mounts the trees and lays the booted tree out (the template, and `booted.tar` over it when sent); nothing runs yet. */
export interface PrepareMessage {
  readonly op: 'prepare';
  readonly shared: readonly string[];
  readonly bootedArchive: boolean;
  readonly treeBytes?: number;
}

/**
 * Boots the booted system (after `apply`s to the booted tree have laid the
 * software installed before the session in), runs `configure` on it, then
 * clones it: the inactive image every later `phase` runs on.
 */
export interface BootMessage {
  readonly op: 'boot';
  readonly standIns: readonly StandInDaemon[];
  /** Run on the booted system once it is up, before the clone. */
  readonly configure: readonly BootedScript[];
  readonly configureTimeoutSeconds: number;
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

export type SessionMessage = PrepareMessage | BootMessage | PhaseMessage | ApplyMessage | FinishMessage;

/** A daemon of the booted system as `boot` found it running. */
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

export interface StartReply {
  readonly ok: true;
  readonly daemons: readonly StartedDaemon[];
  /** What the harness should know (a configure script that failed, a stand-in that did not start). */
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

export const START_REPLY_SCHEMA = objectSchema<StartReply>()({
  properties: {
    ok: OK,
    daemons: {
      type: 'array',
      items: objectSchema<StartedDaemon>()({ properties: { name: NON_EMPTY, pid: INT, standIn: { type: 'boolean' } }, required: ['name', 'pid'] }),
    },
    notes: STRINGS,
    setupMs: MS,
  },
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

export const FAILURE_REPLY_SCHEMA = objectSchema<FailureReply>()({ properties: { ok: { const: false }, error: { type: 'string' } }, required: ['ok', 'error'] });

export const checkStartReply = checker<StartReply>(validators.sessionStartReply);
export const checkPhaseReply = checker<PhaseReply>(validators.sessionPhaseReply);
export const checkApplyReply = checker<ApplyReply>(validators.sessionApplyReply);
export const checkFinishReply = checker<FinishReply>(validators.sessionFinishReply);
export const checkPrepareReply = checker<PrepareReply>(validators.sessionPrepareReply);
export const checkFailureReply = checker<FailureReply>(validators.sessionFailureReply);
