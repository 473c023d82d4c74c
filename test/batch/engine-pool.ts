import t from 'tap';
import { EnginePool, defaultJobs } from '../../harness/batch/engine-pool.js';
import type { PoolEngine, Slot } from '../../harness/batch/engine-pool.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

const engine = (name: string, hostName: string, cpus: number): PoolEngine => ({ name, client: new FakeContainerClient(), hostName, cpus });

t.test('one engine: a slot per CPU, each on its own CPU, freed slots reused', async (t) => {
  const a = engine('a', 'h1', 2);
  const pool = new EnginePool([a]);
  t.equal(pool.jobs, 2);
  const s1 = (await pool.acquire())!;
  const s2 = (await pool.acquire())!;
  t.same([s1.cpu, s2.cpu].sort(), [0, 1], 'pinned apart');
  let third: Slot | undefined;
  const waiting = pool.acquire().then((s) => (third = s));
  await new Promise((r) => setImmediate(r));
  t.equal(third, undefined, 'a third waits');
  pool.release(s1);
  await waiting;
  t.equal(third!.cpu, s1.cpu, 'and gets the freed CPU');
});

t.test('engines on one machine share its CPUs; machines add theirs; runs spread over engines', async (t) => {
  const a = engine('a', 'h1', 2);
  const b = engine('b', 'h1', 2);
  const c = engine('c', 'h2', 4);
  t.equal(defaultJobs([a, b]), 2, 'two engines on one 2-CPU machine: 2');
  t.equal(defaultJobs([a, b, c]), 6);
  const pool = new EnginePool([a, b], 2);
  const s1 = (await pool.acquire())!;
  const s2 = (await pool.acquire())!;
  t.same([s1.engine.name, s2.engine.name], ['a', 'b'], 'one on each engine');
  t.not(s1.cpu, s2.cpu, 'on different CPUs of the machine they share');
});

t.test('more jobs than CPUs: several runs to a CPU, spread evenly', async (t) => {
  const pool = new EnginePool([engine('a', 'h1', 2)], 4);
  const slots = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
  t.same(slots.map((s) => s!.cpu).sort(), [0, 0, 1, 1]);
});

t.test('a failed or avoided engine takes no runs; none left gives undefined', async (t) => {
  const a = engine('a', 'h1', 1);
  const b = engine('b', 'h2', 1);
  const pool = new EnginePool([a, b]);
  t.equal((await pool.acquire(new Set([a])))!.engine, b, 'avoids a');
  pool.markFailed(b);
  t.equal(await pool.acquire(new Set([a])), undefined, 'nothing but a is left, and a is avoided');
  const controller = new AbortController();
  const s = (await pool.acquire())!;
  t.equal(s.engine, a);
  const waiting = pool.acquire(new Set(), controller.signal);
  controller.abort();
  t.equal(await waiting, undefined, 'an abort ends the wait');
});
