/**
 * `result.json` as `run-phase` writes it (images/README.md), read back with
 * its shape checked, and turned into `run.json` (RunMetadata) for the
 * analysis.
 */
import { readFile } from 'node:fs/promises';
import { HarnessError } from '../errors.js';
import type { BootedDaemon, IpcSnapshot, Phase, RunMetadata, TreeLayout } from '../model/run-metadata.js';
import { DEFAULT_XTRACE_MARKER } from '../model/run-metadata.js';
import type { SchedState } from '../report/ground-truth.js';

export interface RunResultDaemon {
  readonly name: string;
  readonly pid: number;
  readonly nsPid?: number;
  readonly endpoints: readonly string[];
  readonly aliveBefore?: boolean;
  readonly aliveAfter?: boolean;
  readonly schedBefore?: SchedState;
  readonly schedAfter?: SchedState;
}

export interface RunResult {
  readonly schemaVersion: 1;
  readonly phase: Phase;
  readonly scriptJailPath: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly finished: boolean;
  readonly limitHit: string | null;
  readonly phaseWallMs: number;
  readonly setupMs?: number;
  readonly collectMs?: number;
  readonly trees: TreeLayout;
  readonly daemons: readonly RunResultDaemon[];
  readonly leftovers?: readonly { readonly pid: number; readonly nsPid?: number; readonly argv: readonly string[] }[];
  readonly strace?: {
    readonly argv: readonly string[];
    readonly exitCode: number | null;
    readonly stuck?: string;
    /** What strace (or nsenter, tracer-exec) wrote on its stderr, kept apart from the script's (`tracer.log`); none in a good run. */
    readonly messages?: readonly string[];
  };
  readonly xtraceMarker?: string;
  /** The PS4 the jail's shell ran with. */
  readonly xtracePs4?: string;
  /** What PS4 writes for the control script's path (see `RunMetadata.xtraceScriptAlias`). */
  readonly xtraceScriptAlias?: string;
  /** `booted`: strace ran in the booted system's PID namespace (see `RunMetadata.pidNamespace`). */
  readonly tracePidNamespace?: 'booted';
  /** The IPC objects there before the script (see `RunMetadata.ipc`); absent when run-phase could not read them. */
  readonly ipc?: IpcSnapshot;
}

function sandboxFailed(message: string, cause?: unknown): HarnessError {
  return new HarnessError('SANDBOX_FAILED', message, {
    hint: 'the sandbox image and the harness disagree; rebuild it with `drdsafe image build --force` and run again',
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Checks the fields the harness relies on; the rest is passed through. */
export function parseRunResult(text: string, file = 'result.json'): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw sandboxFailed(`${file} is not valid JSON`, error);
  }
  const r = value as Partial<RunResult> | null;
  const problems: string[] = [];
  if (typeof r !== 'object' || r === null) throw sandboxFailed(`${file}: expected an object`);
  if (r.schemaVersion !== 1) problems.push(`schemaVersion: expected 1, got ${JSON.stringify(r.schemaVersion)}`);
  if (typeof r.scriptJailPath !== 'string') problems.push('scriptJailPath: expected a string');
  if (typeof r.finished !== 'boolean') problems.push('finished: expected a boolean');
  if (typeof r.phaseWallMs !== 'number') problems.push('phaseWallMs: expected a number');
  if (typeof r.trees?.booted !== 'string' || typeof r.trees?.inactive !== 'string') problems.push('trees: expected booted and inactive paths');
  if (!Array.isArray(r.daemons)) problems.push('daemons: expected an array');
  if (problems.length > 0) throw sandboxFailed(`${file} does not match the contract: ${problems.join('; ')}`);
  return r as RunResult;
}

export async function readRunResult(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw sandboxFailed(`run-phase left no result.json (${file})`, error);
  }
  return parseRunResult(text, file);
}

export interface ScriptSource {
  readonly text: string;
  readonly sourcePath: string;
}

/** `run.json`: what the analysis needs, from the sandbox's result plus the script itself. */
export function toRunMetadata(result: RunResult, script: ScriptSource, extra: Pick<RunMetadata, 'timings' | 'payload'> = {}): RunMetadata {
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
    ...extra,
  };
}
