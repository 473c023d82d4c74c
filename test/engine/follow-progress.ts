import t from 'tap';
import { Readable } from 'node:stream';
import { followProgress } from '../../harness/engine/follow-progress.js';
import { DockerError } from '../../harness/errors.js';

const lines = (...events: string[]) => Readable.from(events.map((e) => Buffer.from(e)));

t.test('resolves with every event of a good stream, split across chunks', async (t) => {
  const seen: unknown[] = [];
  const events = await followProgress(lines('{"stream":"Step 1/2 : FROM x"}\n{"str', 'eam":"ok"}\n\n{"aux":{"ID":"sha256:abc"}}'), {
    op: 'build x',
    onEvent: (e) => seen.push(e),
  });
  t.equal(events.length, 3);
  t.same(events[2], { aux: { ID: 'sha256:abc' } });
  t.equal(seen.length, 3);
});

t.test('rejects on an {error} event inside an otherwise good stream', async (t) => {
  const stream = lines(
    '{"stream":"Step 1/3 : FROM drdsafe-base:x"}\n',
    '{"errorDetail":{"code":1,"message":"The command \'/bin/sh -c false\' returned a non-zero code: 1"},"error":"The command \'/bin/sh -c false\' returned a non-zero code: 1"}\n',
    '{"stream":"never reached"}\n',
  );
  const error = await followProgress(stream, { op: 'build drdsafe-sandbox:abc' }).catch((e: unknown) => e);
  t.ok(error instanceof DockerError);
  t.equal((error as DockerError).code, 'IMAGE_BUILD_FAILED');
  t.equal((error as DockerError).op, 'build drdsafe-sandbox:abc');
  t.match((error as DockerError).message, /non-zero code: 1/);
});

t.test('rejects on an errorDetail without error, and on a line that is not JSON', async (t) => {
  await t.rejects(followProgress(lines('{"errorDetail":{"message":"no space left"}}\n'), { op: 'import' }), { code: 'IMAGE_BUILD_FAILED' });
  await t.rejects(followProgress(lines('{"stream":"a"}\nHTTP/1.1 500 oops\n'), { op: 'import' }), { code: 'IMAGE_BUILD_FAILED' });
});

t.test('rejects when the stream itself fails', async (t) => {
  const stream = new Readable({
    read() {
      this.push('{"stream":"a"}\n');
      this.destroy(new Error('socket hang up'));
    },
  });
  await t.rejects(followProgress(stream, { op: 'build' }), { code: 'IMAGE_BUILD_FAILED' });
});
