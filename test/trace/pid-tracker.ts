import t from 'tap';
import { PidTracker } from '../../harness/trace/pid-tracker.js';

t.test('a fixed pid (-ff file) is the pid of unprefixed lines from the start', async (t) => {
  const p = new PidTracker(42);
  t.equal(p.resolved, true);
  t.equal(p.lone, 42);
});

t.test('the first prefixed pid that is not an announced child is the first traced pid', async (t) => {
  const p = new PidTracker(undefined);
  t.equal(p.resolved, false);
  p.born(501);
  t.equal(p.seen(501), undefined, 'the announced child is not the first pid');
  t.equal(p.seen(500), 500);
  t.equal(p.lone, 500);
  t.equal(p.seen(502), undefined, 'only the first is reported');
});

t.test('when one process is left, unprefixed lines are its lines', async (t) => {
  const p = new PidTracker(undefined);
  p.resolve(500);
  p.seen(500);
  p.born(501);
  p.seen(501);
  p.exited(500);
  t.equal(p.lone, 501, 'the parent exited first: the child is alone');
  p.resolve(999);
  t.equal(p.lone, 501, 'resolve does nothing once known');
});
