import t from 'tap';
import { Sandbox } from '../../harness/sandbox/sandbox.js';
import { sandboxSpec } from '../../harness/sandbox/sandbox-spec.js';
import { DockerError } from '../../harness/errors.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

const spec = sandboxSpec({ image: 'drdsafe-sandbox:x', labels: { 'drdsafe.session': 's', 'drdsafe.run': 'r' }, engineCpus: 2 });

t.test('start gives a started sandbox; stop removes the container once, however often it is called', async (t) => {
  const client = new FakeContainerClient();
  const started = await new Sandbox(client, spec).start();
  t.same(client.ops(), ['createContainer', 'startContainer']);
  await started.exec({ cmd: ['true'] });
  const [a, b] = await Promise.all([started.stop(), started.stop()]);
  t.equal(a, b);
  await started[Symbol.asyncDispose]();
  t.same(client.ops(), ['createContainer', 'startContainer', 'exec', 'removeContainer']);
  t.equal(client.containers.size, 0);
  t.throws(() => started.exec({ cmd: ['true'] }), { code: 'INTERNAL' });
});

t.test('await using removes the container when the block throws', async (t) => {
  const client = new FakeContainerClient();
  await t.rejects(
    (async () => {
      await using sandbox = await new Sandbox(client, spec).start();
      await sandbox.putArchive('/drdsafe', Buffer.alloc(0));
      throw new Error('boom');
    })(),
    { message: 'boom' },
  );
  t.equal(client.containers.size, 0);
  t.equal(client.ops().at(-1), 'removeContainer');
});

t.test('a failed start removes the created container and rethrows the original error', async (t) => {
  const client = new FakeContainerClient();
  const original = new DockerError('DOCKER_FAILED', 'start container', 'cannot start');
  client.failNext('startContainer', original);
  const error = await new Sandbox(client, spec).start().catch((e: unknown) => e);
  t.equal(error, original);
  t.same(client.ops(), ['createContainer', 'startContainer', 'removeContainer']);
  t.equal(client.containers.size, 0);
});

t.test('when cleanup fails too, the original error is kept and the cleanup error is its cause', async (t) => {
  const client = new FakeContainerClient();
  const original = new DockerError('DOCKER_FAILED', 'start container', 'cannot start');
  const secondary = new DockerError('DOCKER_FAILED', 'remove container', 'cannot remove');
  client.failNext('startContainer', original);
  client.failNext('removeContainer', secondary);
  const warnings: string[] = [];
  const error = await new Sandbox(client, spec, { onWarning: (m) => warnings.push(m) }).start().catch((e: unknown) => e);
  t.equal(error, original);
  t.equal((error as Error).cause, secondary);
  t.equal(warnings.length, 1);
});

t.test('aborting removes the container; starting with an aborted signal creates nothing', async (t) => {
  const client = new FakeContainerClient();
  const controller = new AbortController();
  const started = await new Sandbox(client, spec, { signal: controller.signal }).start();
  controller.abort();
  await started.stop();
  t.equal(client.containers.size, 0);
  t.equal(client.ops().filter((o) => o === 'removeContainer').length, 1);
  await t.rejects(new Sandbox(client, spec, { signal: controller.signal }).start(), { code: 'ABORTED' });
  t.equal(client.ops().filter((o) => o === 'createContainer').length, 1);
});
