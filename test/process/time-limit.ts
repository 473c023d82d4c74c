import t from 'tap';
import { timeLimit } from '../../harness/time-limit.js';

/** Resolves with how the signal ended, or 'never' when nothing ended it within `waitMs`. */
function ending(signal: AbortSignal, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const alive = setTimeout(() => resolve('never'), waitMs);
    signal.addEventListener('abort', () => {
      clearTimeout(alive);
      resolve((signal.reason as Error).name);
    });
  });
}

t.test('the limit fires even when garbage collection runs while it is armed', async (t) => {
  // Node 20's AbortSignal.any([signal, AbortSignal.timeout(ms)]) lost its timeout here within a few dozen waits.
  let garbage: object[] = [];
  const churn = setInterval(() => {
    garbage = Array.from({ length: 50_000 }, (_, i) => ({ i }));
  }, 1);
  t.teardown(() => clearInterval(churn));
  const caller = new AbortController();
  const ends: string[] = [];
  for (let i = 0; i < 80; i++) {
    const limit = timeLimit(caller.signal, 20);
    ends.push(await ending(limit.signal, 2_000));
    t.equal(limit.expired, ends.at(-1) === 'TimeoutError', `wait ${i}: expired says what ended it`);
    limit.dispose();
    if (ends.at(-1) !== 'TimeoutError') break;
  }
  t.same(ends, Array(80).fill('TimeoutError'), 'each of 80 limits fired, under allocation pressure');
  t.ok(garbage.length > 0);
});

t.test("the caller's abort ends it with the caller's reason, and is not the limit", async (t) => {
  const caller = new AbortController();
  const limit = timeLimit(caller.signal, 60_000);
  const end = ending(limit.signal, 5_000);
  caller.abort(new RangeError('Ctrl-C'));
  t.equal(await end, 'RangeError');
  t.equal(limit.expired, false);
  limit.dispose();
});

t.test('a caller already aborted ends it at once', async (t) => {
  const caller = new AbortController();
  caller.abort(new RangeError('gone'));
  const limit = timeLimit(caller.signal, 60_000);
  t.equal(limit.signal.aborted, true);
  t.equal((limit.signal.reason as Error).name, 'RangeError');
  limit.dispose();
});

t.test('dispose disarms it: neither the timer nor the caller ends it afterwards', async (t) => {
  const caller = new AbortController();
  const limit = timeLimit(caller.signal, 20);
  limit.dispose();
  const end = ending(limit.signal, 200);
  caller.abort(new RangeError('late'));
  t.equal(await end, 'never');
  t.equal(limit.expired, false);
});
