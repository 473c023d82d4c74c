/**
 * Runs an engine call (build, import) under the caller's abort signal and a
 * time limit of its own, so a stuck engine cannot hold a run forever. A call
 * ended by the limit fails as IMAGE_BUILD_FAILED saying so; one ended by the
 * caller as ABORTED.
 */
import { DockerError, HarnessError } from '../errors.js';
import { timeLimit } from '../time-limit.js';

export async function withTimeLimit<T>(op: string, limitMs: number, signal: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const limit = timeLimit(signal, limitMs);
  try {
    return await call(limit.signal);
  } catch (error) {
    if (signal.aborted) throw new HarnessError('ABORTED', `${op} was cancelled`, { cause: error });
    if (limit.expired) {
      throw new DockerError('IMAGE_BUILD_FAILED', op, `${op} did not finish within ${Math.round(limitMs / 60_000)} min`, {
        cause: error,
        hint: 'check the Docker engine (`docker info`, its log) and run again',
      });
    }
    throw error;
  } finally {
    limit.dispose();
  }
}
