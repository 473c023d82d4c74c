import t from 'tap';
import { HeldEvents } from '../../harness/model/held-events.js';
import type { TraceEvent } from '../../harness/trace/trace-event.js';
import { parseCalls, tracedLines } from '../fixtures/model/run-model.js';

/** The first spawned child's complete calls before its parent's clone3 returned, as recorded. */
async function childCalls(): Promise<TraceEvent[]> {
  const lines = await tracedLines('fork-exec', /./);
  const start = lines.findIndex((l) => l.includes('clone3({'));
  const end = lines.findIndex((l) => l.includes('<... clone3 resumed>'));
  const childPid = lines[start + 1]?.split(' ')[0];
  return parseCalls(lines.slice(start + 1, end).filter((l) => l.startsWith(`${childPid} `) && !l.includes('<unfinished')));
}

t.test('held until claimed, keeping only what matters', async (t) => {
  const calls = await childCalls();
  t.ok(calls.length > 50, `${calls.length} calls before the clone returned`);
  const unclaimed: number[] = [];
  const held = new HeldEvents(
    (e) => e.kind === 'syscall' && e.name !== 'rt_sigaction',
    (pid) => unclaimed.push(pid),
  );
  for (const e of calls) held.hold(e);
  const kept = held.claim(calls[0]?.pid ?? -1);
  t.same(
    kept?.map((e) => e.line),
    calls.filter((e) => e.kind === 'syscall' && e.name !== 'rt_sigaction').map((e) => e.line),
  );
  t.equal(held.claim(calls[0]?.pid ?? -1), undefined, 'claimed once');
  held.releaseAll();
  t.same(unclaimed, []);
  t.equal(held.holding, true);
});

t.test('a process nobody claims is released; too many events stop the holding', async (t) => {
  const calls = await childCalls();
  const released: [number, number][] = [];
  const held = new HeldEvents(
    () => true,
    (pid, events) => released.push([pid, events.length]),
  );
  for (const e of calls) held.hold(e);
  held.releaseAll();
  t.same(released, [[calls[0]?.pid, calls.length]], 'at the end of input, in order');

  const flood = new HeldEvents(
    () => true,
    (pid, events) => released.push([pid, events.length]),
  );
  released.length = 0;
  const one = calls[0];
  if (one === undefined) throw new Error('no calls');
  for (let i = 0; i <= 1024; i++) flood.hold({ ...one, line: i + 1 } as TraceEvent);
  t.same(released, [[one.pid, 1025]]);
  t.equal(flood.holding, false, 'the trace shows no clones: later processes are not held');
});
