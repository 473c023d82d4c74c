import t from 'tap';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { runPhaseOnce, startSandboxSession, RUN_PHASE_COMMAND, REQUEST_PATH, OUT_PATH } from '../../harness/sandbox/sandbox-session.js';
import type { RunPhaseOnceOptions } from '../../harness/sandbox/sandbox-session.js';
import { buildRunRequest, parseRunRequest } from '../../harness/contract/run-request.js';
import { newSession, LABEL } from '../../harness/engine/labels.js';
import type { ExecOptions } from '../../harness/engine/container-client.js';
import { readRunMetadata } from '../../harness/contract/run-metadata.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';
import { outArchive, sampleResult } from '../fixtures/sandbox/run-outputs.js';

const session = newSession();

function options(runDir: string, extra: Partial<RunPhaseOnceOptions> = {}): RunPhaseOnceOptions {
  return {
    image: 'drdsafe-sandbox:test',
    runId: 'r1',
    runDir,
    request: buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill', 'write'] }),
    script: { text: '#!/sbin/sh\nkill -9 $(cat /var/run/comsec.pid)\n', sourcePath: 'corpus/s01/script' },
    session,
    signal: new AbortController().signal,
    startedAt: Date.now(),
    imageMs: 5,
    ...extra,
  };
}

async function tarNames(body: unknown): Promise<Map<string, string>> {
  const extract = tar.extract();
  const out = new Map<string, string>();
  (body as Readable).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.set(entry.header.name, Buffer.concat(chunks).toString('utf8'));
  }
  return out;
}

t.test('a good run: inputs sent, run-phase executed, outputs fetched, run.json written, container removed', async (t) => {
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive());
  const progress: string[] = [];
  client.onExec = (o: ExecOptions) => {
    o.onStderr?.(Buffer.from('run-phase: booting\nrun-phase: cl'));
    o.onStderr?.(Buffer.from('oning\n'));
  };
  const runDir = t.testdir({});
  const outcome = await runPhaseOnce(client, options(runDir, { log: (l) => progress.push(l) }));

  t.same(client.ops(), ['info', 'createContainer', 'startContainer', 'putArchive', 'exec', 'getArchive', 'removeContainer']);
  const created = client.calls[1]?.args[0] as { labels: Record<string, string>; cpusetCpus?: string };
  t.equal(created.labels[LABEL.session], session.id);
  t.equal(created.labels[LABEL.run], 'r1');
  t.equal(created.cpusetCpus, '1', 'the fake engine has 2 CPUs: pinned to one');

  const put = client.calls[3]!;
  t.equal(put.args[1], '/');
  const sent = await tarNames(put.args[2]);
  t.same([...sent.keys()], ['drdsafe/in/request.json', 'drdsafe/in/script']);
  t.same(parseRunRequest(sent.get('drdsafe/in/request.json')!).traceSyscalls, ['kill', 'write']);
  t.equal((client.calls[4]!.args[1] as ExecOptions).cmd.join(' '), `${RUN_PHASE_COMMAND} ${REQUEST_PATH}`);
  t.same(progress, ['run-phase: booting', 'run-phase: cloning']);

  t.same((await readdir(runDir)).sort(), ['booted-diff.json', 'result.json', 'run.json', 'stderr.txt', 'stdout.txt', 'trace.txt', 'witness.jsonl']);
  const meta = (await readRunMetadata(path.join(runDir, 'run.json')))!;
  t.equal(meta.script?.jailPath, '/var/adm/sw/products/DRDSAFE-TEST/payload/preinstall');
  t.equal(meta.script?.sourcePath, 'corpus/s01/script');
  t.match(meta.script?.text, /kill -9/);
  t.same(meta.daemons, [{ name: 'comsec', pid: 123, nsPid: 57, endpoints: ['tcp:127.0.0.1:5000'] }]);
  t.equal(meta.timings?.phaseWallMs, 12.5);
  t.equal(meta.timings?.imageMs, 5);
  t.ok(outcome.timings.harnessMs >= 0);
  t.equal(client.containers.size, 0);
});

t.test('a booted tree goes in as booted.tar inside the archive', async (t) => {
  const dir = t.testdir({ booted: { etc: { fstab: '/dev/vg00/lvol3 / vxfs\n' } }, run: {} });
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive());
  await runPhaseOnce(client, options(path.join(dir, 'run'), { bootedDir: path.join(dir, 'booted') }));
  const sent = await tarNames(client.calls[3]!.args[2]);
  t.ok(sent.has('drdsafe/in/booted.tar'));
  const inner = await tarNames(Readable.from(Buffer.from(sent.get('drdsafe/in/booted.tar')!, 'utf8')));
  t.equal(inner.get('etc/fstab'), '/dev/vg00/lvol3 / vxfs\n');
});

t.test('run-phase failing: SANDBOX_FAILED, outputs still fetched, container removed', async (t) => {
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive(undefined));
  client.execResult = { exitCode: 2, stdout: Buffer.alloc(0), stderr: Buffer.from('boom') };
  const runDir = t.testdir({});
  await t.rejects(runPhaseOnce(client, options(runDir)), { code: 'SANDBOX_FAILED' });
  t.ok((await readdir(runDir)).includes('trace.txt'));
  t.equal(client.containers.size, 0);
});

t.test('a result.json that breaks the contract: SANDBOX_FAILED and the container removed', async (t) => {
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive(sampleResult({ schemaVersion: 2 })));
  await t.rejects(runPhaseOnce(client, options(t.testdir({}))), { code: 'SANDBOX_FAILED' });
  t.equal(client.containers.size, 0);
});

t.test('an engine failure mid-run is rethrown as is, after the container is removed', async (t) => {
  const client = new FakeContainerClient();
  client.failNext('putArchive');
  await t.rejects(runPhaseOnce(client, options(t.testdir({}))), { code: 'DOCKER_FAILED', op: 'putArchive' });
  t.equal(client.ops().at(-1), 'removeContainer');
  t.equal(client.containers.size, 0);
});

t.test('abort during the exec: ABORTED and the container removed', async (t) => {
  const client = new FakeContainerClient();
  const controller = new AbortController();
  client.onExec = (o) =>
    new Promise<void>((_resolve, reject) => {
      o.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      setTimeout(() => controller.abort(new Error('SIGINT')), 10);
    });
  await t.rejects(runPhaseOnce(client, options(t.testdir({}), { signal: controller.signal })), { code: 'ABORTED' });
  t.equal(client.containers.size, 0);
});

t.test('--keep leaves the container and says how to remove it', async (t) => {
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive());
  const lines: string[] = [];
  await runPhaseOnce(client, options(t.testdir({}), { keep: true, log: (l) => lines.push(l) }));
  t.equal(client.containers.size, 1);
  const kept = [...client.containers.values()][0]!;
  t.equal(kept.labels[LABEL.keep], '1');
  t.ok(Number(kept.labels[LABEL.expires]) > Date.now() + 23 * 3600_000, 'kept for a day');
  t.match(lines.join('\n'), /kept container .* docker rm -f .* gc --all/);
});

t.test('a session: one container, several runs each with its own request, script and run directory, one removal', async (t) => {
  const client = new FakeContainerClient();
  let runs = 0;
  client.archives.set(OUT_PATH, () => outArchive(sampleResult({ phase: runs === 1 ? 'checkinstall' : 'preinstall' })));
  client.onExec = () => void runs++;
  const dir = t.testdir({ a: {}, b: {} });
  const expiresAt = Date.now() + 600_000;
  const sandbox = await startSandboxSession(client, {
    image: 'drdsafe-sandbox:test',
    runId: 'explore-1',
    session,
    signal: new AbortController().signal,
    expiresAt,
  });
  const first = await sandbox.runPhase({
    runDir: path.join(dir, 'a'),
    request: buildRunRequest({ phase: 'checkinstall', traceSyscalls: ['kill'] }),
    script: { text: '#!/sbin/sh\nexit 0\n', sourcePath: 'pkg/checkinstall' },
    startedAt: Date.now(),
    imageMs: 5,
  });
  const second = await sandbox.runPhase({
    runDir: path.join(dir, 'b'),
    request: buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill'] }),
    script: { text: '#!/sbin/sh\nkill 1\n', sourcePath: 'pkg/preinstall' },
    startedAt: Date.now(),
    imageMs: 0,
  });
  t.equal(first.containerId, second.containerId, 'both runs in the one container');
  t.same(client.ops(), ['info', 'createContainer', 'startContainer', 'putArchive', 'exec', 'getArchive', 'putArchive', 'exec', 'getArchive']);
  t.equal(
    (client.calls[1]?.args[0] as { labels: Record<string, string> }).labels[LABEL.expires],
    String(expiresAt),
    'the container lives as long as the session',
  );
  const sent = await tarNames(client.calls[6]!.args[2]);
  t.match(parseRunRequest(sent.get('drdsafe/in/request.json')!), { phase: 'preinstall' }, 'the second run sends its own request');
  t.equal(sent.get('drdsafe/in/script'), '#!/sbin/sh\nkill 1\n', 'and its own script');
  t.equal((await readRunMetadata(path.join(dir, 'a', 'run.json')))?.script?.sourcePath, 'pkg/checkinstall', 'each run directory gets its own run.json');
  t.equal((await readRunMetadata(path.join(dir, 'b', 'run.json')))?.script?.sourcePath, 'pkg/preinstall');
  t.ok(first.timings.startMs >= 0);
  t.equal(second.timings.startMs, 0, 'only the first run waited for the container to start');
  await sandbox.stop();
  await sandbox.stop();
  t.same(client.ops().slice(9), ['removeContainer'], 'stopped once, however often asked');
  t.equal(client.containers.size, 0);
});

t.test('a failed run leaves the session usable; disposal removes the container', async (t) => {
  const client = new FakeContainerClient();
  client.archives.set(OUT_PATH, () => outArchive(sampleResult({ schemaVersion: 2 })));
  const dir = t.testdir({ a: {}, b: {} });
  const run = (sub: string) => ({
    runDir: path.join(dir, sub),
    request: buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill'] }),
    script: { text: '#!/sbin/sh\n', sourcePath: 'script' },
    startedAt: Date.now(),
    imageMs: 0,
  });
  {
    await using sandbox = await startSandboxSession(client, {
      image: 'i',
      runId: 'r',
      session,
      signal: new AbortController().signal,
      expiresAt: Date.now() + 60_000,
    });
    await t.rejects(sandbox.runPhase(run('a')), { code: 'SANDBOX_FAILED', message: /schemaVersion: expected 1, got 2/ });
    client.archives.set(OUT_PATH, () => outArchive());
    t.equal((await sandbox.runPhase(run('b'))).result.phase, 'preinstall', 'the next run works');
    t.equal(client.containers.size, 1);
  }
  t.equal(client.containers.size, 0, 'await using removed it');
});
