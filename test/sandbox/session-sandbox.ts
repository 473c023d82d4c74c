import t from 'tap';
import { createInterface } from 'node:readline';
import type { ExecOptions } from '../../harness/engine/container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import { SessionSandbox } from '../../harness/sandbox/session-sandbox.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

/** A fake run-session: answers each message line with `answer(message)`, until its stdin ends. */
function fakeRunSession(client: FakeContainerClient, answer: (msg: { op: string }) => unknown): string[] {
  const seen: string[] = [];
  client.onExec = async (options: ExecOptions) => {
    for await (const line of createInterface({ input: options.stdin! })) {
      const msg = JSON.parse(line) as { op: string };
      seen.push(msg.op);
      const reply = answer(msg);
      if (reply !== undefined) options.onStdout?.(Buffer.from(JSON.stringify(reply) + '\n'));
    }
  };
  return seen;
}

const options = (signal = new AbortController().signal) => ({ image: 'img', runId: 'r', session: newSession(), signal, expiresAt: Date.now() + 60_000 });

t.test('one container, one run-session, every message answered in turn; stop removes the container', async (t) => {
  const client = new FakeContainerClient();
  const seen = fakeRunSession(client, (m) => {
    if (m.op === 'boot' || m.op === 'clone')
      return { ok: true, daemons: [{ name: 'comsec', pid: 14 }], setupMs: 1, ...(m.op === 'clone' ? { notes: [] } : {}) };
    if (m.op === 'phase') return { ok: true, exitCode: 0, signal: null, finished: true, limitHit: null, phaseWallMs: 3, stdout: 'hi\n', stderr: '' };
    if (m.op === 'apply') return { ok: true, results: ['done'] };
    return { ok: true };
  });
  const s = await SessionSandbox.create(client, options());
  await s.prepare({ op: 'prepare', shared: [], bootedArchive: false });
  t.match(await s.boot(), { daemons: [{ name: 'comsec', pid: 14 }] });
  t.same((await s.apply({ op: 'apply', tree: 'booted', ops: [{ op: 'remove', path: '/x' }] })).results, ['done']);
  await s.clone();
  const reply = await s.phase({
    op: 'phase',
    dir: 'phases/00',
    phase: 'preinstall',
    script: '/s',
    env: {},
    timeoutSeconds: 5,
    traceSyscalls: ['kill'],
    traceAll: false,
    stringLimit: 64,
    maxTraceBytes: 1024,
    untraced: false,
  });
  t.equal(reply.stdout, 'hi\n');
  await s.finish({ op: 'finish', keep: ['/var/adm/sw'] });
  await s.stop();
  t.same(seen, ['prepare', 'boot', 'apply', 'clone', 'phase', 'finish']);
  t.same(
    client.ops().filter((o) => o === 'createContainer' || o === 'exec' || o === 'removeContainer'),
    ['createContainer', 'exec', 'removeContainer'],
    'one container, one exec',
  );
});

t.test("a failure reply, a reply that breaks the contract and run-session ending are the sandbox's failures", async (t) => {
  const client = new FakeContainerClient();
  fakeRunSession(client, (m) =>
    m.op === 'prepare' ? { ok: false, error: 'HarnessFailure: no tmpfs' } : m.op === 'boot' ? { ok: true, daemons: 'none' } : { ok: true },
  );
  const s = await SessionSandbox.create(client, options());
  await t.rejects(s.prepare({ op: 'prepare', shared: [], bootedArchive: false }), {
    code: 'SANDBOX_FAILED',
    message: /could not prepare: HarnessFailure: no tmpfs/,
  });
  await t.rejects(s.boot(), { code: 'SANDBOX_FAILED', message: /daemons/ });
  await s.stop();
  const ended = new FakeContainerClient();
  ended.onExec = async () => undefined; // exits at once, answering nothing
  const e = await SessionSandbox.create(ended, options());
  await t.rejects(e.prepare({ op: 'prepare', shared: [], bootedArchive: false }), {
    code: 'SANDBOX_FAILED',
    message: /run-session ended \(exit code 0\) before it answered/,
  });
  await e.stop();
});

t.test('no answer in time, or the user aborting, ends the wait', async (t) => {
  // The time limit's timer does not hold the process open (a real exec's connection does).
  const alive = setInterval(() => undefined, 1000);
  t.teardown(() => clearInterval(alive));
  const client = new FakeContainerClient();
  fakeRunSession(client, () => undefined);
  const controller = new AbortController();
  const s = await SessionSandbox.create(client, options(controller.signal));
  await t.rejects(s.prepare({ op: 'prepare', shared: [], bootedArchive: false }, 50), { code: 'SANDBOX_FAILED', message: /did not answer `prepare` within/ });
  const pending = s.apply({ op: 'apply', tree: 'inactive', ops: [] });
  controller.abort(new Error('Ctrl-C'));
  await t.rejects(pending, { code: 'ABORTED' });
  await s.stop();
});
