/**
 * Problems in a package input (PSF, depot catalog, script folder): each one
 * names its file, line and column, and a reader collects every problem it can
 * find before giving up, so one run shows them all. `SdInputError` is a
 * `UserError` (exit code 2) whose message lists them, so the CLI's one error
 * boundary prints them without knowing this type.
 */
import { UserError } from '../errors.js';

export interface SdProblem {
  /** The file as the user named it, or `archive.depot:catalog/INDEX` for a member of a tape depot. */
  readonly file: string;
  /** 1-based; absent for problems of the file as a whole. */
  readonly line?: number;
  /** 1-based column of the offending token. */
  readonly col?: number;
  readonly message: string;
}

/** `file:line:col: message`, the form compilers and editors understand. */
export function formatProblem(p: SdProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}${p.col === undefined ? '' : `:${p.col}`}`;
  return `${where}: ${p.message}`;
}

export class SdInputError extends UserError {
  readonly problems: readonly SdProblem[];

  constructor(subject: string, problems: readonly SdProblem[]) {
    const head = `invalid package input ${subject}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('INPUT_INVALID', [head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'), {
      hint: 'fix the listed problems; nothing was run',
    });
    this.problems = problems;
  }
}

/** Collects problems (and warnings) while a reader works through its input. */
export class ProblemList {
  readonly problems: SdProblem[] = [];
  readonly warnings: SdProblem[] = [];

  add(file: string, line: number | undefined, col: number | undefined, message: string): void {
    this.problems.push(withPosition(file, line, col, message));
  }

  warn(file: string, line: number | undefined, col: number | undefined, message: string): void {
    this.warnings.push(withPosition(file, line, col, message));
  }

  get size(): number {
    return this.problems.length;
  }

  /** Throws `SdInputError` with every problem so far, if there is one. */
  throwIfAny(subject: string): void {
    if (this.problems.length > 0) throw new SdInputError(subject, this.problems);
  }
}

function withPosition(file: string, line: number | undefined, col: number | undefined, message: string): SdProblem {
  return { file, ...(line === undefined ? {} : { line }), ...(col === undefined ? {} : { col }), message };
}
