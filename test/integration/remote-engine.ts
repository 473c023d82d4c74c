import t from 'tap';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL, newSession } from '../../harness/engine/labels.js';
import { runScript } from '../../harness/app/run-script.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { startTcpProxy } from '../fixtures/engine/tcp-proxy.js';
import { SEED_EXAMPLES, testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

t.test('a run through DOCKER_HOST=tcp://... works like the local socket (files only through the API)', { skip }, async (t) => {
  const image = await testImage();
  await using proxy = await startTcpProxy();
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `tcp://127.0.0.1:${proxy.port}`;
  let client: DockerContainerClient;
  try {
    // dockerode reads DOCKER_HOST when the client is made.
    client = new DockerContainerClient();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
  const session = newSession();
  const cwd = t.testdir({});
  const out = await runScript(
    { scriptPath: path.join(SEED_EXAMPLES, 's01-kill-9-pid', 'script'), phase: 'preinstall', analyze: false },
    {
      io: { stdout: new PassThrough(), stderr: new PassThrough().resume(), env: process.env, cwd, signal: new AbortController().signal, interactive: false },
      client,
      session,
      image,
    },
  );
  t.ok(proxy.connections() > 0, 'the engine was reached over TCP');
  const files = await readdir(out.runDir);
  for (const f of ['trace.txt', 'witness.jsonl', 'booted-diff.json', 'result.json', 'run.json']) t.ok(files.includes(f), f);
  t.equal(out.result.finished, true);
  t.same(await client.listContainers({ [LABEL.session]: session.id }), []);
});
