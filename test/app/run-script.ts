import t from 'tap';
import { PassThrough } from 'node:stream';
import { runScript } from '../../harness/app/run-script.js';
import type { CliIo } from '../../harness/app/io.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

function io(cwd: string): CliIo {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd, signal: new AbortController().signal, interactive: false };
}

t.test('input is checked before the engine is touched', async (t) => {
  const dir = t.testdir({ script: '#!/sbin/sh\nexit 0\n', notdir: 'x' });
  const client = new FakeContainerClient();
  const deps = { io: io(dir), client };
  const missing = await runScript({ scriptPath: 'nope/script', phase: 'preinstall' }, deps).catch((e: unknown) => e);
  t.match(missing, { code: 'INPUT_NOT_FOUND', message: /nope\/script/ });
  const phase = await runScript({ scriptPath: 'script', phase: 'preinstal' }, deps).catch((e: unknown) => e);
  t.match(phase, { code: 'USAGE', hint: /checkinstall, preinstall, postinstall/ });
  await t.rejects(runScript({ scriptPath: 'script', phase: 'preinstall', policyFiles: ['none.yaml'] }, deps), { code: 'INPUT_NOT_FOUND' });
  await t.rejects(runScript({ scriptPath: 'script', phase: 'preinstall', bootedDir: 'notdir' }, deps), { code: 'INPUT_NOT_FOUND' });
  await t.rejects(runScript({ scriptPath: 'script', phase: 'preinstall', timeoutSeconds: 0 }, deps), { code: 'INPUT_INVALID' });
  t.same(client.ops(), []);
});

t.test('an engine that does not answer stops the run before anything is created', async (t) => {
  const dir = t.testdir({ script: '#!/sbin/sh\nexit 0\n' });
  const client = new FakeContainerClient();
  client.failNext('ping', Object.assign(new Error('down'), { code: 'DOCKER_UNAVAILABLE' }));
  await t.rejects(runScript({ scriptPath: 'script', phase: 'preinstall' }, { io: io(dir), client }), { code: 'DOCKER_UNAVAILABLE' });
  t.same(client.ops(), ['ping']);
});
