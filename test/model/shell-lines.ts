import t from 'tap';
import { lineOf, ofClass, runcmd, runRecorded } from '../fixtures/model/run-model.js';

// ksh93 writes the markers of lines 3-9 of deferred-trace.ksh (cd, ulimit, umask, then kill's flush)
// in one write, after the calls of lines 3-8: each call still gets the line that made it.
t.test('calls of builtins run before their trace was written get their own lines', async (t) => {
  const { events } = await runRecorded('deferred-trace');
  const batch = await lineOf('deferred-trace', /:3\] ulimit -n 64\\n.*:9\] kill -0/);
  const limits = ofClass(runcmd(events), 'process-change').map((e) => [e.change?.detail, e.location?.line]);
  t.same(
    limits,
    [
      [limits[0]?.[0], 3],
      [limits[1]?.[0], 6],
      [limits[2]?.[0], 11],
    ],
    'each ulimit -n on its line',
  );
  t.match(
    limits.map((l) => l[0]),
    [/64/, /63/, /62/],
  );

  const kills = ofClass(runcmd(events), 'signal');
  t.same(
    kills.map((e) => [e.line > batch, e.location?.line]),
    [[true, 9]],
    'kill flushes the trace first: after the write, on its own line',
  );

  const jail = runcmd(ofClass(events, 'jail')).filter((e) => e.subject?.kind === 'proc-root');
  t.same(
    jail.map((e) => [e.line < batch, e.location?.line, e.location?.caveat]),
    [
      [true, 4, undefined],
      [true, 7, undefined],
    ],
    'each cd through /proc/1/root, made before its marker was written, on its own line (not on none, nor on line 4)',
  );
});
