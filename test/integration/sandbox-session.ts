import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readRunDir } from '../../harness/contract/read-run-dir.js';
import { buildRunRequest } from '../../harness/contract/run-request.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL, newSession } from '../../harness/engine/labels.js';
import { startSandboxSession } from '../../harness/sandbox/sandbox-session.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();
const client = new DockerContainerClient();

t.test('several runs in one container: each on a fresh clone, each with its own run directory', { skip }, async (t) => {
  const image = await testImage();
  const session = newSession();
  const dir = t.testdir({ first: {}, second: {} });
  const request = (phase: 'checkinstall' | 'preinstall') =>
    buildRunRequest({ phase, traceSyscalls: ['execve', 'kill', 'openat', 'write'], timeoutSeconds: 30 });
  {
    await using sandbox = await startSandboxSession(client, {
      image: image.ref,
      runId: 'session-test',
      session,
      signal: new AbortController().signal,
      expiresAt: Date.now() + 600_000,
    });
    const first = await sandbox.runPhase({
      runDir: path.join(dir, 'first'),
      request: request('checkinstall'),
      script: { text: '#!/sbin/sh\necho one > /var/tmp/left-by-the-first\nexit 0\n', sourcePath: 'first' },
      startedAt: Date.now(),
      imageMs: 0,
    });
    const second = await sandbox.runPhase({
      runDir: path.join(dir, 'second'),
      request: request('preinstall'),
      script: { text: '#!/sbin/sh\ncat /var/tmp/left-by-the-first\nkill -9 $(cat /var/run/comsec.pid)\nexit 0\n', sourcePath: 'second' },
      startedAt: Date.now(),
      imageMs: 0,
    });
    t.equal(first.containerId, second.containerId, 'one container');
    t.same(
      (await client.listContainers({ [LABEL.session]: session.id })).map((c) => c.id),
      [sandbox.containerId],
      'and only that one',
    );
    const a = await readRunDir(first.runDir);
    const b = await readRunDir(second.runDir);
    t.match(a.result, { phase: 'checkinstall', exitCode: 0, finished: true }, 'the first run, read through the contract');
    t.match(b.result, { phase: 'preinstall', finished: true }, 'the second run, in its own directory');
    t.equal(await readFile(path.join(second.runDir, 'stdout.txt'), 'utf8'), '', "the second run had a fresh clone: the first one's file is gone");
    t.equal(a.result?.daemons.find((d) => d.name === 'comsec')?.aliveAfter, true, 'the first run left comsec running');
    t.match(
      b.result?.daemons.find((d) => d.name === 'comsec'),
      { aliveBefore: true, aliveAfter: false },
      'the second run had its own booted system, whose comsec it killed',
    );
    t.notOk(
      a.witness?.lines.some((w) => w.signal === 'SIGKILL'),
      "the second run's kill is not in the first run's witness",
    );
    t.ok(
      b.witness?.lines.some((w) => w.signal === 'SIGKILL'),
      'it is in its own',
    );
  }
  t.same(await client.listContainers({ [LABEL.session]: session.id }), [], 'stopped once: the container is gone');
});
