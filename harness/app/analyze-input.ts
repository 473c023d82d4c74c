/**
 * The first step of `analyze`: what is to be analysed. A run directory (its
 * files read through the contract), a bare trace file (tree roots from the
 * options), a named pipe, or `-` (standard input). Every bad input is
 * refused here, before the policy is read or the trace is opened.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { readRunDir } from '../contract/read-run-dir.js';
import type { RunDir } from '../contract/read-run-dir.js';
import type { RunMetadata, TreeLayout } from '../contract/run-metadata.js';
import type { CliIo } from './io.js';

export interface AnalyzeInputOptions {
  /** Tree roots for a bare trace, or overrides for a run directory. */
  readonly booted?: string;
  readonly inactive?: string;
  /** Shared file systems as jail paths (`/var/opt/shared`). */
  readonly shared?: readonly string[];
  /** Where report.json goes. Default: `report.json` in the run directory, `<trace>.report.json` beside a bare trace. */
  readonly reportPath?: string;
}

export interface AnalyzeInput {
  /** The trace file, or how a trace on standard input is named in findings. */
  readonly tracePath: string;
  /** Read as a stream (standard input, a named pipe): its size is what the parser read. */
  readonly streamed: boolean;
  /** The size of a trace file. */
  readonly traceBytes?: number;
  /** Standard input, when the trace comes on it. */
  readonly stdin?: Readable;
  /** The run directory with its files, when the input is one. */
  readonly run?: RunDir;
  /** run.json, or what stands for it (tree layout from the options). */
  readonly meta: RunMetadata;
  readonly reportPath: string;
}

/** How a trace read from standard input is named in findings and report.json. */
const STDIN_LABEL = '<stdin>';

function layoutFrom(base: TreeLayout | undefined, options: AnalyzeInputOptions): TreeLayout | undefined {
  const booted = options.booted ?? base?.booted;
  const inactive = options.inactive ?? base?.inactive;
  if (booted === undefined || inactive === undefined) return undefined;
  const shared = options.shared
    ? options.shared.map((p) => ({ jailPath: p, inactivePath: path.posix.join(inactive, p), bootedPath: path.posix.join(booted, p) }))
    : (base?.shared ?? []);
  return { booted, inactive, shared, sandbox: base?.sandbox ?? [] };
}

export async function resolveAnalyzeInput(input: string, options: AnalyzeInputOptions, io: CliIo): Promise<AnalyzeInput> {
  // `-`: the trace comes on standard input (`strace -f -o '|drdsafe analyze - ...' ...`), read as it arrives.
  const fromStdin = input === '-';
  const target = fromStdin ? STDIN_LABEL : path.resolve(io.cwd, input);
  const info = fromStdin ? undefined : await stat(target).catch(() => undefined);
  if (fromStdin && options.reportPath === undefined) {
    throw new UserError('USAGE', 'a trace read from standard input needs --report FILE', {
      hint: 'say where report.json goes with --report FILE (standard input has no folder to put it in)',
    });
  }
  const stdin = fromStdin ? io.stdin?.() : undefined;
  if (fromStdin && stdin === undefined) throw new UserError('USAGE', 'this caller gives drdsafe no standard input to read a trace from');
  if (!fromStdin && !info) {
    throw new UserError('INPUT_NOT_FOUND', `no such trace file or run directory: ${input}`, {
      hint: 'give a trace file written by strace, or a run directory made by `drdsafe run`',
    });
  }
  const run = info?.isDirectory() ? await readRunDir(target) : undefined;
  const tracePath = run ? run.tracePath : target;
  const traceInfo = fromStdin || run ? undefined : info;
  // A named pipe is read as a stream too (a regular read of it is one).
  const streamed = fromStdin || (run === undefined && traceInfo?.isFIFO() === true);
  const traceBytes = run ? run.traceBytes : traceInfo?.isFile() ? traceInfo.size : undefined;
  if (!streamed && traceBytes === undefined) {
    throw new UserError('INPUT_NOT_FOUND', `the run directory has no trace.txt: ${input}`, {
      hint: 'the run did not get as far as tracing; run the script again',
    });
  }
  const stored = run?.metadata;
  const trees = layoutFrom(stored?.trees, options);
  if (!trees) {
    throw new UserError('USAGE', `no tree layout for ${input}`, {
      hint: 'a bare trace needs --booted DIR and --inactive DIR (the real paths of the two trees as strace saw them); or give a run directory made by `drdsafe run`',
    });
  }
  const reportPath = options.reportPath ? path.resolve(io.cwd, options.reportPath) : run ? path.join(run.dir, 'report.json') : `${tracePath}.report.json`;
  return {
    tracePath,
    streamed,
    ...(traceBytes !== undefined ? { traceBytes } : {}),
    ...(stdin ? { stdin } : {}),
    ...(run ? { run } : {}),
    meta: { schemaVersion: 1, daemons: [], ...stored, trees },
    reportPath,
  };
}
