/**
 * Turns a failed execa call into the harness's `ProcessError`, with one message
 * formula: `<command> failed: <why>` plus the last lines the process wrote to
 * stderr, and the execa error kept as `cause` for `--debug`.
 */
import { ExecaError } from 'execa';
import { InternalError, ProcessError } from '../errors.js';

/** How many trailing stderr lines a failure message quotes. */
const STDERR_TAIL_LINES = 10;

/** `make -C images/standins OUT=x`: the command as a user would type it, for messages. */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export function stderrTail(stderr: unknown, lines = STDERR_TAIL_LINES): string {
  if (typeof stderr !== 'string' || stderr.trim() === '') return '';
  return stderr
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join('\n');
}

export function toProcessError(error: unknown, command: string, hint?: string): ProcessError {
  if (!(error instanceof ExecaError)) {
    return new ProcessError('PROCESS_FAILED', command, `${command} failed: ${String(error)}`, { cause: error, ...(hint ? { hint } : {}) });
  }
  if (error.isCanceled) {
    return new ProcessError('ABORTED', command, `${command} was cancelled`, { cause: error });
  }
  if (error.timedOut) {
    return new ProcessError('PROCESS_TIMEOUT', command, `${command} timed out after ${Math.round(error.durationMs / 1000)} s`, {
      cause: error,
      hint: hint ?? 'raise the timeout, or find out why the command hangs',
    });
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' && error.exitCode === undefined) {
    return new ProcessError('PROCESS_FAILED', command, `${command} failed: the program was not found`, {
      cause: error,
      hint: hint ?? `install ${command.split(' ')[0] ?? 'it'} or put it on PATH`,
    });
  }
  const why = error.signal ? `killed by ${error.signal}` : error.exitCode !== undefined ? `exit code ${error.exitCode}` : error.shortMessage;
  const tail = stderrTail(error.stderr);
  return new ProcessError('PROCESS_FAILED', command, `${command} failed: ${why}${tail ? `\n${tail}` : ''}`, {
    cause: error,
    ...(hint ? { hint } : {}),
  });
}

/** Options that every process wrapper checks up front: a timeout and an abort signal are not optional. */
export function validateProcessLimits(timeoutMs: unknown, signal: unknown): void {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InternalError(`Expected \`timeoutMs\` to be a positive number of milliseconds, got \`${String(timeoutMs)}\` (${typeof timeoutMs})`);
  }
  if (!(signal instanceof AbortSignal)) {
    throw new InternalError(`Expected \`signal\` to be an AbortSignal, got \`${String(signal)}\` (${typeof signal})`);
  }
}

/** execa (and node-pty, which the tests use) want string values only; `process.env` may hold undefined. */
export function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
