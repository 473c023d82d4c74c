import t from 'tap';
import { withTimeLimit } from '../../harness/image/with-time-limit.js';

/** A call that only ends when aborted; it holds the event loop as an open request would (AbortSignal.timeout's timer does not). */
const hang = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    const keep = setInterval(() => undefined, 1000);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keep);
        reject(new Error('request aborted'));
      },
      { once: true },
    );
  });

t.test('the limit ends a stuck call as IMAGE_BUILD_FAILED', async (t) => {
  await t.rejects(withTimeLimit('build x', 50, new AbortController().signal, hang), { code: 'IMAGE_BUILD_FAILED', op: 'build x' });
});

t.test('the caller aborting ends it as ABORTED', async (t) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  await t.rejects(withTimeLimit('build x', 60_000, controller.signal, hang), { code: 'ABORTED' });
});

t.test('results and other failures pass through', async (t) => {
  t.equal(await withTimeLimit('x', 1000, new AbortController().signal, async () => 7), 7);
  const boom = new Error('boom');
  await t.rejects(
    withTimeLimit('x', 1000, new AbortController().signal, async () => {
      throw boom;
    }),
    boom,
  );
});
