/**
 * `exploration.json`: what branch exploration (`drdsafe run --explore N`)
 * did, written by the harness at the top of the run directory beside the
 * first run's files. The probes the first run lost (a missing pid file, an
 * init script that is not there, a process search that found nothing), the
 * variants planned from them with each change made to the booted system,
 * where each variant's run directory is (`variants/<id>/`, a run directory of
 * its own), what was not explored and why, and the comparison run outside
 * DRD (`compare/`). `drdsafe analyze` of the top directory reads it to merge
 * the runs again. Plain data: harness/explore/ plans and merges.
 */
import { INT, NON_EMPTY, STRING, STRINGS, contractFile, objectSchema } from './check-json.js';
import * as validators from './validators.generated.js';

/**
 * What a probe asked about, as exploration reads it:
 * `pid-file` (a `*.pid` file), `init-script` (`/sbin/init.d/<name>`, an rc
 * link), `program` (run, or tested with `-x`), `config` (an
 * `/etc/rc.config.d` file or another configuration file), `directory`
 * (tested with `-d`), `file` (any other path), `process` (a process search
 * that found nothing), `pid` (signal 0 to a pid answered ESRCH).
 */
export type ProbeKind = 'pid-file' | 'init-script' | 'program' | 'config' | 'directory' | 'file' | 'process' | 'pid';

export const PROBE_KINDS: readonly ProbeKind[] = ['pid-file', 'init-script', 'program', 'config', 'directory', 'file', 'process', 'pid'];

/** An answer the script got from the system and may have branched on. */
export interface ProbeRecord {
  readonly kind: ProbeKind;
  /** The path asked about, from the jail's root. */
  readonly path?: string;
  /** The process name searched for (`process`). */
  readonly name?: string;
  /** The pid probed (`pid`). */
  readonly pid?: number;
  /** How the answer came: the call (`newfstatat`, `openat`, `execve`, `kill`) or the search (`grep`, `pgrep`). */
  readonly call: string;
  /** The error the call got (`ENOENT`), or `exit 1` for a search. */
  readonly answer: string;
  /** The control script line, when known. */
  readonly line?: number;
  /** Trace line of the evidence (in the run that saw it). */
  readonly traceLine: number;
  /** The test operators the script applied to the path (`-f`, `-x`, `-d`). */
  readonly tests?: readonly string[];
  /** What it is about: a daemon's or product's name, or the path itself. Probes of one subject are made true together. */
  readonly subject: string;
  /** The run that saw it: 0 for the first run, a variant's id, or -1 for the comparison run outside DRD. */
  readonly run: number;
  /** Why exploration cannot make it true, when it cannot. */
  readonly unplannable?: string;
}

/**
 * What a variant changed in the booted system before its clone was taken
 * (so the inactive image has it too, as a clone of a system where the
 * product is installed would):
 * `pid-file` (the pid of a running daemon in that file), `daemon` (a
 * stand-in daemon running in the booted system, recording every signal and
 * request), `init-script` (a stand-in init script whose start and stop act
 * on a daemon), `program` (a stand-in that exits 0; the trace records its
 * arguments), `config` (a file setting the variables the script tests),
 * `directory`, `file`.
 */
export type ChangeKind = 'pid-file' | 'daemon' | 'init-script' | 'program' | 'config' | 'directory' | 'file';

export const CHANGE_KINDS: readonly ChangeKind[] = ['pid-file', 'daemon', 'init-script', 'program', 'config', 'directory', 'file'];

export interface ChangeRecord {
  readonly kind: ChangeKind;
  /** The path made (jail and booted tree alike). */
  readonly path?: string;
  /** The daemon it names, starts or controls. */
  readonly daemon?: string;
  /** `config`: the variables it sets, in order. */
  readonly variables?: readonly { readonly name: string; readonly value: string }[];
  /** What the change makes true, as a condition: `/var/run/acmeagt.pid exists`. */
  readonly condition: string;
  /** What was done, with `it` for the path: `created it holding the pid of stand-in daemon acmeagt`. */
  readonly made: string;
}

export interface VariantRecord {
  /** 1, 2, ...: the order they were planned and run in. */
  readonly id: number;
  /** Its run directory, relative to the top one (`variants/1`). */
  readonly dir: string;
  /** The subjects whose probes it makes true. */
  readonly subjects: readonly string[];
  readonly changes: readonly ChangeRecord[];
  /** Whether its run completed (a report can be made of it). */
  readonly ran: boolean;
  /** Why it did not run, or how it failed. */
  readonly error?: string;
}

export interface NotExplored {
  readonly subject: string;
  readonly reason: string;
}

export interface ExplorationRecord {
  readonly schemaVersion: 1;
  /** The bound on variants (`--explore N`). */
  readonly explore: number;
  /** Whether the comparison run outside DRD was asked for (`--compare`). */
  readonly compare: boolean;
  /** The time the whole exploration had (`--timeout`). */
  readonly timeoutSeconds: number;
  /** Every probe found, by the first run and by the variants. */
  readonly probes: readonly ProbeRecord[];
  readonly variants: readonly VariantRecord[];
  /** Subjects no variant made true, each with why. */
  readonly notExplored: readonly NotExplored[];
  /**
   * The comparison run: its directory (`compare`), whether it ran, how it
   * failed, and the changes it ran with (every probe the first run lost made
   * true, as in the first variant; none when there was no probe).
   */
  readonly comparison?: { readonly dir: string; readonly ran: boolean; readonly error?: string; readonly changes?: readonly ChangeRecord[] };
  /** Why exploration stopped before its plan was done (the time ran out). */
  readonly stopped?: string;
}

const PROBE_SCHEMA = objectSchema<ProbeRecord>()({
  properties: {
    kind: { enum: [...PROBE_KINDS] },
    path: { ...STRING, pattern: '^/' },
    name: NON_EMPTY,
    pid: INT,
    call: NON_EMPTY,
    answer: NON_EMPTY,
    line: INT,
    traceLine: INT,
    tests: STRINGS,
    subject: NON_EMPTY,
    run: INT,
    unplannable: NON_EMPTY,
  },
  required: ['kind', 'call', 'answer', 'traceLine', 'subject', 'run'],
});

const CHANGE_SCHEMA = objectSchema<ChangeRecord>()({
  properties: {
    kind: { enum: [...CHANGE_KINDS] },
    path: { ...STRING, pattern: '^/' },
    daemon: NON_EMPTY,
    variables: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { name: NON_EMPTY, value: STRING }, required: ['name', 'value'] },
    },
    condition: NON_EMPTY,
    made: NON_EMPTY,
  },
  required: ['kind', 'condition', 'made'],
});

const VARIANT_SCHEMA = objectSchema<VariantRecord>()({
  properties: {
    id: { ...INT, minimum: 1 },
    dir: { ...STRING, pattern: '^variants/[0-9]+$' },
    subjects: STRINGS,
    changes: { type: 'array', items: CHANGE_SCHEMA },
    ran: { type: 'boolean' },
    error: NON_EMPTY,
  },
  required: ['id', 'dir', 'subjects', 'changes', 'ran'],
});

export const EXPLORATION_RECORD_SCHEMA = objectSchema<ExplorationRecord>()({
  description: 'exploration.json: the probes, variants and comparison run of a run with branch exploration',
  properties: {
    schemaVersion: { const: 1 },
    explore: { ...INT, minimum: 0 },
    compare: { type: 'boolean' },
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
    probes: { type: 'array', items: PROBE_SCHEMA },
    variants: { type: 'array', items: VARIANT_SCHEMA },
    notExplored: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { subject: NON_EMPTY, reason: NON_EMPTY }, required: ['subject', 'reason'] },
    },
    comparison: {
      type: 'object',
      additionalProperties: false,
      properties: { dir: { const: 'compare' }, ran: { type: 'boolean' }, error: NON_EMPTY, changes: { type: 'array', items: CHANGE_SCHEMA } },
      required: ['dir', 'ran'],
    },
    stopped: NON_EMPTY,
  },
  required: ['schemaVersion', 'explore', 'compare', 'timeoutSeconds', 'probes', 'variants', 'notExplored'],
});

const EXPLORATION_FILE = contractFile<ExplorationRecord>(validators.explorationRecord, 'exploration.json');

/** exploration.json's text checked against the contract. */
export const parseExplorationRecord = EXPLORATION_FILE.parse;

/** exploration.json checked; `undefined` when there is none (a run without exploration). */
export const readExplorationRecord = EXPLORATION_FILE.read;
