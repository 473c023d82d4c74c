/**
 * Runs a program on a pseudo-terminal (for programs that behave differently on
 * a tty, e.g. ones that prompt), answering its prompts in order. The data/exit listeners are disposed exactly
 * once, the child is killed on abort or timeout (SIGTERM, then SIGKILL), and
 * `undefined` values are stripped from the environment, which node-pty rejects.
 */
import * as pty from 'node-pty';
import { ProcessError } from '../errors.js';
import { commandLine, definedEnv, validateProcessLimits } from './process-error.js';

export interface PtyOptions {
  /** Kill the program when it runs longer than this. Required. */
  readonly timeoutMs: number;
  /** Aborting it kills the program. Required. */
  readonly signal: AbortSignal;
  /** Default: the current directory. */
  readonly cwd?: string;
  /** Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: `80`. */
  readonly cols?: number;
  /** Default: `24`. */
  readonly rows?: number;
  /** Called with every chunk the program writes. Default: none. */
  readonly onData?: (data: string) => void;
  /**
   * What to type, in order: each `reply` once the output since the previous
   * answer matches its `prompt` (a reply ends with `\r`, the Enter key).
   * Default: none.
   */
  readonly answers?: readonly PtyAnswer[];
  /** Grace between SIGTERM and SIGKILL. Default: `2000`. */
  readonly forceKillAfterDelayMs?: number;
}

export interface PtyAnswer {
  readonly prompt: RegExp;
  readonly reply: string;
}

export interface PtyResult {
  readonly command: string;
  readonly exitCode: number;
  /** Everything written to the terminal. */
  readonly output: string;
  readonly durationMs: number;
}

/** Resolves when the program exits with 0; rejects with a `ProcessError` otherwise. */
export function runInPty(file: string, args: readonly string[], options: PtyOptions): Promise<PtyResult> {
  validateProcessLimits(options.timeoutMs, options.signal);
  const command = commandLine(file, args);
  if (options.signal.aborted) {
    return Promise.reject(new ProcessError('ABORTED', command, `${command} was cancelled`, { cause: options.signal.reason }));
  }
  const started = performance.now();
  const child = pty.spawn(file, [...args], {
    name: 'xterm',
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
    cwd: options.cwd ?? process.cwd(),
    env: definedEnv(options.env ?? process.env),
  });
  return new Promise<PtyResult>((resolve, reject) => {
    let output = '';
    // Output not yet matched against the next prompt.
    let unanswered = '';
    let next = 0;
    let ended: 'aborted' | 'timeout' | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const terminate = (why: 'aborted' | 'timeout'): void => {
      if (ended) return;
      ended = why;
      safeKill('SIGTERM');
      killTimer = setTimeout(() => safeKill('SIGKILL'), options.forceKillAfterDelayMs ?? 2000);
    };
    const safeKill = (signal: string): void => {
      try {
        child.kill(signal);
      } catch {
        // Already gone: the exit handler settles the promise.
      }
    };
    const onAbort = (): void => terminate('aborted');
    const timeoutTimer = setTimeout(() => terminate('timeout'), options.timeoutMs);
    options.signal.addEventListener('abort', onAbort, { once: true });

    let disposed = false;
    const disposables = [
      child.onData((data) => {
        output += data;
        options.onData?.(data);
        unanswered += data;
        const answers = options.answers ?? [];
        for (let answer = answers[next]; answer !== undefined && !ended; answer = answers[next]) {
          const m = answer.prompt.exec(unanswered);
          if (m === null) break;
          unanswered = unanswered.slice(m.index + m[0].length);
          next++;
          child.write(answer.reply);
        }
      }),
      child.onExit(({ exitCode, signal }) => {
        cleanup();
        const durationMs = performance.now() - started;
        if (ended === 'aborted') {
          reject(new ProcessError('ABORTED', command, `${command} was cancelled`, { cause: options.signal.reason }));
        } else if (ended === 'timeout') {
          reject(
            new ProcessError('PROCESS_TIMEOUT', command, `${command} timed out after ${Math.round(options.timeoutMs / 1000)} s`, {
              hint: 'raise the timeout, or find out why the command hangs',
            }),
          );
        } else if (exitCode !== 0 || (signal !== undefined && signal !== 0)) {
          const why = signal ? `killed by signal ${signal}` : `exit code ${exitCode}`;
          reject(new ProcessError('PROCESS_FAILED', command, `${command} failed: ${why}`));
        } else {
          resolve({ command, exitCode, output, durationMs });
        }
      }),
    ];
    function cleanup(): void {
      if (disposed) return;
      disposed = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      for (const d of disposables) d.dispose();
    }
  });
}
