import t from 'tap';
import { ProcessState } from '../../harness/model/process-state.js';
import { XtraceReader } from '../../harness/model/xtrace-reader.js';
import { stringArg } from '../../harness/model/trace-args.js';
import { loadMeta, ofClass, parseCalls, runcmd, runRecorded, tracedLines } from '../fixtures/model/run-model.js';

function proc(): ProcessState {
  const group = { leader: 1, runcmdOnly: false };
  return new ProcessState({ pid: 1, origin: 'runcmd', fs: { root: '/', cwd: '/' }, group, session: group, inPidNs: false });
}

/** The text of every recorded write to fd 2 by the script's shell. */
async function markerWrites(trace: string): Promise<string[]> {
  const calls = parseCalls(await tracedLines(trace, /write\(2<.*\) += \d+/));
  return calls.map((c) => stringArg(c.args[1])?.value ?? '');
}

t.test('the last marker of a write is the current line', async (t) => {
  const meta = await loadMeta('fork-exec');
  const reader = new XtraceReader('+drdsafe[', meta.script?.jailPath, meta.script?.text);
  const writes = await markerWrites('fork-exec');
  const two = writes.find((w) => w.split('+drdsafe[').length === 3);
  t.ok(two, 'the shell wrote two markers in one write');
  const p = proc();
  const loc = reader.write(p, two ?? '');
  t.match(loc, { file: meta.script?.jailPath, line: 5, expanded: "print 'daemon is 2'", source: 'print "daemon is $PID"' });
});

t.test("ksh93 traces a command's redirections on a marker line of their own: they join the command", async (t) => {
  const writes = (await markerWrites('fork-exec')).join('');
  t.match(writes, /:11\] print shared\n.*:11\] 1> \/var\/opt\/shared\/written-by-script\n/s, 'the recording has the two lines');
  const mine = new XtraceReader('+drdsafe[', '/s', undefined);
  const q = proc();
  q.location = mine.write(q, '+drdsafe[/s:2] dd if=/dev/zero of=/x bs=1M\n');
  t.match(mine.write(q, '+drdsafe[/s:2] 2>& 1\n'), { line: 2, expanded: 'dd if=/dev/zero of=/x bs=1M 2>& 1' }, 'in two writes');
  const one = proc();
  t.match(mine.write(one, '+drdsafe[/s:2] dd if=/dev/zero of=/x bs=1M\n+drdsafe[/s:2] 2>& 1\n'), { expanded: 'dd if=/dev/zero of=/x bs=1M 2>& 1' }, 'in one');
  t.match(mine.write(one, '+drdsafe[/s:3] > /tmp/out\n'), { line: 3, expanded: '> /tmp/out' }, 'not to a command of another line');
});

t.test('a marker split across writes reads the same at every split point', async (t) => {
  const meta = await loadMeta('fork-exec');
  const writes = await markerWrites('fork-exec');
  const i = writes.findIndex((w) => w.includes(':11] 1> /var/opt/shared/written-by-script'));
  const write = writes[i];
  t.ok(write);
  // The command that the redirection line belongs to, as the process announced it just before.
  const before = (): ProcessState => {
    const p = proc();
    p.xcommand = { file: meta.script?.jailPath ?? '', line: 11, expanded: 'print shared' };
    return p;
  };
  const whole = new XtraceReader('+drdsafe[', meta.script?.jailPath, meta.script?.text).write(before(), write ?? '');
  t.match(whole, { line: 11, expanded: 'print shared 1> /var/opt/shared/written-by-script' });
  for (let cut = 1; cut < (write ?? '').length; cut++) {
    const reader = new XtraceReader('+drdsafe[', meta.script?.jailPath, meta.script?.text);
    const p = before();
    const first = reader.write(p, (write ?? '').slice(0, cut));
    if (first !== undefined) p.location = first;
    const second = reader.write(p, (write ?? '').slice(cut));
    t.same(second ?? p.location, whole, `split at ${cut}`);
  }
});

t.test('markers of other files do not move the location', async (t) => {
  const reader = new XtraceReader('+drdsafe[', '/var/adm/sw/products/P/F/preinstall', undefined);
  const p = proc();
  p.location = reader.write(p, '+drdsafe[/var/adm/sw/products/P/F/preinstall:12] kill_named_procs comsec\n');
  t.match(p.location, { line: 12 });
  t.equal(reader.write(p, '+drdsafe[/usr/lbin/sw/control_utils:340] kill -15 57\n'), undefined);
  t.match(reader.write(p, '+drdsafe[preinstall:13] exit 0\n'), { line: 13 }, 'a relative invocation names the same script');
  t.equal(reader.write(p, 'preinstall[14]: no-such-command: not found\n'), undefined, 'error output is no marker');
  t.equal(reader.write(p, '+drdsafe[/var/adm/sw/products/P/F/preinstall:1'), undefined, 'no line until the marker is complete');
});

t.test('without a script path the first file read is the script', async (t) => {
  const reader = new XtraceReader('+drdsafe[', undefined, 'a\nb\n');
  const p = proc();
  t.match(reader.write(p, '+drdsafe[/s.sh:2] b\n'), { file: '/s.sh', line: 2, source: 'b', expanded: 'b' });
  t.equal(reader.write(p, '+drdsafe[/other.sh:1] x\n'), undefined);
});

t.test('recorded script lines on events, children included', async (t) => {
  const run = await runRecorded('xtrace');
  const at = (e: { location?: { line: number } }) => e.location?.line;
  const kills = ofClass(run.events, 'signal');
  t.same(kills.map(at), [7, 8], 'a function call (ksh does not trace function bodies) and a subshell');
  const loops = ofClass(run.events, 'exec').filter((e) => e.ok && e.exec?.argv[0] === 'touch');
  t.same(
    loops.map((e) => [e.exec?.argv[1], at(e)]),
    [
      ['/tmp/from-subshell', 8],
      ['/tmp/loop.1', 9],
      ['/tmp/loop.2', 9],
      ['/tmp/same-line', 10],
    ],
  );
  t.equal(loops[3]?.location?.expanded, 'touch /tmp/same-line');
  t.equal(loops[3]?.location?.source, 'x=1; touch /tmp/same-line');
  const children = ofClass(run.events, 'process-start').filter((e) => e.process.origin === 'runcmd');
  t.ok(children.length >= 4);
  for (const c of children) t.ok(c.location !== undefined, `child ${c.process.pid} starts at a script line`);
  // Before the shell's first marker nothing has a line; from then on every runcmd event has one.
  const events = runcmd(run.events);
  const first = events.findIndex((e) => e.location !== undefined);
  t.ok(first > 0);
  t.same(
    events
      .slice(first)
      .filter((e) => e.location === undefined)
      .map((e) => e.raw),
    [],
  );
  t.same(
    events.slice(0, first).filter((e) => e.location !== undefined),
    [],
  );
});

t.test("a script alias stands for the script's path, and for names that start with it", async (t) => {
  const reader = new XtraceReader('+drdsafe[', '/var/adm/sw/products/P/payload/preinstall', 'true\nkill 1\n', '@');
  const p = proc();
  t.match(reader.write(p, '+drdsafe[@:2] kill 1\n'), { file: '/var/adm/sw/products/P/payload/preinstall', line: 2, source: 'kill 1' });
  p.location = reader.write(p, '+drdsafe[@:1] true\n');
  t.equal(reader.write(p, '+drdsafe[@.orig:2] kill 1\n'), undefined, '`@.orig` is preinstall.orig, another file: the line does not move');
  t.equal(reader.write(p, '+drdsafe[/var/tmp/helper:2] kill 1\n'), undefined, 'an absolute path is another file');
  t.equal(reader.write(p, '+drdsafe[:2] kill 1\n'), undefined, '`ksh -c` has no file: not the script');
  const plain = new XtraceReader('+drdsafe[', '/var/adm/sw/products/P/payload/preinstall', undefined);
  t.equal(plain.write(proc(), '+drdsafe[@:2] kill 1\n'), undefined, 'without an alias, `@` is a name like any other');
});

t.test("a here-document's redirection line (`0<< \\EOF`) joins its command too; it is no command of its own", async (t) => {
  const reader = new XtraceReader('+drdsafe[', '/s', 'x\ncat > /tmp/f <<EOF\n');
  const read = reader.read(proc(), '+drdsafe[/s:2] cat\n+drdsafe[/s:2] 1> /tmp/f 0<< \\EOF\nbody\nEOF\n');
  t.equal(read.location?.expanded, 'cat 1> /tmp/f 0<< \\EOF', 'the redirections joined to the command');
  t.notOk(
    read.lines.some((l) => /^\d*</.test(l.expanded ?? '')),
    'no traced command is a redirection',
  );
  const dash = reader.read(proc(), '+drdsafe[/s:2] cat\n+drdsafe[/s:2] 0<<- \\EOF\n');
  t.equal(dash.location?.expanded, 'cat 0<<- \\EOF', '<<- as well');
});
