/**
 * When ksh93's SIGCONT after a kill joins the kill's finding, and when it
 * stays a finding of its own. The recorded case (s01: `kill -9 $PID`) is in
 * render-text.ts; these are the edges around it.
 */
import t from 'tap';
import type { ModelEvent, SignalTarget } from '../../harness/model/model-event.js';
import { SignalFollowUps } from '../../harness/report/signal-follow-ups.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const daemon: SignalTarget = { kind: 'process', pid: 123, nsPid: 57, name: 'comsec', origin: 'booted' };
const location = { file: '/var/adm/sw/products/P/F/preinstall', line: 5, source: 'kill -9 $PID', expanded: 'kill -9 57' };

function signalEvent(seq: number, name: string, target: SignalTarget = daemon, line = 5, pid = 200): ModelEvent {
  const first = makeFinding('illegal-kill', 'error').detail;
  return {
    ...first,
    seq,
    line: 10 + seq,
    signal: { name, number: name === 'SIGCONT' ? 18 : 9, target },
    location: { ...location, line },
    process: { ...first.process, pid },
  };
}

/** The kill's finding, judged: what the analysis records after the first event. */
function killed(follow: SignalFollowUps, e: ModelEvent) {
  const f = { ...makeFinding('illegal-kill', 'error', e), detail: e };
  t.equal(follow.joins(e, 'illegal-kill'), undefined, `${e.signal?.name} starts a finding`);
  follow.saw(e, f);
  return f;
}

t.test('the SIGCONT right after a kill of the same target from the same line joins it', async (t) => {
  const follow = new SignalFollowUps();
  const f = killed(follow, signalEvent(1, 'SIGKILL'));
  t.equal(follow.joins(signalEvent(2, 'SIGCONT'), 'illegal-kill'), f);
  t.equal(follow.joins(signalEvent(2, 'SIGCONT'), 'signal-probe'), undefined, 'another rule keeps its own finding');
});

t.test('it stays a finding of its own otherwise', async (t) => {
  const follow = new SignalFollowUps();
  killed(follow, signalEvent(1, 'SIGTERM'));
  const init: SignalTarget = { kind: 'process', nsPid: 1, name: 'init', origin: 'booted' };
  t.equal(follow.joins(signalEvent(2, 'SIGCONT', init), 'illegal-kill'), undefined, 'another target');
  t.equal(follow.joins(signalEvent(2, 'SIGCONT', daemon, 6), 'illegal-kill'), undefined, 'another script line');
  t.equal(follow.joins(signalEvent(2, 'SIGCONT', daemon, 5, 201), 'illegal-kill'), undefined, 'another process');
  t.equal(follow.joins(signalEvent(2, 'SIGHUP'), 'illegal-kill'), undefined, 'a second real signal');

  // Anything else the process did in between ends the pairing.
  const other: ModelEvent = { ...signalEvent(2, 'SIGKILL'), class: 'exec', syscall: 'execve' };
  delete (other as { signal?: unknown }).signal;
  follow.saw(other, undefined);
  t.equal(follow.joins(signalEvent(3, 'SIGCONT'), 'illegal-kill'), undefined, 'not after another event of the process');

  // A SIGCONT that is itself the first signal (`kill -CONT $PID`) is a finding.
  const fresh = new SignalFollowUps();
  killed(fresh, signalEvent(1, 'SIGCONT'));
  t.equal(fresh.joins(signalEvent(2, 'SIGCONT'), 'illegal-kill'), undefined, 'a SIGCONT follows only another signal');
});
