import t from 'tap';
import { LineSplitter } from '../../harness/trace/line-splitter.js';

function split(chunks: Buffer[], max?: number) {
  const lines: [string, number][] = [];
  const oversized: [string, number][] = [];
  const splitter = new LineSplitter({ line: (text, bytes) => lines.push([text, bytes]), oversized: (p, bytes) => oversized.push([p, bytes]) }, max);
  for (const c of chunks) splitter.push(c);
  const tail = splitter.end();
  return { lines, oversized, tail };
}

t.test('lines split across chunks are joined; byte counts include the newline', async (t) => {
  const text = Buffer.from('abc\ndef\nghi\n');
  for (let cut = 0; cut <= text.length; cut++) {
    const r = split([text.subarray(0, cut), text.subarray(cut)]);
    t.same(
      r.lines,
      [
        ['abc', 4],
        ['def', 4],
        ['ghi', 4],
      ],
      `cut at ${cut}`,
    );
    t.equal(r.tail, false);
  }
});

t.test('the last line without a newline is flushed and reported', async (t) => {
  const r = split([Buffer.from('one\ntwo')]);
  t.same(r.lines, [
    ['one', 4],
    ['two', 3],
  ]);
  t.equal(r.tail, true);
  t.same(split([]).lines, []);
});

t.test('bytes decode as latin1: every byte is one code point', async (t) => {
  const r = split([Buffer.from([0x61, 0xc3, 0xa9, 0xff, 0x00, 0x0a])]);
  t.same(r.lines, [['a\u00c3\u00a9\u00ff\u0000', 6]]);
});

t.test('a chunk buffer reused by the caller does not corrupt a carried line', async (t) => {
  const lines: string[] = [];
  const splitter = new LineSplitter({ line: (text) => lines.push(text), oversized: () => undefined });
  const buf = Buffer.from('hello wo');
  splitter.push(buf);
  buf.write('XXXXXXXX');
  splitter.push(Buffer.from('rld\n'));
  t.same(lines, ['hello world']);
});

t.test('lines over the limit are dropped as they stream, with a preview and their size', async (t) => {
  const long = Buffer.alloc(5000, 0x78);
  const r = split([Buffer.from('ok\n'), long.subarray(0, 2000), long.subarray(2000), Buffer.from('\nafter\n')], 1000);
  t.same(r.lines, [
    ['ok', 3],
    ['after', 6],
  ]);
  t.equal(r.oversized.length, 1);
  t.equal(r.oversized[0]?.[0], 'x'.repeat(200));
  t.equal(r.oversized[0]?.[1], 5001);
  const tail = split([long], 1000);
  t.equal(tail.tail, true);
  t.same(
    tail.oversized.map((o) => o[1]),
    [5000],
  );
});
