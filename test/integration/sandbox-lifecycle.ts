import t from 'tap';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { containerLabels, LABEL, newSession } from '../../harness/engine/labels.js';
import type { Session } from '../../harness/engine/labels.js';
import { Sandbox } from '../../harness/sandbox/sandbox.js';
import { sandboxSpec } from '../../harness/sandbox/sandbox-spec.js';
import { sweepStaleContainers } from '../../harness/engine/sweep.js';
import { extractTar, packFiles } from '../../harness/engine/tar-archive.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();
const client = new DockerContainerClient();

async function spec(runId: string, session: Session = newSession(), overrides: { cmd?: string[]; init?: boolean } = {}) {
  const { cpus } = await client.info();
  const base = sandboxSpec({ image: (await testImage()).ref, labels: containerLabels(session, runId, Date.now() + 600_000), engineCpus: cpus });
  return { ...base, ...overrides };
}

const byRun = async (runId: string) => client.listContainers({ [LABEL.run]: runId });

t.test('start, exec with separated outputs, files in and out, stop removes the container', { skip }, async (t) => {
  const runId = `test-${randomUUID()}`;
  const sandbox = await new Sandbox(client, await spec(runId)).start();
  t.equal((await byRun(runId))[0]?.state, 'running');

  const result = await sandbox.exec({ cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
  t.equal(result.exitCode, 3);
  t.equal(result.stdout.toString(), 'out\n');
  t.equal(result.stderr.toString(), 'err\n');

  await sandbox.putArchive('/', packFiles([{ name: 'drdsafe/out/hello.txt', content: 'hello from the host\n' }]));
  const net = await sandbox.exec({ cmd: ['sh', '-c', 'cat /drdsafe/out/hello.txt; ls /sys/class/net'] });
  t.equal(net.stdout.toString(), 'hello from the host\nlo\n', 'the file went in; only loopback exists');
  const dir = t.testdir({});
  const extracted = await extractTar(await sandbox.getArchive('/drdsafe/out'), dir, { strip: 1 });
  t.same(extracted.files, ['hello.txt']);
  t.equal(await readFile(path.join(dir, 'hello.txt'), 'utf8'), 'hello from the host\n');

  const [a, b] = await Promise.all([sandbox.stop(), sandbox[Symbol.asyncDispose]()]);
  t.equal(a.id, sandbox.id);
  t.equal(b, undefined);
  t.same(await byRun(runId), [], 'the container is gone');
  await client.removeContainer(sandbox.id);
  await client.stopContainer(sandbox.id, 0);
  t.pass('removing or stopping a container that is gone is fine');
});

t.test('the container is isolated and limited as the contract says', { skip }, async (t) => {
  await using sandbox = await new Sandbox(client, await spec(`test-${randomUUID()}`)).start();
  const r = await sandbox.exec({
    cmd: [
      'sh',
      '-c',
      'grep -E " /images/(booted|inactive) " /proc/mounts | cut -d" " -f2,3 | sort; grep CapEff /proc/self/status; cat /sys/fs/cgroup/pids/pids.max',
    ],
  });
  const lines = r.stdout.toString().trim().split('\n');
  t.same(lines.slice(0, 2), ['/images/booted tmpfs', '/images/inactive tmpfs']);
  const capEff = BigInt('0x' + (lines[2] ?? '').split(/\s+/)[1]);
  t.ok(capEff & (1n << 21n), 'CAP_SYS_ADMIN');
  t.ok(capEff & (1n << 19n), 'CAP_SYS_PTRACE');
  t.equal(lines[3], '512');
});

t.test('a start that fails after create removes the container and rethrows the engine error', { skip }, async (t) => {
  const runId = `test-${randomUUID()}`;
  // Without an init in front, the engine fails the start itself when the command does not exist.
  const failing = await spec(runId, newSession(), { cmd: ['/drdsafe-no-such-program'], init: false });
  const error = await new Sandbox(client, failing).start().catch((e: unknown) => e);
  t.match(error, { code: 'DOCKER_FAILED', op: 'start container' });
  t.same(await byRun(runId), [], 'nothing left behind');
});

t.test('aborting removes a running sandbox', { skip }, async (t) => {
  const runId = `test-${randomUUID()}`;
  const controller = new AbortController();
  const sandbox = await new Sandbox(client, await spec(runId), { signal: controller.signal }).start();
  const pending = sandbox.exec({ cmd: ['sleep', '30'] });
  setTimeout(() => controller.abort(new Error('test abort')), 200);
  const started = Date.now();
  await t.rejects(pending);
  await sandbox.stop();
  t.ok(Date.now() - started < 15_000, 'the exec did not run to its end');
  t.same(await byRun(runId), []);
});

t.test('sweep removes the containers of a dead drdsafe process and leaves a live one alone', { skip }, async (t) => {
  // A made-up host name keeps other test processes' sweeps (which see a foreign, unexpired owner) away from these.
  const host = `drdsafe-test-${randomUUID()}`;
  const liveSession: Session = { id: randomUUID(), hostname: host, pid: 100 };
  const deadSession: Session = { id: randomUUID(), hostname: host, pid: 200 };
  const liveness = { now: Date.now(), hostname: host, isPidAlive: (pid: number) => pid === 100 };
  const deadRun = `test-dead-${randomUUID()}`;
  const liveRun = `test-live-${randomUUID()}`;
  const dead = await client.createContainer(await spec(deadRun, deadSession));
  await using live = await new Sandbox(client, await spec(liveRun, liveSession)).start();
  const result = await sweepStaleContainers(client, { liveness, session: newSession() });
  t.ok(
    result.removed.some((r) => r.id === dead && r.reason === 'owner exited'),
    "the dead session's container was removed",
  );
  t.notOk(
    result.removed.some((r) => r.id === live.id),
    'the live one was not',
  );
  t.same(await byRun(deadRun), []);
  t.equal((await byRun(liveRun)).length, 1, 'the live session keeps its container');
});
