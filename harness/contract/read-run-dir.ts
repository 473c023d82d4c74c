/**
 * A run directory, as `drdsafe run` leaves it: the container's `/drdsafe/out`
 * plus run.json and report.json. `readRunDir` is the one way in: every file
 * the analysis reads is read here through its checked reader, so a damaged
 * file stops the reader with its name, field and problem instead of being
 * taken with defaults. A file a run did not get far enough to write is
 * absent (`undefined`), which each caller judges for itself.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readBootedDiff } from './booted-diff.js';
import type { BootedDiff } from './booted-diff.js';
import { readExplorationRecord } from './exploration-record.js';
import type { ExplorationRecord } from './exploration-record.js';
import { readRunMetadata } from './run-metadata.js';
import type { RunMetadata } from './run-metadata.js';
import { readRunResult } from './run-result.js';
import type { RunResult } from './run-result.js';
import { readWitness } from './witness.js';
import type { WitnessLog } from './witness.js';

/** The files of a run directory, by what they hold. */
export const RUN_FILES = {
  /** strace's output. */
  trace: 'trace.txt',
  /** What the analysis needs to know about the run (RunMetadata), written by the harness. */
  metadata: 'run.json',
  /** What run-phase reports of the run (RunResult). */
  result: 'result.json',
  /** What the booted system experienced, one JSON object a line. */
  witness: 'witness.jsonl',
  /** What changed in the booted tree (BootedDiff). */
  bootedDiff: 'booted-diff.json',
  /** The script's output (its xtrace lines are on stderr). */
  stdout: 'stdout.txt',
  stderr: 'stderr.txt',
  /** What strace and its launchers wrote on their stderr. */
  tracerLog: 'tracer.log',
  /** The booted system's init's output. */
  console: 'console.txt',
  /** The analysis's report, written by `analyze` and `run`. */
  report: 'report.json',
  /** Branch exploration: the probes, the variants (each a run directory under `variants/`) and the comparison run (`compare/`). */
  exploration: 'exploration.json',
} as const;

export interface RunDir {
  /** Absolute path of the directory. */
  readonly dir: string;
  /** Where trace.txt is (or would be). */
  readonly tracePath: string;
  /** trace.txt's size; `undefined` when there is no trace.txt file. */
  readonly traceBytes?: number;
  readonly metadata?: RunMetadata;
  readonly result?: RunResult;
  readonly witness?: WitnessLog;
  readonly bootedDiff?: BootedDiff;
  /** What branch exploration did, when the run explored (its variants' run directories are below this one). */
  readonly exploration?: ExplorationRecord;
}

/** The path of one of the run's files. */
export function runFile(dir: string, name: keyof typeof RUN_FILES): string {
  return path.join(dir, RUN_FILES[name]);
}

/** Reads every file of a run directory the analysis uses, each checked against the contract. */
export async function readRunDir(dir: string): Promise<RunDir> {
  const root = path.resolve(dir);
  const tracePath = runFile(root, 'trace');
  const [trace, metadata, result, witness, bootedDiff, exploration] = await Promise.all([
    stat(tracePath).catch(() => undefined),
    readRunMetadata(runFile(root, 'metadata')),
    readRunResult(runFile(root, 'result')),
    readWitness(runFile(root, 'witness')),
    readBootedDiff(runFile(root, 'bootedDiff')),
    readExplorationRecord(runFile(root, 'exploration')),
  ]);
  return {
    dir: root,
    tracePath,
    ...(trace?.isFile() ? { traceBytes: trace.size } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(result !== undefined ? { result } : {}),
    ...(witness !== undefined ? { witness } : {}),
    ...(bootedDiff !== undefined ? { bootedDiff } : {}),
    ...(exploration !== undefined ? { exploration } : {}),
  };
}
