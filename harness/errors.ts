/**
 * The harness's error hierarchy. Every error carries a `code` from a closed
 * list so tests and callers branch on codes, never on wording. The CLI's one
 * error boundary (cli/main.ts) turns these into `<what failed>: <subject>`
 * plus one line saying what to do next.
 */

export type ErrorCode =
  | 'USAGE'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'POLICY_INVALID'
  | 'TRACE_UNREADABLE'
  | 'DOCKER_UNAVAILABLE'
  | 'DOCKER_FAILED'
  | 'IMAGE_BUILD_FAILED'
  | 'SANDBOX_FAILED'
  | 'PROCESS_FAILED'
  | 'PROCESS_TIMEOUT'
  | 'ABORTED'
  | 'INTERNAL';

export interface HarnessErrorOptions {
  readonly cause?: unknown;
  /** One line telling the user what to do next. */
  readonly hint?: string;
}

export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Bad command-line use or bad input the user can fix. Exit code 2 unless stated. */
export class UserError extends HarnessError {
  readonly exitCode: number;

  constructor(
    code: Extract<ErrorCode, 'USAGE' | 'INPUT_NOT_FOUND' | 'INPUT_INVALID'>,
    message: string,
    options: HarnessErrorOptions & { readonly exitCode?: number } = {},
  ) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? 2;
  }
}

/** One problem in an input file (a policy, a waiver file, an expect.yaml), with where it is. */
export interface FileProblem {
  readonly file: string;
  /** Path inside the document, e.g. `rules[2].match.signal`. */
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
  readonly message: string;
}

/** One problem in a policy file. */
export type PolicyProblem = FileProblem;

/** `file:line:col` of a problem, or as much of it as is known. */
export function problemWhere(p: FileProblem): string {
  return p.line ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
}

function firstWhere(problems: readonly FileProblem[], fallback: string): string {
  const first = problems[0];
  return `${first ? problemWhere(first) : fallback}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
}

/** A policy failed to load; carries every problem found, not just the first. */
export class PolicyError extends HarnessError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[], options: HarnessErrorOptions = {}) {
    super('POLICY_INVALID', `invalid policy: ${firstWhere(problems, 'policy')}`, {
      hint: 'fix the listed problems in the policy file and run again',
      ...options,
    });
    this.problems = problems;
  }
}

/**
 * An input file other than a policy (a waiver file, an expect.yaml) is not
 * what its format says, or says something that stops the run (an expired
 * waiver); carries every problem found. Exit code 2.
 */
export class FileProblemsError extends UserError {
  readonly problems: readonly FileProblem[];

  /** @param what the kind of file and what is wrong with it, e.g. `invalid waiver file` */
  constructor(what: string, problems: readonly FileProblem[], options: HarnessErrorOptions = {}) {
    super('INPUT_INVALID', `${what}: ${firstWhere(problems, 'file')}`, options);
    this.problems = problems;
  }
}

/** A Docker engine call failed. */
export class DockerError extends HarnessError {
  readonly op: string;
  readonly statusCode?: number;
  readonly containerId?: string;

  constructor(
    code: Extract<ErrorCode, 'DOCKER_UNAVAILABLE' | 'DOCKER_FAILED' | 'IMAGE_BUILD_FAILED'>,
    op: string,
    message: string,
    options: HarnessErrorOptions & { readonly statusCode?: number; readonly containerId?: string } = {},
  ) {
    super(code, message, options);
    this.op = op;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    if (options.containerId !== undefined) this.containerId = options.containerId;
  }
}

/** A host process (debootstrap, cc, strace...) failed; the execa error is the cause. */
export class ProcessError extends HarnessError {
  readonly command: string;

  constructor(code: Extract<ErrorCode, 'PROCESS_FAILED' | 'PROCESS_TIMEOUT' | 'ABORTED'>, command: string, message: string, options: HarnessErrorOptions = {}) {
    super(code, message, options);
    this.command = command;
  }
}

/** A bug in drdsafe: printed with its stack and a request to report it. */
export class InternalError extends HarnessError {
  constructor(message: string, options: HarnessErrorOptions = {}) {
    super('INTERNAL', message, options);
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
