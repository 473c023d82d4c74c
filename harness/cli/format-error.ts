import { FileProblemsError, HarnessError, PolicyError, UserError, isHarnessError, problemWhere } from '../errors.js';
import { EXIT } from '../exit-codes.js';

export interface FormattedError {
  readonly text: string;
  readonly exitCode: number;
}

/**
 * The one message formula: `drdsafe <command>: <what failed>` and one line on
 * what to do next; policy, waiver and expect.yaml errors list every problem as `file:line:col: path: message`.
 * Unknown errors are bugs: stack plus a request to report.
 */
export function formatError(error: unknown, options: { command: string; debug: boolean }): FormattedError {
  const lines: string[] = [];
  if (isHarnessError(error) && error.code !== 'INTERNAL') {
    lines.push(`drdsafe ${options.command}: ${error.message}`);
    if (error instanceof PolicyError || error instanceof FileProblemsError) {
      for (const p of error.problems) lines.push(`  ${problemWhere(p)}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    }
    if (error.hint) lines.push(`  -> ${error.hint}`);
    if (options.debug) lines.push(stackWithCauses(error));
    const exitCode = error instanceof UserError ? error.exitCode : error.code === 'POLICY_INVALID' ? EXIT.usage : EXIT.indeterminate;
    return { text: lines.join('\n') + '\n', exitCode };
  }
  lines.push(`drdsafe ${options.command}: internal error: ${error instanceof Error ? error.message : String(error)}`);
  lines.push(stackWithCauses(error));
  lines.push('This is a bug in drdsafe. Please report it with the command you ran and the output above.');
  return { text: lines.join('\n') + '\n', exitCode: EXIT.indeterminate };
}

function stackWithCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(depth === 0 ? String(current.stack) : `caused by: ${String(current.stack)}`);
      current = current.cause;
    } else {
      parts.push(`caused by: ${String(current)}`);
      break;
    }
  }
  return parts.join('\n');
}

export { HarnessError };
