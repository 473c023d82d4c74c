import t from 'tap';
import { ParsedSyscall, plainSyscall } from '../../harness/trace/parsed-syscall.js';
import { syscallOf } from '../fixtures/trace/collect.js';

const LINE = "28127 1795323245.712336 kill(2 /* 28128 in strace's PID NS */, SIGTERM) = 0 <0.000006>";

t.test('arguments are typed on first read and kept', async (t) => {
  const e = syscallOf(LINE);
  t.ok(e instanceof ParsedSyscall);
  const first = e.args;
  t.same(first, [
    { t: 'pid', value: 2, tracerValue: 28128 },
    { t: 'other', text: 'SIGTERM', name: 'SIGTERM' },
  ]);
  t.equal(e.args, first, 'the same array on every read');
  t.equal(e.argsIncomplete, undefined);
  t.equal(e.argNames, undefined);
});

t.test('JSON and plainSyscall carry the typed arguments; a spread does not', async (t) => {
  const e = syscallOf(LINE);
  const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
  t.match(json, { kind: 'syscall', name: 'kill', pid: 28127, line: 1, args: [{ t: 'pid', tracerValue: 28128 }], ret: { value: 0 }, duration: 0.000006 });
  t.notOk('argsIncomplete' in json);
  const plain = plainSyscall(e);
  t.same({ ...plain }.args, e.args);
  t.notOk(plain instanceof ParsedSyscall);
  t.equal(({ ...e } as { args?: unknown }).args, undefined, 'documented: getters are not copied by a spread');
});

t.test('incomplete arguments are flagged, whatever the scanner read', async (t) => {
  t.equal(syscallOf('1 1.0 read(3, "abc"xyz, 5) = 5').argsIncomplete, true);
  const known = new ParsedSyscall(1, 'raw', 1, 'read', '3', { value: null, text: '?' }, undefined, true, '3', 0, 1, 'raw', -1, 'raw', -1, true);
  t.equal(known.argsIncomplete, true);
  t.equal(known.time, undefined);
  t.equal(known.duration, undefined);
  t.same(known.args, [{ t: 'num', value: 3, text: '3' }]);
});
