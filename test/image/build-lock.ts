import t from 'tap';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { acquireBuildLock } from '../../harness/image/build-lock.js';

const signal = () => new AbortController().signal;

t.test('one holder at a time; the next one gets it on release', async (t) => {
  const lockDir = path.join(t.testdir({}), 'build.lock');
  const first = await acquireBuildLock(lockDir, { signal: signal() });
  t.equal(await readFile(path.join(lockDir, 'owner'), 'utf8'), String(process.pid));
  let waited: number | undefined;
  let secondHasIt = false;
  const second = acquireBuildLock(lockDir, { signal: signal(), pollMs: 10, onWait: (pid) => (waited = pid) }).then((l) => {
    secondHasIt = true;
    return l;
  });
  await new Promise((r) => setTimeout(r, 100));
  t.equal(secondHasIt, false, 'still waiting while the first holds it');
  t.equal(waited, process.pid);
  await first.release();
  await first.release();
  const lock = await second;
  t.equal(secondHasIt, true);
  await lock[Symbol.asyncDispose]();
});

t.test('a lock whose owner died is taken over', async (t) => {
  const lockDir = path.join(t.testdir({}), 'build.lock');
  await mkdir(lockDir);
  await writeFile(path.join(lockDir, 'owner'), '4242');
  const lock = await acquireBuildLock(lockDir, { signal: signal(), isPidAlive: () => false });
  t.equal(await readFile(path.join(lockDir, 'owner'), 'utf8'), String(process.pid));
  await lock.release();
});

t.test('waiting ends on abort and on timeout', async (t) => {
  const lockDir = path.join(t.testdir({}), 'build.lock');
  const held = await acquireBuildLock(lockDir, { signal: signal() });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  await t.rejects(acquireBuildLock(lockDir, { signal: controller.signal, pollMs: 10 }), { code: 'ABORTED' });
  await t.rejects(acquireBuildLock(lockDir, { signal: signal(), pollMs: 10, timeoutMs: 50 }), { code: 'IMAGE_BUILD_FAILED' });
  await held.release();
});
