/**
 * One CLI sub-command. `cli/main.ts` parses the sub-command name, hands the
 * rest of argv to `run`, and owns the single error boundary: a command throws
 * `UserError`/`HarnessError` for failures and returns its exit code otherwise.
 */
import type { CliIo } from '../app/io.js';

export interface Command {
  readonly name: string;
  /** One line for `drdsafe --help`. */
  readonly summary: string;
  /** Full help text for `drdsafe <name> --help`. */
  readonly help: string;
  /** Returns the process exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
