import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { HarnessError, UserError } from '../../harness/errors.js';
import { runProcess } from '../../harness/process/run-process.js';
import { parseTraceFile, pidFromTraceFileName } from '../../harness/trace/parse-trace-file.js';
import type { SyscallEvent, TraceEvent } from '../../harness/trace/trace-event.js';
import { collectingSink, RECORDED, RECORDER, recordedTraces } from '../fixtures/trace/collect.js';

async function parse(file: string) {
  const sink = collectingSink();
  const summary = await parseTraceFile(file, sink);
  return { ...sink, summary };
}

const calls = (events: TraceEvent[], name: string) => events.filter((e): e is SyscallEvent => e.kind === 'syscall' && e.name === name);

/** What every real recording must give: every line read, nothing unreadable, every call's arguments typed. */
async function checkRecording(t: Test, file: string): Promise<TraceEvent[]> {
  const { events, issues, summary } = await parse(file);
  const text = readFileSync(file, 'latin1');
  // The cut-* recordings end where their killed tracer stopped writing, in the middle of a line.
  const cut = path.basename(file).startsWith('cut-');
  const lines = text.split('\n').length - (cut ? 0 : 1);
  t.same(issues, [], `${path.basename(file)}: no issues`);
  t.equal(summary.lines, lines, `${path.basename(file)}: every line read`);
  t.equal(summary.truncatedTail, cut, `${path.basename(file)}: ${cut ? 'cut' : 'whole'}`);
  const incomplete = events.filter((e) => e.kind === 'syscall' && e.argsIncomplete === true && e.unfinished !== true);
  t.same(
    incomplete.map((e) => e.raw),
    [],
    `${path.basename(file)}: every argument typed`,
  );
  return events;
}

t.test('every recorded trace reads with zero issues', async (t) => {
  const files = recordedTraces();
  t.ok(files.length >= 10);
  for (const file of files) await checkRecording(t, file);
});

t.test('the recordings hold what the scenarios did', async (t) => {
  const jail = (await parse(path.join(RECORDED, 'jail.trace'))).events;
  t.match(calls(jail, 'chroot')[0], { args: [{ t: 'str', value: /\/jail$/ }], ret: { value: 0 } });
  const pidfile = calls(jail, 'openat').find((e) => e.args[1]?.t === 'str' && e.args[1].value === '/var/run/daemon.pid');
  t.match(pidfile, {
    args: [{ t: 'fd', fd: -100, decoration: { kind: 'path', path: /\/jail$/ } }],
    ret: { decoration: { path: /\/jail\/var\/run\/daemon\.pid$/ } },
  });
  t.match(calls(jail, 'kill')[0], {
    args: [
      { t: 'num', value: 4194301 },
      { t: 'num', value: 0 },
    ],
    ret: { errno: 'ESRCH' },
  });

  const inter = (await parse(path.join(RECORDED, 'interleave.trace'))).events;
  t.ok(
    inter.some((e) => e.endLine !== undefined),
    'interleaved unfinished/resumed pairs were merged',
  );
  t.ok(
    inter.some((e) => e.kind === 'syscall' && e.unfinished === true && e.name === 'clock_nanosleep'),
    'the sleep killed inside its call',
  );
  t.ok(inter.some((e) => e.kind === 'exit' && e.signal === 'SIGKILL'));
  t.ok(inter.some((e) => e.kind === 'exit' && e.signal === 'SIGSEGV' && e.coreDumped === true));
  t.ok(inter.some((e) => e.kind === 'signal' && e.stopped === true));
  t.ok(inter.some((e) => e.kind === 'exit' && e.code === 3));

  const pidns = (await parse(path.join(RECORDED, 'pidns.trace'))).events;
  t.match(
    calls(pidns, 'kill').find((e) => e.endLine === undefined),
    { args: [{ t: 'pid', value: 2, tracerValue: Number }] },
  );
  t.ok(
    pidns.some((e) => e.kind === 'syscall' && e.ret.tracerValue !== undefined),
    'a clone or getpid returned a translated pid',
  );
  t.ok(pidns.some((e) => e.kind === 'signal' && e.siPid?.tracerValue !== undefined));

  const names = (await parse(path.join(RECORDED, 'names.trace'))).events;
  const paths = calls(names, 'openat').flatMap((e) => (e.ret.decoration?.kind === 'path' ? [path.basename(e.ret.decoration.path)] : []));
  for (const n of ['gt>name', 'lt<name', 'nl\nname', 'quote"name', 'back\\slash', 'tab\tname', 'paren)comma, name', 'utf8-\u00c3\u00a9', 'ends-']) {
    t.ok(paths.includes(n), JSON.stringify(n));
  }
  t.ok(names.some((e) => e.kind === 'syscall' && e.args[0]?.t === 'fd' && e.args[0].decoration.kind === 'path' && e.args[0].decoration.deleted === true));
  t.ok(
    calls(names, 'listen').some(
      (e) => e.args[0]?.t === 'fd' && e.args[0].decoration.kind === 'socket' && e.args[0].decoration.socket.path?.endsWith('s>o"c)k'),
    ),
  );

  const sockets = (await parse(path.join(RECORDED, 'sockets.trace'))).events;
  const protocols = new Set(
    sockets.flatMap((e) => (e.kind === 'syscall' && e.ret.decoration?.kind === 'socket' ? [e.ret.decoration.socket.protocolText] : [])),
  );
  for (const p of ['TCP', 'UDP', 'UNIX-STREAM', 'UNIX', 'TCPv6', 'NETLINK']) t.ok(protocols.has(p), p);
  t.match(calls(sockets, 'sendmsg')[0], {
    args: [{ t: 'fd' }, { t: 'struct', fields: [['msg_name', { fields: [[], ['sun_path', { value: 'dgram.sock' }]] }]] }],
  });
  t.ok(
    calls(sockets, 'bind').some(
      (e) => e.args[1]?.t === 'struct' && e.args[1].fields.some(([k, v]) => k === 'sun_path' && v.t === 'str' && v.abstract === true),
    ),
  );
});

t.test('-ff files take their pid from the file name', async (t) => {
  for (const file of recordedTraces().filter((f) => f.includes(`${path.sep}ff${path.sep}`))) {
    const { events } = await parse(file);
    const pid = Number(path.extname(file).slice(1));
    t.ok(events.length > 0 && events.every((e) => e.pid === pid), path.basename(file));
  }
  t.equal(pidFromTraceFileName('/x/trace.txt.1234'), 1234);
  t.equal(pidFromTraceFileName('/x/trace.txt'), undefined);
  t.equal(pidFromTraceFileName('/x/.123'), undefined);
  t.equal(pidFromTraceFileName('/x/t.0'), undefined);
});

t.test('a trace cut anywhere reads to its end; a cut last line is flagged', async (t) => {
  const whole = readFileSync(path.join(RECORDED, 'interleave.trace'));
  const dir = t.testdir();
  for (const cut of [1, 97, 5000, 33333, whole.length - 7]) {
    const file = path.join(dir, `cut-${cut}.trace`);
    writeFileSync(file, whole.subarray(0, cut));
    const { summary, issues } = await parse(file);
    t.equal(summary.truncatedTail, whole[cut - 1] !== 10, `cut at ${cut}`);
    t.equal(summary.bytes, cut);
    t.ok(
      issues.every((i) => i.line === summary.lines && i.file === file),
      'only the cut line can be unreadable',
    );
  }
});

t.test('a missing file is the user’s to fix; a directory is unreadable', async (t) => {
  const dir = t.testdir({ sub: {} });
  const missing: unknown = await parseTraceFile(path.join(dir, 'nope.trace'), collectingSink()).catch((e: unknown) => e);
  t.ok(missing instanceof UserError);
  t.match(missing, { code: 'INPUT_NOT_FOUND', message: /nope\.trace/, hint: String });
  const directory: unknown = await parseTraceFile(path.join(dir, 'sub'), collectingSink()).catch((e: unknown) => e);
  t.ok(directory instanceof HarnessError);
  t.match(directory, { code: 'TRACE_UNREADABLE', message: /sub/, hint: String });
});

const recordSkip = process.getuid?.() !== 0 ? 'recording needs root (chroot, unshare)' : false;

t.test('traces recorded now with the installed strace read with zero issues', { skip: recordSkip, timeout: 120_000 }, async (t) => {
  const out = path.join(t.testdir(), 'recorded');
  mkdirSync(out);
  await runProcess('bash', [RECORDER, out], { timeoutMs: 90_000, signal: AbortSignal.timeout(100_000) });
  const files = recordedTraces(out);
  t.ok(files.length >= 10, `${files.length} traces`);
  for (const file of files) await checkRecording(t, file);
  const inter = (await parse(path.join(out, 'interleave.trace'))).events;
  t.ok(
    inter.some((e) => e.endLine !== undefined),
    'unfinished/resumed pairs appear and are merged',
  );
});
