/**
 * Runs many targets over an engine pool: at most `pool.jobs` at once, each
 * in a slot the pool gives. A run that fails because its engine failed (a
 * Docker error, not a verdict or a sandbox failure) is tried once more on
 * another engine; an engine that then no longer answers takes no more runs.
 * Aborting the signal starts nothing more, lets the runs in flight remove
 * their containers (they get the same signal) and returns what finished,
 * the rest marked `interrupted` or `not-run`.
 */
import { HarnessError, UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { EnginePool, PoolEngine, Slot } from './engine-pool.js';

/** What one run gives the batch. */
export interface TaskResult {
  readonly exitCode: number;
  /** `safe`, `unsafe`, `indeterminate`; for a corpus case `ok` or `FAIL`. */
  readonly verdict: string;
  /** Its run directory, where report.html lies. */
  readonly runDir?: string;
  /** One more word for the summary (e.g. what a corpus case expected). */
  readonly note?: string;
}

export interface BatchTask<T extends TaskResult> {
  /** Unique in the batch: the target as the user named it. */
  readonly name: string;
  run(slot: Slot, signal: AbortSignal): Promise<T>;
}

export type EntryStatus = 'finished' | 'failed' | 'interrupted' | 'not-run';

export interface BatchEntry<T extends TaskResult> {
  readonly name: string;
  readonly status: EntryStatus;
  readonly exitCode: number;
  /** The task's verdict, or `error`, `interrupted`, `not run`. */
  readonly verdict: string;
  readonly runDir?: string;
  readonly note?: string;
  /** The engine of the last attempt. */
  readonly engine?: string;
  readonly ms: number;
  readonly attempts: number;
  /** Why it failed, one line. */
  readonly error?: string;
  readonly result?: T;
}

export type BatchEvent<T extends TaskResult> =
  | { readonly kind: 'start'; readonly name: string; readonly engine: string; readonly cpu: number }
  | { readonly kind: 'retry'; readonly name: string; readonly engine: string; readonly error: string }
  | { readonly kind: 'finish'; readonly entry: BatchEntry<T> };

export interface RunBatchOptions<T extends TaskResult> {
  readonly pool: EnginePool;
  readonly signal: AbortSignal;
  readonly onEvent?: (event: BatchEvent<T>) => void;
  /** Default: `isEngineFailure`. */
  readonly engineFailed?: (error: unknown) => boolean;
}

/** An error of the engine itself (unreachable, or an API call that failed), not of the run. */
export function isEngineFailure(error: unknown, depth = 0): boolean {
  if (error instanceof HarnessError && (error.code === 'DOCKER_UNAVAILABLE' || error.code === 'DOCKER_FAILED')) return true;
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  // An engine that dies mid-run often fails the clean-up too: the run's error then comes
  // wrapped (a SuppressedError from `await using`, an AggregateError, a cause).
  const e = error as { error?: unknown; suppressed?: unknown; errors?: unknown; cause?: unknown };
  const inner = [e.error, e.suppressed, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((x) => x !== undefined && isEngineFailure(x, depth + 1));
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

export async function runBatch<T extends TaskResult>(tasks: readonly BatchTask<T>[], options: RunBatchOptions<T>): Promise<BatchEntry<T>[]> {
  const { pool, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const engineFailed = options.engineFailed ?? isEngineFailure;
  const entries = new Array<BatchEntry<T> | undefined>(tasks.length);
  let next = 0;

  const runOne = async (task: BatchTask<T>): Promise<BatchEntry<T>> => {
    const started = Date.now();
    const avoid = new Set<PoolEngine>();
    let attempts = 0;
    let lastEngine: string | undefined;
    for (;;) {
      const slot = await pool.acquire(avoid, signal);
      if (slot === undefined) {
        const ms = Date.now() - started;
        if (signal.aborted)
          return {
            name: task.name,
            status: attempts === 0 ? 'not-run' : 'interrupted',
            exitCode: EXIT.indeterminate,
            verdict: attempts === 0 ? 'not run' : 'interrupted',
            ms,
            attempts,
          };
        return {
          name: task.name,
          status: 'failed',
          exitCode: EXIT.indeterminate,
          verdict: 'error',
          ms,
          attempts,
          error: 'no engine left to run it on',
          ...(lastEngine ? { engine: lastEngine } : {}),
        };
      }
      attempts++;
      lastEngine = slot.engine.name;
      emit({ kind: 'start', name: task.name, engine: slot.engine.name, cpu: slot.cpu });
      try {
        const result = await task.run(slot, signal);
        return {
          name: task.name,
          status: 'finished',
          exitCode: result.exitCode,
          verdict: result.verdict,
          engine: slot.engine.name,
          ms: Date.now() - started,
          attempts,
          result,
          ...(result.runDir !== undefined ? { runDir: result.runDir } : {}),
          ...(result.note !== undefined ? { note: result.note } : {}),
        };
      } catch (error) {
        const ms = Date.now() - started;
        if (signal.aborted)
          return { name: task.name, status: 'interrupted', exitCode: EXIT.indeterminate, verdict: 'interrupted', engine: slot.engine.name, ms, attempts };
        if (engineFailed(error)) {
          // Is the engine gone, or did only this run's call fail? A gone engine takes no more runs.
          const alive = await slot.engine.client.ping().then(
            () => true,
            () => false,
          );
          if (!alive) pool.markFailed(slot.engine);
          avoid.add(slot.engine);
          if (attempts < 2 && pool.usable(avoid).length > 0) {
            emit({ kind: 'retry', name: task.name, engine: slot.engine.name, error: oneLine(error) });
            continue;
          }
        }
        const exitCode = error instanceof UserError ? error.exitCode : EXIT.indeterminate;
        return { name: task.name, status: 'failed', exitCode, verdict: 'error', engine: slot.engine.name, ms, attempts, error: oneLine(error) };
      } finally {
        pool.release(slot);
      }
    }
  };

  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index]!;
      if (signal.aborted) {
        entries[index] = { name: task.name, status: 'not-run', exitCode: EXIT.indeterminate, verdict: 'not run', ms: 0, attempts: 0 };
        continue;
      }
      const entry = await runOne(task);
      entries[index] = entry;
      emit({ kind: 'finish', entry });
    }
  };
  await Promise.all(Array.from({ length: Math.min(pool.jobs, tasks.length) }, worker));
  return entries.map((e, i) => e ?? { name: tasks[i]!.name, status: 'not-run', exitCode: EXIT.indeterminate, verdict: 'not run', ms: 0, attempts: 0 });
}
