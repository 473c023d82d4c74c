import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { PARSER_READS, TraceParser } from '../../harness/trace/trace-parser.js';
import type { SyscallEvent, TraceEvent } from '../../harness/trace/trace-event.js';
import { collectingSink, parseLines, RECORDED, recordedTraces } from '../fixtures/trace/collect.js';

const syscalls = (events: TraceEvent[]) => events.filter((e): e is SyscallEvent => e.kind === 'syscall');

t.test('unfinished/resumed pairs of interleaved pids merge into one event each', async (t) => {
  // Real strace 6.1 output (ksh forking two children, -o with -f).
  const lines = [
    '4392  1795321492.356620 set_robust_list(0x7f42c305ea20, 24 <unfinished ...>',
    '4391  1795321492.356657 lseek(11</tmp/st/t1.sh>, 87, SEEK_SET <unfinished ...>',
    '4392  1795321492.356666 <... set_robust_list resumed>) = 0 <0.000041>',
    '4391  1795321492.356673 <... lseek resumed>) = 87 <0.000008>',
    '4391  1795321492.356764 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>',
    '4392  1795321492.356979 rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_INTERRUPT, sa_restorer=0x7f42c309d050},  <unfinished ...>',
    '4391  1795321492.356993 <... clone resumed>, child_tidptr=0x7f42c305ea10) = 4393 <0.000223>',
    '4392  1795321492.357054 <... rt_sigaction resumed>{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0 <0.000068>',
  ];
  const { events, issues, summary } = parseLines(lines);
  t.same(issues, []);
  t.equal(summary.unresumed, 0);
  t.same(
    events.map((e) => [e.kind === 'syscall' ? e.name : e.kind, e.pid, e.line, e.endLine]),
    [
      ['set_robust_list', 4392, 1, 3],
      ['lseek', 4391, 2, 4],
      ['clone', 4391, 5, 7],
      ['rt_sigaction', 4392, 6, 8],
    ],
  );
  const [, lseek, clone, sigaction] = syscalls(events);
  t.equal(lseek?.raw, `${lines[1]}\n${lines[3]}`);
  t.equal(lseek?.time, 1795321492.356657, 'the time of the call is the time it started');
  t.equal(lseek?.duration, 0.000008);
  t.match(lseek?.args, [{ t: 'fd', fd: 11, decoration: { path: '/tmp/st/t1.sh' } }, { value: 87 }, { name: 'SEEK_SET' }]);
  t.equal(clone?.argsText, 'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f42c305ea10');
  t.same(clone?.argNames, ['child_stack', 'flags', 'child_tidptr']);
  t.equal(clone?.ret.value, 4393);
  t.equal(clone?.argsIncomplete, undefined);
  t.equal(sigaction?.args.length, 4);
  t.match(sigaction?.args[2], { t: 'struct', fields: [['sa_handler', { name: 'SIG_DFL' }], [], []] });
});

t.test('a call that never resumes is delivered at the end, flagged and counted', async (t) => {
  const { events, summary } = parseLines(['4391  1795321492.357329 wait4(-1,  <unfinished ...>', '4393  1795321492.458005 getpid() = 4393 <0.000010>']);
  t.equal(summary.unresumed, 1);
  t.same(
    events.map((e) => e.line),
    [2, 1],
    'delivered after everything else',
  );
  const wait = syscalls(events)[1];
  t.equal(wait?.unfinished, true);
  t.equal(wait?.argsIncomplete, true);
  t.equal(wait?.ret.value, null);
  t.same(wait?.args, [{ t: 'num', value: -1, text: '-1' }]);
});

t.test("a trace cut after a call's entry: the last line is a call that never returned", async (t) => {
  const feed = (tail: string) => {
    const sink = collectingSink();
    const parser = new TraceParser(sink);
    parser.push('42 1.0 getpid() = 42');
    // The input's last line comes without its newline: its byte length is its own.
    parser.push(tail, tail.length);
    return { ...sink, summary: parser.end(true) };
  };
  const kill = feed('42 1.1 kill(-1, SIGKILL');
  t.same(kill.issues, []);
  t.equal(kill.summary.unresumed, 1);
  t.match(syscalls(kill.events).at(-1), { name: 'kill', line: 2, raw: '42 1.1 kill(-1, SIGKILL', unfinished: true, ret: { value: null } });
  t.same(
    syscalls(kill.events)
      .at(-1)
      ?.args.map((a) => a.t),
    ['num', 'other'],
    'the arguments printed at entry are read',
  );
  const read = feed('42 1.1 read(0, ');
  t.match(
    syscalls(read.events).at(-1),
    { name: 'read', unfinished: true, args: [{ t: 'num', value: 0 }] },
    'output arguments come at exit: only the input ones',
  );
  t.match(syscalls(feed('42 1.1 kill(-1, SIGKILL <unfin').events).at(-1), { name: 'kill', argsText: '-1, SIGKILL', unfinished: true }, 'a cut inside the mark');
  t.match(feed('42 1.1 +++ exited wi').issues, [{ line: 2 }], 'a cut exit line is still unreadable');
  t.match(feed('42 1.1 kill(-1, SIGKILL) = ').issues, [{ line: 2 }], 'so is a call cut in its result');
  const whole = parseLines(['42 1.0 getpid() = 42', '42 1.1 kill(-1, SIGKILL']);
  t.match(whole.issues, [{ line: 2 }], 'a line that ends in a newline is not a cut');
});

t.test('a process killed inside a call: the call is delivered at the kill, before the exit', async (t) => {
  const { events, summary } = parseLines([
    '100 1.0 read(0,  <unfinished ...>',
    '101 1.1 kill(100, SIGKILL) = 0 <0.000010>',
    '100 1.2 +++ killed by SIGKILL +++',
    '101 1.3 exit_group(0) = ?',
  ]);
  t.same(
    events.map((e) => [e.kind, e.line]),
    [
      ['syscall', 2],
      ['syscall', 1],
      ['exit', 3],
      ['syscall', 4],
    ],
  );
  t.match(events[1], { name: 'read', unfinished: true, pid: 100 });
  t.match(events[2], { kind: 'exit', signal: 'SIGKILL' });
  t.equal(summary.unresumed, 1);
});

t.test("strace 6.1's own form: `<... name resumed> <unfinished ...>) = ?` then the kill", async (t) => {
  const { events, summary, issues } = parseLines([
    '28115 1795323245.486476 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=30, tv_nsec=0},  <unfinished ...>',
    '28114 1795323245.589949 kill(28115, SIGKILL) = 0 <0.000009>',
    '28115 1795323245.589979 <... clock_nanosleep resumed> <unfinished ...>) = ?',
    '28115 1795323245.590145 +++ killed by SIGKILL +++',
  ]);
  t.same(issues, []);
  t.match(events[1], { kind: 'syscall', name: 'clock_nanosleep', unfinished: true, line: 1, endLine: 3, ret: { value: null } });
  t.match((events[1] as SyscallEvent).args[2], { t: 'struct', fields: [['tv_sec', { value: 30 }], []] });
  t.equal(summary.unresumed, 1);
});

t.test('a resume without its head is kept, its arguments flagged incomplete', async (t) => {
  const { events, issues } = parseLines(['4391 1.0 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4393 <0.1>']);
  t.same(issues, []);
  t.match(events[0], { name: 'wait4', line: 1, endLine: undefined, argsIncomplete: true, ret: { value: 4393 } });
});

t.test('stderr traces: unprefixed lines get the first pid once a prefix reveals it', async (t) => {
  const file = path.join(RECORDED, 'stderr.trace');
  const lines = readFileSync(file, 'latin1').split('\n').slice(0, -1);
  const { events, issues } = parseLines(lines);
  t.same(issues, []);
  // The child is the pid strace announced; the parent is the other prefixed pid.
  const child = Number(/strace: Process (\d+) attached/.exec(lines.join('\n'))?.[1]);
  const prefixed = new Set(lines.flatMap((l) => /^\[pid +(\d+)\]/.exec(l)?.[1] ?? []).map(Number));
  t.ok(prefixed.has(child) && prefixed.size === 2, 'the recording has prefixed lines of parent and child');
  const parent = [...prefixed].find((p) => p !== child);
  const first = events[0];
  t.equal(first?.pid, parent, 'the execve on line 1 belongs to the parent');
  t.ok(events.every((e) => e.pid > 0));
  // strace wrote `strace: Process N attached` into the middle of the clone line: it is put back together.
  const clone = syscalls(events).find((e) => e.name === 'clone');
  t.match(clone, { pid: first?.pid, argsText: /SIGCHLD, child_tidptr=/, ret: { value: /\d+/ } });
  t.match(clone?.raw, /strace: Process \d+ attached\n, child_tidptr/);
  const attached = events.find((e) => e.kind === 'strace');
  t.match(attached, { kind: 'strace', action: 'attached', subject: clone?.ret.value });
  // After the child exits, lines are unprefixed again and belong to the parent.
  const lastExit = events.filter((e) => e.kind === 'exit').pop();
  t.equal(lastExit?.pid, first?.pid);
});

t.test('a lone process never prefixed: pid from getpid(), or 0 when nothing tells', async (t) => {
  const { events } = parseLines(['execve("/bin/true", ["true"], 0x7ffe /* 3 vars */) = 0', 'getpid() = 4242', 'exit_group(0) = ?', '+++ exited with 0 +++']);
  t.same(
    events.map((e) => e.pid),
    [4242, 4242, 4242, 4242],
  );
  t.same(
    parseLines(['execve("/bin/true", ["true"], 0x7ffe /* 3 vars */) = 0', '+++ exited with 0 +++']).events.map((e) => e.pid),
    [0, 0],
  );
  t.same(
    parseLines(['execve("/bin/true", ["true"], 0x7ffe /* 3 vars */) = 0'], { pid: 77 }).events.map((e) => e.pid),
    [77],
    'a -ff file names its pid',
  );
});

t.test('unreadable lines become issues with file and line; the cap limits deliveries, not the count', async (t) => {
  const sink = collectingSink();
  const parser = new TraceParser(sink, { file: 'run/trace.txt', maxIssues: 2 });
  for (const line of ['garbage one', '4391 1.0 close(3) = 0', 'garbage two', 'garbage three']) parser.push(line);
  const summary = parser.end();
  t.equal(summary.issues, 3);
  t.equal(summary.events, 1);
  t.same(
    sink.issues.map((i) => [i.file, i.line, i.raw]),
    [
      ['run/trace.txt', 1, 'garbage one'],
      ['run/trace.txt', 3, 'garbage two'],
    ],
  );
  t.ok(sink.issues.every((i) => i.message.length > 0));
});

t.test('oversized lines are counted and reported, not parsed', async (t) => {
  const sink = collectingSink();
  const parser = new TraceParser(sink);
  parser.pushOversized('4391 1.0 write(1, "xxxx', 50_000_001);
  const summary = parser.end();
  t.equal(summary.lines, 1);
  t.equal(summary.bytes, 50_000_001);
  t.match(sink.issues, [{ line: 1, message: /50000001 bytes/ }]);
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// A hang fails through the timeout (speed itself is measured in bench/parser-bench.ts).
t.test('fuzz: garbage, binary junk, cut and spliced real lines never throw and always end', { timeout: 60_000 }, async (t) => {
  const next = random(20240611);
  const real = recordedTraces().flatMap((f) => readFileSync(f, 'latin1').split('\n'));
  const alphabet = '()[]{}<>"\\,= |/*.-+0123456789abcdefxyzAT_FDCWD<... resumed>unfinished strace: --- +++ [pid ';
  const lines: string[] = [];
  for (let n = 0; n < 4000; n++) {
    const kind = n % 4;
    const source = real[Math.floor(next() * real.length)] ?? '';
    if (kind === 0) {
      lines.push(source.slice(0, Math.floor(next() * (source.length + 1))));
    } else if (kind === 1) {
      let s = '';
      const len = Math.floor(next() * 200);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      lines.push(s);
    } else if (kind === 2) {
      let s = '';
      const len = Math.floor(next() * 120);
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(next() * 256));
      lines.push(s);
    } else {
      const at = Math.floor(next() * source.length);
      const other = real[Math.floor(next() * real.length)] ?? '';
      lines.push(source.slice(0, at) + other.slice(Math.floor(next() * other.length)));
    }
  }
  lines.push(`4391 1.0 write(1, "${'a\\"'.repeat(200_000)}", 3) = 3`);
  lines.push(`4391 1.0 ioctl(${'{'.repeat(100_000)}) = 0`);
  lines.push(`4391 1.0 read(${'"'.repeat(100_001)}`);
  const sink = collectingSink();
  const parser = new TraceParser(sink, { maxIssues: 100_000 });
  for (const line of lines) parser.push(line);
  const summary = parser.end(true);
  // Reading the typed arguments of every call must not throw either.
  let typed = 0;
  for (const e of sink.events) if (e.kind === 'syscall' && Array.isArray(e.args)) typed++;
  t.equal(typed, sink.events.filter((e) => e.kind === 'syscall').length);
  t.equal(summary.lines, lines.length);
  t.ok(summary.issues > 1000, `${summary.issues} issues`);
  t.equal(sink.issues.length, summary.issues);
  t.ok(sink.issues.every((i) => i.line >= 1 && i.line <= lines.length && i.message.length > 0));
});

t.test('calls the sink does not read are checked and counted, never delivered', async (t) => {
  const reads = new Set(['openat', 'wait4']);
  const lines = [
    '4391  1795321492.356620 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f7aebe91000 <0.000009>',
    '4391  1795321492.356621 openat(AT_FDCWD</w>, "/etc/motd", O_RDONLY) = 3</etc/motd> <0.000004>',
    '4392  1795321492.356622 rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0},  <unfinished ...>',
    '4392  1795321492.356623 <... rt_sigaction resumed>{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0 <0.000068>',
    '4391  1795321492.356624 read(3</etc/motd>, "a) = 3 <0.1>\\"b", 4096) = 8 <0.000002>',
    '4392  1795321492.356625 +++ exited with 0 +++',
  ];
  const { events, issues, summary } = parseLines(lines, { syscalls: reads });
  t.same(issues, []);
  t.same(
    events.map((e) => [e.kind === 'syscall' ? e.name : e.kind, e.line]),
    [
      ['openat', 2],
      ['exit', 6],
    ],
  );
  t.equal(summary.skipped, 4, 'the lines of mmap, the rt_sigaction pair and read');
  t.equal(summary.events, 2);
  t.equal(summary.lines, 6);
});

t.test('a skipped call is held to the same checks: a cut or garbled line is an issue with its line number', async (t) => {
  const reads = new Set(['kill']);
  const { events, issues, summary } = parseLines(
    [
      '50 1.0 mmap(NULL, 81456 1.0 kill(14, SIGKILL) = 0 <0.00001>',
      '50 1.1 fstat(3</etc/motd>, {st_mode=S_IFREG|0644, st_size=35351, ...}',
      '50 1.2 read(3</x>, "unterminated) = 3',
      '50 1.3 close(3) = ',
      '50 1.4 <... lseek resumed>, SEEK_SET',
    ],
    { syscalls: reads },
  );
  t.same(events, []);
  t.same(
    issues.map((i) => i.line),
    [2, 3, 4, 5],
  );
  t.equal(summary.issues, 4);
  // The first line is a whole mmap call as far as strace's grammar goes: skipping
  // does not read arguments, as the parser never did for calls nobody reads.
  t.equal(summary.skipped, 1);
});

t.test('a skipped head or tail ends the call its pid left pending, as a read one does', async (t) => {
  const reads = new Set(['wait4']);
  const { events, summary } = parseLines(
    ['4391 1.0 wait4(-1,  <unfinished ...>', '4391 1.1 <... rt_sigreturn resumed>) = 0', '4391 1.2 <... wait4 resumed>[{WIFEXITED(s)}], 0, NULL) = 4393'],
    { syscalls: reads },
  );
  const wait = syscalls(events);
  t.equal(wait.length, 2, 'the head never resumed, and the tail came without its head');
  t.equal(wait[0]?.unfinished, true);
  t.equal(wait[1]?.argsIncomplete, true);
  t.equal(summary.unresumed, 1);
  t.equal(summary.skipped, 1);
});

t.test('with a read set, every recorded trace gives exactly the events of those calls that a full parse gives', async (t) => {
  const reads = new Set(['execve', 'openat', 'kill', 'write', 'connect', 'chroot', 'wait4']);
  for (const file of recordedTraces()) {
    const lines = readFileSync(file, 'latin1').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const full = parseLines(lines);
    const part = parseLines(lines, { syscalls: reads });
    const kept = full.events.filter((e) => e.kind !== 'syscall' || reads.has(e.name) || PARSER_READS.has(e.name));
    const show = (e: TraceEvent) => [e.kind, e.pid, e.line, e.endLine, e.raw];
    t.same(part.events.map(show), kept.map(show), path.basename(file));
    t.same(part.issues, full.issues);
    t.equal(part.summary.events, kept.length);
    let unread = 0;
    for (const e of full.events) if (e.kind === 'syscall' && !reads.has(e.name) && !PARSER_READS.has(e.name)) unread += e.endLine === undefined ? 1 : 2;
    t.equal(part.summary.skipped, unread, `${path.basename(file)}: every line of an unread call counted`);
  }
});
