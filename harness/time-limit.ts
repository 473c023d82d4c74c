/**
 * An abort signal that fires when the caller's signal does or when a time
 * limit passes, for waits that must end even if the other side never answers.
 *
 * Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: in Node 20 the
 * combined signal holds its sources weakly and the timeout's timer holds its
 * signal weakly, so nothing keeps the timeout signal alive; once it is
 * garbage-collected the limit never fires and the wait hangs (seen after
 * about a hundred 50 ms limits in one process). Here the armed timer holds
 * the controller, so the limit cannot be lost. Like AbortSignal.timeout, the
 * timer does not keep the process alive by itself.
 */
export interface TimeLimit {
  /** Aborted by the caller's signal (with its reason) or by the limit (a TimeoutError). */
  readonly signal: AbortSignal;
  /** True once the limit, not the caller, has ended the wait. */
  readonly expired: boolean;
  /** Disarms the timer and stops following the caller's signal; call it in `finally`. */
  dispose(): void;
}

export function timeLimit(signal: AbortSignal, limitMs: number): TimeLimit {
  const controller = new AbortController();
  let expired = false;
  const onAbort = (): void => controller.abort(signal.reason);
  const timer = setTimeout(
    () => {
      expired = true;
      signal.removeEventListener('abort', onAbort);
      controller.abort(new DOMException(`the time limit of ${limitMs} ms passed`, 'TimeoutError'));
    },
    Math.max(1, limitMs),
  );
  timer.unref();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
