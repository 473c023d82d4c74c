/**
 * A batch over two real Docker engines on this machine (the local one and a
 * second dockerd the test starts and stops): the image is copied to the
 * second, the runs are spread over both with the verdicts a single engine
 * gives, and a run whose engine dies under it is retried on the other.
 */
import t from 'tap';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../fixtures/cli/capture-io.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { startSecondDockerd } from '../fixtures/engine/second-dockerd.js';
import { testImage } from '../fixtures/sandbox/test-image.js';
import { SEED_CORPUS } from '../fixtures/seed-corpus.js';
import { LABEL } from '../../harness/engine/labels.js';

const skip = await dockerSkipReason();
const LOCAL = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const CASES = ['s01-kill-9-pid', 's04-init-q', 's06-guarded-kill', 's08-lvlnboot', 's09-fstab-vxvm', 's12-checkremove-exclude'];

interface BatchJson {
  readonly exitCode: number;
  readonly runs: readonly { name: string; verdict: string; engine?: string; attempts: number; status: string; exitCode: number }[];
}

t.test("two engines: image copied, runs spread over both, verdicts as expected, a dead engine's run retried", { skip }, async (t) => {
  const image = await testImage();
  await using second = await startSecondDockerd();
  const dir = t.testdir({});
  for (const c of CASES) await cp(path.join(SEED_CORPUS, c), path.join(dir, 'cases', c), { recursive: true });
  const env = { ...process.env, CI: 'true' };

  const first = await runCli(['corpus', 'cases', '--engine', LOCAL, '--engine', second.endpoint, '--jobs', '2', '--out', 'out1'], dir, env);
  t.equal(first.code, 0, `every case as expected\n${first.stdout}\n${first.stderr}`);
  t.ok(await second.client.inspectImage(image.ref), 'the sandbox image is on the second engine');
  t.match(first.stderr, new RegExp(`image: copied ${image.ref.replace(/[.:]/g, '\\$&')} to unix://`), 'copied, not built');
  const batch1 = JSON.parse(await readFile(path.join(dir, 'out1', 'batch.json'), 'utf8')) as BatchJson;
  t.same(new Set(batch1.runs.map((r) => r.engine)), new Set([LOCAL, second.endpoint]), 'both engines ran cases');
  t.match(await readFile(path.join(dir, 'out1', 'index.html'), 'utf8'), /href="s01-kill-9-pid\/report.html"/);
  t.same(
    await second.client.listContainers({ [LABEL.session]: '' }).then((cs) => cs.filter((c) => c.labels[LABEL.expires] !== undefined)),
    [],
    'no container left on the second engine',
  );

  // The second engine dies as soon as a run is under way on it: that run is tried again on the first.
  let stopped = false;
  const watch = setInterval(() => {
    if (stopped) return;
    second.client.listContainers({ [LABEL.expires]: '' }).then(
      (cs) => {
        if (cs.length > 0 && !stopped) {
          stopped = true;
          void second.stop();
        }
      },
      () => undefined,
    );
  }, 100);
  let retried;
  try {
    retried = await runCli(['corpus', 'cases', '--engine', second.endpoint, '--engine', LOCAL, '--jobs', '2', '--out', 'out2'], dir, env);
  } finally {
    clearInterval(watch);
  }
  t.ok(stopped, 'the second engine was stopped during the batch');
  t.equal(retried.code, 0, `every case as expected after the retry\n${retried.stdout}\n${retried.stderr}`);
  const batch2 = JSON.parse(await readFile(path.join(dir, 'out2', 'batch.json'), 'utf8')) as BatchJson;
  t.ok(
    batch2.runs.some((r) => r.attempts === 2 && r.engine === LOCAL),
    `a run was retried on the first engine: ${JSON.stringify(batch2.runs.map((r) => [r.name, r.engine, r.attempts]))}`,
  );
  t.ok(
    batch2.runs.every((r) => r.status === 'finished'),
    'every run finished',
  );
  t.match(retried.stderr, /batch: retry .* on another engine: unix:\/\/.* failed/);
});
