import t from 'tap';
import { EnginePool } from '../../harness/batch/engine-pool.js';
import type { PoolEngine } from '../../harness/batch/engine-pool.js';
import { isEngineFailure, runBatch } from '../../harness/batch/run-batch.js';
import type { BatchEvent, TaskResult } from '../../harness/batch/run-batch.js';
import { DockerError, HarnessError, UserError } from '../../harness/errors.js';
import { worstExitCode } from '../../harness/exit-codes.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

const engine = (name: string, hostName = name, cpus = 1): PoolEngine & { client: FakeContainerClient } => ({
  name,
  client: new FakeContainerClient(),
  hostName,
  cpus,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('runs at most `jobs` at once, keeps the order of the targets, worst exit code', async (t) => {
  const pool = new EnginePool([engine('a', 'h', 2)]);
  let running = 0;
  let most = 0;
  const tasks = [0, 1, 3, 0, 1].map((code, i) => ({
    name: `t${i}`,
    async run(): Promise<TaskResult> {
      most = Math.max(most, ++running);
      await sleep(5 * (5 - i));
      running--;
      return { exitCode: code, verdict: ['safe', 'unsafe', '', 'indeterminate'][code]! };
    },
  }));
  const entries = await runBatch(tasks, { pool, signal: new AbortController().signal });
  t.equal(most, 2);
  t.same(
    entries.map((e) => e.name),
    ['t0', 't1', 't2', 't3', 't4'],
  );
  t.equal(worstExitCode(entries.map((e) => e.exitCode)), 3);
  t.equal(worstExitCode([]), 2, 'no runs proves nothing');
});

t.test('an engine failure is retried once on another engine; a run failure is not', async (t) => {
  const a = engine('a');
  const b = engine('b');
  const pool = new EnginePool([a, b], 1);
  const events: BatchEvent<TaskResult>[] = [];
  a.client.failNext('ping');
  const entries = await runBatch(
    [
      {
        name: 'moves',
        async run(slot) {
          if (slot.engine === a) throw new DockerError('DOCKER_FAILED', 'exec', 'engine went away');
          return { exitCode: 0, verdict: 'safe' };
        },
      },
      { name: 'sandbox', run: async () => Promise.reject(new HarnessError('SANDBOX_FAILED', 'run-phase failed')) },
      { name: 'input', run: async () => Promise.reject(new UserError('INPUT_INVALID', 'bad PSF')) },
    ],
    { pool, signal: new AbortController().signal, onEvent: (e) => events.push(e) },
  );
  t.match(entries[0], { status: 'finished', engine: 'b', attempts: 2, verdict: 'safe' });
  t.ok(pool.isFailed(a), 'a no longer answers: it takes no more runs');
  t.match(entries[1], { status: 'failed', exitCode: 3, attempts: 1, engine: 'b', error: 'run-phase failed' });
  t.match(entries[2], { status: 'failed', exitCode: 2, verdict: 'error' });
  t.match(
    events.find((e) => e.kind === 'retry'),
    { name: 'moves', engine: 'a', error: 'engine went away' },
  );
});

t.test('an engine failure with no other engine fails the run', async (t) => {
  const pool = new EnginePool([engine('a')]);
  const [entry] = await runBatch([{ name: 'x', run: async () => Promise.reject(new DockerError('DOCKER_UNAVAILABLE', 'ping', 'gone')) }], {
    pool,
    signal: new AbortController().signal,
  });
  t.match(entry, { status: 'failed', exitCode: 3, attempts: 1 });
});

t.test('an abort starts nothing more and marks what ran and what did not', async (t) => {
  const pool = new EnginePool([engine('a', 'h', 2)]);
  const controller = new AbortController();
  const tasks = Array.from({ length: 6 }, (_, i) => ({
    name: `t${i}`,
    async run(_slot: unknown, signal: AbortSignal): Promise<TaskResult> {
      if (i === 0) return { exitCode: 0, verdict: 'safe' };
      if (i === 2) setTimeout(() => controller.abort(), 5);
      await new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      return { exitCode: 0, verdict: 'safe' };
    },
  }));
  const entries = await runBatch(tasks, { pool, signal: controller.signal });
  t.same(
    entries.map((e) => e.status),
    ['finished', 'interrupted', 'interrupted', 'not-run', 'not-run', 'not-run'],
  );
  t.ok(
    entries.slice(1).every((e) => e.exitCode === 3),
    'nothing unproven counts as safe',
  );
});

t.test('an engine failure wrapped by a failed clean-up is still an engine failure', async (t) => {
  const gone = new DockerError('DOCKER_UNAVAILABLE', 'ping', 'cannot reach the Docker engine');
  // What `await using` throws when disposal fails after the run failed: the disposal's error, the run's suppressed.
  const suppressed = Object.assign(new Error('An error was suppressed during disposal.'), { error: new Error('remove failed'), suppressed: gone });
  t.ok(isEngineFailure(gone));
  t.ok(isEngineFailure(suppressed), 'SuppressedError with the engine error inside');
  t.ok(isEngineFailure(new AggregateError([new Error('x'), gone])), 'AggregateError');
  t.ok(isEngineFailure(new Error('wrapped', { cause: gone })), 'cause');
  t.notOk(isEngineFailure(new Error('plain')), 'a plain error is no engine failure');
  t.notOk(isEngineFailure(new HarnessError('SANDBOX_FAILED', 'run-phase failed')), 'a run failure is no engine failure');
});
