import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import { parseTraceFile } from '../../harness/trace/parse-trace-file.js';
import { parseTraceStream } from '../../harness/trace/parse-trace-stream.js';
import { collectingSink, RECORDED } from '../fixtures/trace/collect.js';

const FILE = path.join(RECORDED, 'sockets.trace');

t.test('a stream in small chunks gives the same events as the file', async (t) => {
  const bytes = readFileSync(FILE);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 4093) chunks.push(bytes.subarray(i, i + 4093));
  const fromStream = collectingSink();
  const summary = await parseTraceStream(Readable.from(chunks), fromStream, { file: 'sockets.trace' });
  const fromFile = collectingSink();
  const fileSummary = await parseTraceFile(FILE, fromFile);
  t.same(summary, fileSummary);
  t.equal(summary.bytes, bytes.length);
  t.same(JSON.parse(JSON.stringify(fromStream.events)), JSON.parse(JSON.stringify(fromFile.events)));
  t.same(fromStream.issues, []);
});

t.test('a file stream works, and string chunks are read back as UTF-8 bytes', async (t) => {
  const sink = collectingSink();
  const summary = await parseTraceStream(createReadStream(FILE, { highWaterMark: 1000 }), sink);
  t.equal(summary.issues, 0);
  t.ok(summary.events > 500);
  const strings = collectingSink();
  const s = await parseTraceStream(Readable.from(['1 open("caf\u00e9", O_RDONLY) = 3\n', '1 close(3) = 0']), strings);
  t.same(s, { lines: 2, bytes: 44, events: 2, skipped: 0, issues: 0, unresumed: 0, truncatedTail: true });
  t.match(strings.events[0], { kind: 'syscall', args: [{ t: 'str', value: 'caf\u00c3\u00a9' }] });
});

t.test('a stream that fails is a TRACE_UNREADABLE error', async (t) => {
  const failing = new Readable({
    read() {
      this.destroy(new Error('disk on fire'));
    },
  });
  const error: unknown = await parseTraceStream(failing, collectingSink(), { file: 'x.trace' }).catch((e: unknown) => e);
  t.ok(error instanceof HarnessError);
  t.match(error, { code: 'TRACE_UNREADABLE', message: /x\.trace/, cause: { message: 'disk on fire' } });
});
