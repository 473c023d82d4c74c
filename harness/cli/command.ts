/**
 * One CLI sub-command. `cli/main.ts` parses the sub-command name, hands the
 * rest of argv to `run`, and owns the single error boundary: a command throws
 * `UserError`/`HarnessError` for failures and returns its exit code otherwise.
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

export interface Command {
  readonly name: string;
  /** One line for `drdsafe --help`. */
  readonly summary: string;
  /** Full help text for `drdsafe <name> --help`. */
  readonly help: string;
  /** Returns the process exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by `analyze` and `run`. */
export const EXIT = {
  safe: 0,
  unsafe: 1,
  usage: 2,
  indeterminate: 3,
} as const;
