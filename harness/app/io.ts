/**
 * What a use case gets from its caller instead of the real process: streams,
 * environment, working directory and the abort signal. The CLI passes the
 * process's own; tests and the benchmark pass their own, so every use case
 * runs in-process.
 */
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM; every long operation listens to it. */
  readonly signal: AbortSignal;
  /** Whether stderr is a terminal (progress lines may be redrawn). */
  readonly interactive: boolean;
  /** The command's standard input, for `run --interactive` (opened only when asked for). */
  readonly stdin?: () => Readable;
}

/** A stream that keeps nothing: what a use case prints when only its files are wanted. */
export function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** An io that prints nothing (tests, benchmarks, a batch's runs): the given directory, signal and environment. */
export function quietIo(cwd: string, options: { readonly signal?: AbortSignal; readonly env?: NodeJS.ProcessEnv } = {}): CliIo {
  return {
    stdout: discard(),
    stderr: discard(),
    env: options.env ?? process.env,
    cwd,
    signal: options.signal ?? new AbortController().signal,
    interactive: false,
  };
}
