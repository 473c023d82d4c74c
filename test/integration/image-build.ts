import t from 'tap';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL } from '../../harness/engine/labels.js';
import { packFiles } from '../../harness/engine/tar-archive.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

t.test('the sandbox image is built once and reused while its inputs do not change', { skip }, async (t) => {
  const client = new DockerContainerClient();
  const first = await testImage();
  t.match(first.ref, /^drdsafe-sandbox:[0-9a-f]{12}$/);
  t.equal(first.ref.slice(-12), first.inputsHash.slice(0, 12));
  const inspected = await client.inspectImage(first.ref);
  t.equal(inspected?.labels[LABEL.inputsHash], first.inputsHash);
  t.equal(inspected?.id, first.id);

  const { ensureSandboxImage } = await import('../../harness/image/ensure-sandbox-image.js');
  const { PROJECT_ROOT } = await import('../../harness/project-root.js');
  const { newSession } = await import('../../harness/engine/labels.js');
  const again = await ensureSandboxImage(client, {
    imagesDir: `${PROJECT_ROOT}/images`,
    session: newSession(),
    signal: new AbortController().signal,
  });
  t.equal(again.built, false);
  t.equal(again.id, first.id);
});

t.test('a build that fails inside a 200 response is IMAGE_BUILD_FAILED', { skip }, async (t) => {
  const client = new DockerContainerClient();
  const base = (await client.inspectImage((await testImage()).ref))!.id;
  const context = packFiles([{ name: 'Dockerfile', content: `FROM ${base}\nRUN echo building && false\n` }]);
  const lines: string[] = [];
  const error = await client
    .buildImage(context, { tag: 'drdsafe-test-failing:latest', labels: { [LABEL.session]: 'test' }, onProgress: (e) => e.stream && lines.push(e.stream) })
    .catch((e: unknown) => e);
  t.match(error, { code: 'IMAGE_BUILD_FAILED', op: 'build drdsafe-test-failing:latest' });
  t.match(lines.join(''), /building/, 'the output before the failure was streamed');
  t.equal(await client.inspectImage('drdsafe-test-failing:latest'), undefined, 'no image was tagged');
});

t.test('inspecting a missing image is undefined, not an error', { skip }, async (t) => {
  t.equal(await new DockerContainerClient().inspectImage('drdsafe-no-such-image:nope'), undefined);
});
