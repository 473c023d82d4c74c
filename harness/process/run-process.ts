/**
 * The one way the harness runs a host program to completion (make, the rootfs
 * script, tar): execa with a timeout and an abort signal always set, arguments
 * as an array (never a shell), stderr lines streamed to a progress callback.
 */
import { execa } from 'execa';
import { commandLine, definedEnv, toProcessError, validateProcessLimits } from './process-error.js';

export interface RunProcessOptions {
  /** Kill the process (SIGTERM, then SIGKILL) when it runs longer than this. Required. */
  readonly timeoutMs: number;
  /** Aborting it kills the process the same way. Required. */
  readonly signal: AbortSignal;
  /** Default: the current directory. */
  readonly cwd?: string;
  /** The whole environment of the child (not merged with `process.env`). Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with every line written to stderr, as it comes (progress). Default: none. */
  readonly onStderrLine?: (line: string) => void;
  /** Called with every line written to stdout, as it comes. Default: none. */
  readonly onStdoutLine?: (line: string) => void;
  /** Grace between SIGTERM and SIGKILL. Default: `5000`. */
  readonly forceKillAfterDelayMs?: number;
  /** The fix line used when the process fails. Default: a generic one per failure kind. */
  readonly hint?: string;
}

/** Same fields as execa's result that the harness reads. */
export interface ProcessResult {
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Runs `file args...`; resolves on exit code 0, otherwise rejects with a `ProcessError`. */
export async function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  validateProcessLimits(options.timeoutMs, options.signal);
  const command = commandLine(file, args);
  const tap = (callback: ((line: string) => void) | undefined) =>
    callback
      ? function* (line: unknown) {
          callback(String(line));
          yield line;
        }
      : 'pipe';
  try {
    const result = await execa(file, args, {
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      forceKillAfterDelay: options.forceKillAfterDelayMs ?? 5000,
      cleanup: true,
      reject: true,
      stdin: 'ignore',
      stdout: tap(options.onStdoutLine),
      stderr: tap(options.onStderrLine),
      env: definedEnv(options.env ?? process.env),
      extendEnv: false,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
    return {
      command,
      exitCode: result.exitCode ?? 0,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
      durationMs: result.durationMs,
    };
  } catch (error) {
    throw toProcessError(error, command, options.hint);
  }
}
