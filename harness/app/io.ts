/**
 * What a use case gets from its caller instead of the real process: streams,
 * environment, working directory and the abort signal. The CLI passes the
 * process's own; tests and the benchmark pass their own, so every use case
 * runs in-process.
 */
import type { Readable, Writable } from 'node:stream';

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
