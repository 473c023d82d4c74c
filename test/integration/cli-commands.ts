import t from 'tap';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../harness/app/io.js';
import { gcCommand } from '../../harness/cli/gc-command.js';
import { imageCommand } from '../../harness/cli/image-command.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { containerLabels, LABEL, newSession } from '../../harness/engine/labels.js';
import { sandboxSpec } from '../../harness/sandbox/sandbox-spec.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

function io(): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  return {
    stdout,
    stderr: new PassThrough().resume(),
    env: process.env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
    interactive: false,
    out: () => text,
  };
}

t.test('`drdsafe image build` prints the image it reused', { skip }, async (t) => {
  const image = await testImage();
  const output = io();
  t.equal(await imageCommand.run(['build'], output), 0);
  t.equal(output.out(), `${image.ref}\n`);
});

t.test('`drdsafe gc` removes a container whose drdsafe process is gone', { skip }, async (t) => {
  const client = new DockerContainerClient();
  const me = newSession();
  // A pid above the kernel's maximum can never be alive.
  const dead = { id: randomUUID(), hostname: me.hostname, pid: 2 ** 22 + 7 };
  const runId = `test-gc-${randomUUID()}`;
  const { cpus } = await client.info();
  await client.createContainer(sandboxSpec({ image: (await testImage()).ref, labels: containerLabels(dead, runId, Date.now() + 600_000), engineCpus: cpus }));
  const output = io();
  t.equal(await gcCommand.run([], output), 0);
  t.match(output.out(), /gc: \d+ container\(s\) removed/);
  t.same(await client.listContainers({ [LABEL.run]: runId }), []);
});

t.test('`drdsafe gc` leaves alone a container someone else made from a drdsafe image', { skip }, async (t) => {
  const client = new DockerContainerClient();
  const marker = `test-foreign-${randomUUID()}`;
  const { cpus } = await client.info();
  // As if the image had been built by a drdsafe process that has ended: the
  // container inherits session, owner and run labels, but never an expiry.
  const me = newSession();
  const labels = { 'drdsafe.test.marker': marker, [LABEL.owner]: `${me.hostname}:${2 ** 22 + 9}`, [LABEL.session]: randomUUID() };
  const foreign = await client.createContainer(sandboxSpec({ image: (await testImage()).ref, labels, engineCpus: cpus }));
  t.teardown(() => client.removeContainer(foreign));
  const inherited = (await client.listContainers({ 'drdsafe.test.marker': marker }))[0];
  t.equal(inherited?.labels[LABEL.run], 'image-build', "the image's run label is inherited");
  t.equal(inherited?.labels[LABEL.expires], undefined);
  // Not --all: that would also take the live containers of test files running beside this one.
  t.equal(await gcCommand.run([], io()), 0);
  t.equal((await client.listContainers({ 'drdsafe.test.marker': marker })).length, 1, 'still there');
});
