import t from 'tap';
import { parseWitness, readWitness } from '../../harness/contract/witness.js';

t.test('witness lines: valid ones parsed, broken ones reported with their line', async (t) => {
  const { events, issues } = parseWitness('{"daemon":"comsec","event":"signal","signal":"SIGTERM","senderPid":80}\nnot json\n\n{"event":"x"}\n');
  t.equal(events.length, 1);
  t.equal(events[0]!.senderPid, 80);
  t.same(
    issues.map((i) => i.split(':')[1]),
    ['2', '4'],
  );
});

t.test('a field of the wrong type is an issue naming the line, the field and the value, never dropped in silence', async (t) => {
  const log = parseWitness(
    [
      '{"t":1.5,"daemon":"inetd","pid":11,"event":"signal","signal":"SIGHUP","signo":1,"code":"user","senderPid":"42"}',
      '{"t":1.6,"daemon":"init","pid":1,"event":"reap","childPid":30,"signal":"SIGKILL","someday":"a field the stand-ins add later"}',
      '{"daemon":"comsec","event":"signal","pid":null}',
    ].join('\n'),
  );
  t.same(log.issues, ['witness.jsonl:1: senderPid: expected integer, got "42"', 'witness.jsonl:3: pid: expected integer, got null']);
  t.equal(log.lines.length, 1);
  t.equal(log.lines[0]!.childPid, 30, 'every field of a good line is kept');
  t.same(log.events, [{ line: 2, daemon: 'init', event: 'reap', pid: 1, t: 1.6, signal: 'SIGKILL' }]);
});

t.test('a missing witness.jsonl reads as none', async (t) => {
  const dir = t.testdir({ 'witness.jsonl': '{"daemon":"init","event":"booted","pid":1,"t":2}\n' });
  t.equal(await readWitness(`${dir}/none.jsonl`), undefined);
  t.equal((await readWitness(`${dir}/witness.jsonl`))?.events.length, 1);
});
