/**
 * `result.json`: what `run-phase` in the container reports of one run
 * (images/README.md describes each field; this module is their one
 * definition). Read back checked against RUN_RESULT_SCHEMA, and turned into
 * `run.json` (RunMetadata) for the analysis.
 */
import { INT, MS, NON_EMPTY, STRINGS, contractFile, objectSchema } from './check-json.js';
import type { DaemonState } from './daemon-state.js';
import { DAEMON_STATE_SCHEMA } from './daemon-state.js';
import * as validators from './validators.generated.js';
import type { BootedDaemon, IpcSnapshot, Phase, RunMetadata, SharedMount } from './run-metadata.js';
import { DEFAULT_XTRACE_MARKER, IPC_SNAPSHOT_SCHEMA, PHASES, SHARED_MOUNT_SCHEMA } from './run-metadata.js';

/** A process of the jail still alive when the script ended. */
export interface LeftoverProcess {
  /** Pid in strace's namespace. */
  readonly pid: number;
  readonly nsPid?: number;
  readonly containerPid?: number;
  readonly argv: readonly string[];
}

export interface RunResult {
  readonly schemaVersion: 1;
  readonly phase: Phase;
  readonly scriptJailPath: string;
  /** How the script's shell ended: its exit code, or the name of the signal that ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The script ended before any limit. */
  readonly finished: boolean;
  /** `timeout`, `trace-size`, `output-size`, `pids`, `memory`, `disk`, `tracer`. */
  readonly limitHit: string | null;
  /** From starting the jail's launcher to the script's end. */
  readonly phaseWallMs: number;
  /** From run-phase's start to the script's start (tree copy, boot, clone, hash). */
  readonly setupMs: number;
  /** From the script's end to result.json. */
  readonly collectMs: number;
  readonly setup: { readonly bootMs: number; readonly cloneMs: number; readonly hashMs: number; readonly bootedFiles: number };
  readonly collect: { readonly jailMs: number; readonly settleMs: number; readonly hashMs: number };
  readonly trees: {
    readonly booted: string;
    readonly inactive: string;
    readonly shared?: readonly SharedMount[];
    readonly sandbox?: readonly string[];
  };
  /** The daemons that were running when the script started. */
  readonly daemons: readonly DaemonState[];
  /** The booted system's init. */
  readonly init: { readonly pid: number; readonly nsPid?: number; readonly containerPid?: number; readonly aliveAfter: boolean };
  /** Processes alive in the jail when the script ended (empty after a limit). */
  readonly leftovers: readonly LeftoverProcess[];
  /** After a limit: how many jail processes were killed, and the first 20. */
  readonly killedAtLimit: { readonly count: number; readonly processes: readonly unknown[] } | null;
  /** null when untraced. */
  readonly strace: {
    readonly argv: readonly string[];
    /** strace's own exit code (it passes on the script's unless strace itself failed). */
    readonly exitCode: number | null;
    /** The tracer's user. */
    readonly uid?: number;
    /** What a tracer that had to be killed still held. */
    readonly stuck?: string;
    /** What strace (or nsenter, tracer-exec) wrote on its stderr, kept apart from the script's (`tracer.log`); none in a good run. */
    readonly messages?: readonly string[];
  } | null;
  readonly untraced: boolean;
  readonly interactive?: boolean;
  /** The launcher's whole argv. */
  readonly command: readonly string[];
  readonly xtraceMarker: string;
  /** The PS4 the jail's shell ran with. */
  readonly xtracePs4?: string;
  /** What PS4 writes for the control script's path (see `RunMetadata.xtraceScriptAlias`). */
  readonly xtraceScriptAlias?: string;
  /** `booted`: strace ran in the booted system's PID namespace (see `RunMetadata.pidNamespace`). */
  readonly tracePidNamespace?: 'booted';
  /** The IPC objects there before the script (see `RunMetadata.ipc`); absent when run-phase could not read them. */
  readonly ipc?: IpcSnapshot;
  /** Whether run-phase could shield itself from the OOM killer. */
  readonly oomProtected: boolean;
  /** The comparison run: the script ran on the booted tree with `SW_SESSION_IS_DRD` unset (request.outsideDrd). */
  readonly outsideDrd?: boolean;
}

// properties and required apply to objects only, so null passes with no second branch to report on.
const nullableObject = (schema: object): object => ({ ...schema, type: ['object', 'null'] });

const LEFTOVER_SCHEMA = objectSchema<LeftoverProcess>()({
  properties: { pid: INT, nsPid: INT, containerPid: INT, argv: STRINGS },
  required: ['pid', 'argv'],
});

type Strace = NonNullable<RunResult['strace']>;
type KilledAtLimit = NonNullable<RunResult['killedAtLimit']>;

export const RUN_RESULT_SCHEMA = objectSchema<RunResult>()({
  description: 'result.json: what run-phase in the sandbox container reports of one run',
  properties: {
    schemaVersion: { const: 1 },
    phase: { enum: [...PHASES] },
    scriptJailPath: { type: 'string' },
    exitCode: { type: ['integer', 'null'] },
    signal: { type: ['string', 'null'] },
    finished: { type: 'boolean' },
    limitHit: { type: ['string', 'null'] },
    phaseWallMs: MS,
    setupMs: MS,
    collectMs: MS,
    setup: objectSchema<RunResult['setup']>()({
      properties: { bootMs: MS, cloneMs: MS, hashMs: MS, bootedFiles: INT },
      required: ['bootMs', 'cloneMs', 'hashMs', 'bootedFiles'],
    }),
    collect: objectSchema<RunResult['collect']>()({
      properties: { jailMs: MS, settleMs: MS, hashMs: MS },
      required: ['jailMs', 'settleMs', 'hashMs'],
    }),
    trees: objectSchema<RunResult['trees']>()({
      properties: { booted: { type: 'string' }, inactive: { type: 'string' }, shared: { type: 'array', items: SHARED_MOUNT_SCHEMA }, sandbox: STRINGS },
      required: ['booted', 'inactive'],
    }),
    daemons: { type: 'array', items: DAEMON_STATE_SCHEMA },
    init: objectSchema<RunResult['init']>()({
      properties: { pid: INT, nsPid: INT, containerPid: INT, aliveAfter: { type: 'boolean' } },
      required: ['pid', 'aliveAfter'],
    }),
    leftovers: { type: 'array', items: LEFTOVER_SCHEMA },
    killedAtLimit: nullableObject(
      objectSchema<KilledAtLimit>()({ properties: { count: INT, processes: { type: 'array' } }, required: ['count', 'processes'] }),
    ),
    strace: nullableObject(
      objectSchema<Strace>()({
        properties: { argv: STRINGS, exitCode: { type: ['integer', 'null'] }, uid: INT, stuck: { type: 'string' }, messages: STRINGS },
        required: ['argv', 'exitCode'],
      }),
    ),
    untraced: { type: 'boolean' },
    interactive: { type: 'boolean' },
    command: STRINGS,
    xtraceMarker: NON_EMPTY,
    xtracePs4: { type: 'string' },
    xtraceScriptAlias: NON_EMPTY,
    tracePidNamespace: { const: 'booted' },
    ipc: IPC_SNAPSHOT_SCHEMA,
    oomProtected: { type: 'boolean' },
    outsideDrd: { type: 'boolean' },
  },
  required: [
    'schemaVersion',
    'phase',
    'scriptJailPath',
    'exitCode',
    'signal',
    'finished',
    'limitHit',
    'phaseWallMs',
    'setupMs',
    'collectMs',
    'setup',
    'collect',
    'trees',
    'daemons',
    'init',
    'leftovers',
    'killedAtLimit',
    'strace',
    'untraced',
    'command',
    'xtraceMarker',
    'oomProtected',
  ],
});

const RUN_RESULT_FILE = contractFile<RunResult>(validators.runResult, 'result.json');

/** result.json's text checked against the contract. */
export const parseRunResult = RUN_RESULT_FILE.parse;

/** result.json checked; `undefined` when there is none. */
export const readRunResult = RUN_RESULT_FILE.read;

export interface ScriptSource {
  readonly text: string;
  readonly sourcePath: string;
  /** The file as it is, when it is not text (a binary control script); sent instead of `text`. */
  readonly bytes?: Buffer;
}

/** `run.json`: what the analysis needs, from the sandbox's result plus the script itself. */
export function toRunMetadata(result: RunResult, script: ScriptSource, extra: Pick<RunMetadata, 'timings' | 'payload' | 'standins'> = {}): RunMetadata {
  const daemons: BootedDaemon[] = result.daemons.map((d) => ({
    name: d.name,
    pid: d.pid,
    ...(d.nsPid !== undefined ? { nsPid: d.nsPid } : {}),
    endpoints: [...d.endpoints],
  }));
  return {
    schemaVersion: 1,
    trees: {
      booted: result.trees.booted,
      inactive: result.trees.inactive,
      shared: result.trees.shared ?? [],
      sandbox: result.trees.sandbox ?? [],
    },
    script: { phase: result.phase, jailPath: result.scriptJailPath, sourcePath: script.sourcePath, text: script.text },
    daemons,
    xtraceMarker: result.xtraceMarker ?? DEFAULT_XTRACE_MARKER,
    ...(result.xtraceScriptAlias ? { xtraceScriptAlias: result.xtraceScriptAlias } : {}),
    ...(result.tracePidNamespace === 'booted' ? { pidNamespace: 'booted' as const } : {}),
    ...(result.ipc !== undefined ? { ipc: result.ipc } : {}),
    finished: result.finished,
    ...(result.limitHit ? { limitHit: result.limitHit } : {}),
    ...(result.outsideDrd === true ? { outsideDrd: true as const } : {}),
    ...extra,
  };
}
