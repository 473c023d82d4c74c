import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { DumpEvent, SyscallEvent, TraceEvent } from '../../harness/trace/trace-event.js';
import { MAX_DUMP_BYTES } from '../../harness/trace/call-dumps.js';
import { parseLine } from '../../harness/trace/parse-line.js';
import { parseLines, RECORDED } from '../fixtures/trace/collect.js';
import { dumpLines } from '../fixtures/trace/hex-dump.js';

const DUMP = path.join(RECORDED, 'dump.trace');
const lines = () =>
  readFileSync(DUMP, 'latin1')
    .split('\n')
    .filter((l) => l.length > 0);
const dumps = (events: TraceEvent[]) => events.filter((e): e is DumpEvent => e.kind === 'dump');

t.test('a recorded hex dump gives each raw write to fd 2 its exact bytes', async (t) => {
  const { events, issues } = parseLines(lines());
  t.same(issues, []);
  const writes = events.filter((e): e is SyscallEvent => e.kind === 'syscall' && e.name === 'write' && e.argsText.startsWith('0x2,'));
  t.ok(writes.length >= 6, `${writes.length} raw writes to fd 2`);
  // Each write's dump lines follow it, and come as one event with every byte the call returned.
  for (const w of writes) {
    const next = events[events.indexOf(w) + 1];
    t.match(next, { kind: 'dump', pid: w.pid, call: 'write', line: (w.endLine ?? w.line) + 1 }, `line ${w.line}: its dump follows`);
    t.equal((next as DumpEvent).data.length, w.ret.value, `line ${w.line}: every byte`);
    t.equal((next as DumpEvent).endLine, (w.endLine ?? w.line) + Math.ceil((w.ret.value ?? 0) / 16), `line ${w.line}: every dump line`);
  }
  t.equal(dumps(events).length, writes.length, 'no other dumps');
  const text = dumps(events)
    .map((d) => d.data)
    .join('');
  // ksh quotes the tab and the UTF-8 e-acute in its trace; the command's own output is raw bytes.
  t.match(text, /:5\] print -u2 \$'longer than one dump row of 16 bytes: "quoted" \\\\ tab\\tand \\xc3\\xa9'\n/);
  t.match(text, /longer than one dump row of 16 bytes: "quoted" \\ tab\tand \xc3\xa9\n/, 'the bytes, not the text column');
  t.match(text, /:6\] print -u2 child\nchild\n/);
});

t.test('a dump after an unfinished write comes after its resume, for the resumed call', async (t) => {
  const all = lines();
  const head = all.findIndex((l) => /write\(0x2, .*<unfinished \.\.\.>$/.test(l));
  t.ok(head >= 0, 'the recording has an unfinished write');
  const { events } = parseLines(all);
  const merged = events.find((e): e is SyscallEvent => e.kind === 'syscall' && e.line === head + 1);
  t.ok(merged?.endLine, 'the write was merged with its resume');
  const next = events[events.indexOf(merged as TraceEvent) + 1];
  t.match(next, { kind: 'dump', pid: merged?.pid, call: 'write' });
});

t.test('dump lines read back what the fixture formatter writes, for every byte value and length', async (t) => {
  const bytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  for (const n of [1, 7, 8, 9, 15, 16, 17, 31, 256]) {
    const data = bytes.slice(0, n);
    const records = dumpLines(data).map((l) => parseLine(l));
    t.ok(
      records.every((r) => r.kind === 'dump'),
      `${n} bytes: every line reads`,
    );
    t.equal(records.map((r) => (r.kind === 'dump' ? r.data : '')).join(''), data, `${n} bytes: exact`);
  }
});

t.test('a dump out of place, out of order or cut short is an issue, never data', async (t) => {
  const write = '100  1.0 write(0x2, 0x55aa, 0x20) = 0x20 <0.000010>';
  const [row0, row1] = dumpLines('+drdsafe[/s:1] x\n+drdsafe[/s:2] y\n') as [string, string];
  t.same(parseLines([write, row0, row1]).issues, [], 'in order after its call');

  const orphan = parseLines([row0]);
  t.match(orphan.issues, [{ line: 1, message: /no complete call before it/ }]);
  t.same(dumps(orphan.events), []);

  const afterExit = parseLines(['100  1.0 +++ exited with 0 +++', row0]);
  t.match(afterExit.issues, [{ line: 2, message: /no complete call before it/ }]);

  const head = parseLines(['100  1.0 write(0x2, 0x55aa, 0x20 <unfinished ...>', row0]);
  t.match(head.issues, [{ line: 2, message: /no complete call before it/ }], 'not after an unfinished head: strace dumps on return');

  const gap = parseLines([write, row1]);
  t.match(gap.issues, [{ line: 2, message: /offset 16, expected 0/ }]);
  t.same(dumps(gap.events), []);

  for (const cut of [row0.slice(0, 40), row0.slice(0, -2), row0.replace(' 2b ', ' 2g ')]) {
    const r = parseLines([write, cut]);
    t.match(r.issues, [{ line: 2, message: /unreadable hex dump line/ }], JSON.stringify(cut));
    t.same(dumps(r.events), []);
  }
  const afterBad = parseLines([write, row0.slice(0, 40), row1]);
  t.equal(afterBad.issues.length, 2, 'a bad line also orphans the rows after it');
});

t.test("a call's dump past 16 KiB is checked to the end but not kept", async (t) => {
  const data = 'x'.repeat(20_000);
  const rows = dumpLines(data);
  const r = parseLines(['100  1.0 write(0x2, 0x55aa, 0x4e20) = 0x4e20', ...rows, '100  1.0 +++ exited with 0 +++']);
  t.same(r.issues, []);
  const [d] = dumps(r.events);
  t.equal(d?.truncated, true);
  t.equal(d?.data.length, MAX_DUMP_BYTES);
  t.equal(d?.endLine, rows.length + 1, 'the event spans every dump line');
  t.equal(d?.raw.split('\n').length, MAX_DUMP_BYTES / 16, 'raw keeps the lines of the data kept');
  t.equal(r.events.at(-1)?.kind, 'exit', 'and comes before the next line');
  const cut = parseLines(['100  1.0 write(0x2, 0x55aa, 0x4e20) = 0x4e20', ...rows.slice(0, 1100), ...rows.slice(1101)]);
  t.match(cut.issues, [{ line: 1102, message: /expected 17600/ }], 'a missing line past the kept part is still found');
});

t.test('the dump of a call nobody reads is checked and counted as skipped', async (t) => {
  const [row] = dumpLines('abc') as [string];
  const r = parseLines(['100  1.0 sendto(0x2, 0x55aa, 0x3, 0, NULL, 0) = 0x3', row], { syscalls: new Set(['write']) });
  t.same(r.issues, []);
  t.same(dumps(r.events), []);
  t.equal(r.summary.skipped, 2);
  const bad = parseLines(['100  1.0 sendto(0x2, 0x55aa, 0x3, 0, NULL, 0) = 0x3', row.slice(0, 20)], { syscalls: new Set(['write']) });
  t.equal(bad.issues.length, 1, 'still checked');
});
