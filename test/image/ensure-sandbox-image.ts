import t from 'tap';
import { ensureSandboxImage } from '../../harness/image/ensure-sandbox-image.js';
import { imageHashes, sandboxImageRef } from '../../harness/image/image-inputs.js';
import { LABEL, newSession } from '../../harness/engine/labels.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

const session = newSession();

t.test('an image whose tag and label carry the inputs hash is reused without building', async (t) => {
  const dir = t.testdir({ Dockerfile: 'FROM scratch\n', rootfs: { 'make-rootfs.sh': '' } });
  const { sandbox } = await imageHashes(dir, {});
  const client = new FakeContainerClient();
  client.images.set(sandboxImageRef(sandbox), { id: 'sha256:old', tags: [], labels: { [LABEL.inputsHash]: sandbox }, created: 0, sizeBytes: 0 });
  const image = await ensureSandboxImage(client, { imagesDir: dir, session, signal: new AbortController().signal, env: {} });
  t.same(image, { ref: sandboxImageRef(sandbox), id: 'sha256:old', inputsHash: sandbox, built: false });
  t.same(client.ops(), ['inspectImage']);
});

t.test('a missing Dockerfile is IMAGE_BUILD_FAILED before anything else', async (t) => {
  const dir = t.testdir({ rootfs: {} });
  const client = new FakeContainerClient();
  await t.rejects(ensureSandboxImage(client, { imagesDir: dir, session, signal: new AbortController().signal }), {
    code: 'IMAGE_BUILD_FAILED',
  });
  t.same(client.ops(), []);
});
