/**
 * Runs a host program whose stdout is consumed as a stream (e.g. `tar -c` of a
 * root file system piped into the Docker image import), with the same limits
 * and error mapping as `runProcess`.
 */
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { commandLine, definedEnv, toProcessError, validateProcessLimits } from './process-error.js';
import type { ProcessResult, RunProcessOptions } from './run-process.js';

export interface StreamingProcess {
  /** The process's stdout; read it to the end, or abort, or the process blocks. */
  readonly stdout: Readable;
  /** Settles when the process exits: rejects with a `ProcessError` on failure. `stdout` is empty. */
  readonly result: Promise<ProcessResult>;
}

export function streamProcess(file: string, args: readonly string[], options: Omit<RunProcessOptions, 'onStdoutLine'>): StreamingProcess {
  validateProcessLimits(options.timeoutMs, options.signal);
  const command = commandLine(file, args);
  const subprocess = execa(file, args, {
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: options.forceKillAfterDelayMs ?? 5000,
    cleanup: true,
    reject: true,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: options.onStderrLine
      ? function* (line: unknown) {
          options.onStderrLine?.(String(line));
          yield line;
        }
      : 'pipe',
    // stdout goes to the consumer, not into memory.
    buffer: { stdout: false, stderr: true },
    env: definedEnv(options.env ?? process.env),
    extendEnv: false,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  const result = subprocess.then(
    (r): ProcessResult => ({ command, exitCode: r.exitCode ?? 0, stdout: '', stderr: String(r.stderr), durationMs: r.durationMs }),
    (error: unknown) => {
      throw toProcessError(error, command, options.hint);
    },
  );
  return { stdout: subprocess.stdout, result };
}
