import t from 'tap';
import { pruneImages } from '../../harness/image/prune-images.js';
import { baseImageRef, imageHashes, sandboxImageRef } from '../../harness/image/image-inputs.js';
import { LABEL } from '../../harness/engine/labels.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

t.test('images of other inputs go, current ones and foreign ones stay', async (t) => {
  const dir = t.testdir({ Dockerfile: 'FROM x\n', rootfs: { 'make-rootfs.sh': '' } });
  const hashes = await imageHashes(dir, {});
  const client = new FakeContainerClient();
  const add = (tag: string, hash: string | undefined) =>
    client.images.set(tag, { id: tag, tags: [tag], labels: hash ? { [LABEL.inputsHash]: hash } : {}, created: 0, sizeBytes: 0 });
  add(sandboxImageRef(hashes.sandbox), hashes.sandbox);
  add(baseImageRef(hashes.rootfs), hashes.rootfs);
  add('drdsafe-base:old000000000', 'old0');
  add('drdsafe-sandbox:old111111111', 'old1');
  add('someone-else:1', 'x');
  add('drdsafe-sandbox:dev', undefined);
  const result = await pruneImages(client, { imagesDir: dir, env: {} });
  t.same(result.removed, ['drdsafe-sandbox:old111111111', 'drdsafe-base:old000000000'], 'sandbox images before bases');
  t.same([...result.kept].sort(), [baseImageRef(hashes.rootfs), sandboxImageRef(hashes.sandbox)].sort());
  t.same([...client.images.keys()].sort(), [baseImageRef(hashes.rootfs), sandboxImageRef(hashes.sandbox), 'drdsafe-sandbox:dev', 'someone-else:1'].sort());
});
