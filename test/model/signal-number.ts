import { constants } from 'node:os';
import t from 'tap';
import { signalArg, signalName, signalNumber } from '../../harness/model/signal-number.js';
import { parseCalls, tracedLines } from '../fixtures/model/run-model.js';

t.test('every signal this platform knows maps to its number', async (t) => {
  const signals = constants.signals as Readonly<Record<string, number>>;
  const names = Object.keys(signals);
  t.ok(names.length > 25);
  for (const name of names) {
    const n = signals[name] ?? -1;
    t.equal(signalNumber(name), n, name);
  }
  t.equal(signalName(signals.SIGTERM ?? 0), 'SIGTERM');
  t.equal(signalName(signals.SIGKILL ?? 0), 'SIGKILL');
});

t.test('real-time signals, numbers and unknown names', async (t) => {
  t.equal(signalNumber('SIGRT_2'), 34, 'strace counts from the kernel SIGRTMIN, 32');
  t.equal(signalNumber('SIGRTMIN+3'), 35);
  t.equal(signalNumber('15'), 15);
  t.equal(signalNumber('SIGBOGUS'), -1);
  t.equal(signalName(0), '0', 'the existence probe');
  t.equal(signalName(40), 'SIGRT_8');
});

t.test('signal arguments of recorded kill calls', async (t) => {
  const lines = await tracedLines('kill-targets', / kill\(.*\) += /);
  const signals = parseCalls(lines).map((e) => signalArg(e.args[1]));
  t.same(signals, [
    { name: '0', number: 0 },
    { name: '0', number: 0 },
    { name: '0', number: 0 },
    { name: '0', number: 0 },
    { name: '0', number: 0 },
    { name: 'SIGKILL', number: 9 },
    { name: 'SIGCONT', number: 18 },
  ]);
  t.same(signalArg({ t: 'flags', names: ['SIGHUP'] }), { name: 'SIGHUP', number: 1 }, 'a lone constant read as a flag set');
  t.equal(signalArg(undefined), undefined);
});
