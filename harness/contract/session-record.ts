/**
 * `session.json`: what an SD session in the sandbox did, written by the
 * harness at the top of the session directory. Each step of the plan with
 * its outcome (`ran`, `skipped`, `excluded`, `deferred`, `refused`, or
 * `failed` when the sandbox could not run it) and, for scripts that ran, the
 * run directory of its traced phase (`phases/NN-...`, a run directory like
 * any other). `drdsafe analyze` of the session directory reads it back,
 * checked against SESSION_RECORD_SCHEMA, and judges every phase again.
 */
import { INT, MS, NON_EMPTY, STRINGS, contractFile, objectSchema } from './check-json.js';
import { PHASES } from './run-metadata.js';
import type { Phase } from './run-metadata.js';
import * as validators from './validators.generated.js';

export const SESSION_FILE = 'session.json';
/** Where the phases' run directories are, under the session directory. */
export const PHASES_DIR = 'phases';
/** Where the inactive image's SD files are kept after the session (`inactive/var/adm/sw/...`). */
export const INACTIVE_DIR = 'inactive';

export type SessionOperation = 'install' | 'remove' | 'upgrade' | 'verify';
export type SessionStepOutcome = 'ran' | 'skipped' | 'excluded' | 'deferred' | 'refused' | 'failed';

export interface SessionStepRecord {
  readonly index: number;
  /** `load:preinstall:ACME.ACME-RUN`. */
  readonly id: string;
  readonly kind: 'script' | 'load-payload' | 'remove-payload';
  /** The script's tag, or the payload step's kind. */
  readonly name: string;
  /** analysis, load, configure, unconfigure, remove, verify, boot. */
  readonly group: string;
  readonly product: string;
  readonly fileset?: string;
  readonly outcome: SessionStepOutcome;
  readonly why?: string;
  /** For steps that ran: the script's exit code (null when a signal or limit ended it), or a payload step's 0/1. */
  readonly exitCode?: number | null;
  /** What SD made of it: success, warning, error, excluded, global-error, reboot. */
  readonly result?: string;
  /** The phase's run directory, relative to the session directory. */
  readonly runDir?: string;
  readonly phase?: Phase;
  /** The script's path in the image. */
  readonly script?: string;
  /** Where the script came from (the PSF's source file, the depot's catalog member). */
  readonly scriptSource?: string;
  /** Payload steps: what was done (`4 files, 1 saved original`). */
  readonly detail?: string;
}

export interface SessionPackage {
  readonly path: string;
  readonly kind: string;
  readonly products: readonly { readonly tag: string; readonly revision?: string; readonly filesets: readonly string[] }[];
}

export interface StandInRecord {
  readonly name: string;
  readonly path: string;
  readonly pidFile: string;
  readonly why: string;
  /** Whether it was running when the session started. */
  readonly running: boolean;
}

export interface SessionRecord {
  readonly schemaVersion: 1;
  readonly operation: SessionOperation;
  /** Run as `drd runcmd` runs it (SW_SESSION_IS_DRD=1, configure deferred, is_drd_safe enforced). */
  readonly runcmd: boolean;
  /** `drdsafe runcmd`'s command line, when the session came from one. */
  readonly command?: readonly string[];
  readonly package: SessionPackage;
  /** Software installed on the booted system before the session, untraced, and why. */
  readonly baseline: readonly (SessionPackage & { readonly why: string })[];
  readonly selections: readonly string[];
  readonly steps: readonly SessionStepRecord[];
  /** SD's result for the session. */
  readonly status: 'success' | 'warning' | 'error';
  /** The SD command's exit code: 0 success, 1 error, 2 warning (worst of runcmd and the command). */
  readonly exitCode: number;
  readonly globalError?: string;
  readonly rebootRequested: readonly string[];
  readonly rebootSuppressed: boolean;
  readonly excluded: readonly { readonly key: string; readonly why: string }[];
  readonly dropped: readonly { readonly key: string; readonly why: string }[];
  readonly refused: readonly { readonly key: string; readonly why: string }[];
  readonly notes: readonly string[];
  readonly standIns: readonly StandInRecord[];
  /** Set when the sandbox failed and the session stopped: what failed. */
  readonly failure?: string;
  readonly timings: { readonly totalMs: number; readonly startMs: number; readonly setupMs: number; readonly phasesMs: number; readonly fetchMs: number };
}

const PAIR = objectSchema<{ key: string; why: string }>()({ properties: { key: { type: 'string' }, why: { type: 'string' } }, required: ['key', 'why'] });

const PACKAGE_PROPERTIES = {
  path: { type: 'string' },
  kind: { type: 'string' },
  products: {
    type: 'array',
    items: objectSchema<SessionPackage['products'][number]>()({
      properties: { tag: NON_EMPTY, revision: { type: 'string' }, filesets: STRINGS },
      required: ['tag', 'filesets'],
    }),
  },
} as const;

const STEP_SCHEMA = objectSchema<SessionStepRecord>()({
  properties: {
    index: INT,
    id: NON_EMPTY,
    kind: { enum: ['script', 'load-payload', 'remove-payload'] },
    name: NON_EMPTY,
    group: NON_EMPTY,
    product: NON_EMPTY,
    fileset: NON_EMPTY,
    outcome: { enum: ['ran', 'skipped', 'excluded', 'deferred', 'refused', 'failed'] },
    why: { type: 'string' },
    exitCode: { type: ['integer', 'null'] },
    result: { type: 'string' },
    runDir: { type: 'string', pattern: '^[^/]' },
    phase: { enum: [...PHASES] },
    script: { type: 'string' },
    scriptSource: { type: 'string' },
    detail: { type: 'string' },
  },
  required: ['index', 'id', 'kind', 'name', 'group', 'product', 'outcome'],
});

export const SESSION_RECORD_SCHEMA = objectSchema<SessionRecord>()({
  description: 'session.json: the steps of an SD session in the sandbox, with their outcomes and run directories',
  properties: {
    schemaVersion: { const: 1 },
    operation: { enum: ['install', 'remove', 'upgrade', 'verify'] },
    runcmd: { type: 'boolean' },
    command: STRINGS,
    package: objectSchema<SessionPackage>()({ properties: PACKAGE_PROPERTIES, required: ['path', 'kind', 'products'] }),
    baseline: {
      type: 'array',
      items: objectSchema<SessionRecord['baseline'][number]>()({
        properties: { ...PACKAGE_PROPERTIES, why: { type: 'string' } },
        required: ['path', 'kind', 'products', 'why'],
      }),
    },
    selections: STRINGS,
    steps: { type: 'array', items: STEP_SCHEMA },
    status: { enum: ['success', 'warning', 'error'] },
    exitCode: INT,
    globalError: { type: 'string' },
    rebootRequested: STRINGS,
    rebootSuppressed: { type: 'boolean' },
    excluded: { type: 'array', items: PAIR },
    dropped: { type: 'array', items: PAIR },
    refused: { type: 'array', items: PAIR },
    notes: STRINGS,
    standIns: {
      type: 'array',
      items: objectSchema<StandInRecord>()({
        properties: { name: NON_EMPTY, path: NON_EMPTY, pidFile: NON_EMPTY, why: { type: 'string' }, running: { type: 'boolean' } },
        required: ['name', 'path', 'pidFile', 'why', 'running'],
      }),
    },
    failure: { type: 'string' },
    timings: objectSchema<SessionRecord['timings']>()({
      properties: { totalMs: MS, startMs: MS, setupMs: MS, phasesMs: MS, fetchMs: MS },
      required: ['totalMs', 'startMs', 'setupMs', 'phasesMs', 'fetchMs'],
    }),
  },
  required: [
    'schemaVersion',
    'operation',
    'runcmd',
    'package',
    'baseline',
    'selections',
    'steps',
    'status',
    'exitCode',
    'rebootRequested',
    'rebootSuppressed',
    'excluded',
    'dropped',
    'refused',
    'notes',
    'standIns',
    'timings',
  ],
});

const SESSION_RECORD_FILE = contractFile<SessionRecord>(validators.sessionRecord, SESSION_FILE);

/** session.json's text checked against the contract. */
export const parseSessionRecord = SESSION_RECORD_FILE.parse;

/** session.json checked; `undefined` when there is none (the directory is a single run's). */
export const readSessionRecord = SESSION_RECORD_FILE.read;
