import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { ModelEvent } from '../../harness/model/model-event.js';
import { ofClass, runcmd, runRecorded, TRACES } from '../fixtures/model/run-model.js';

const started = (events: readonly ModelEvent[]) => ofClass(events, 'process-start');

/** Distinct pids in a recorded trace (first column). */
async function pidsIn(name: string): Promise<Set<number>> {
  const text = await readFile(join(TRACES, `${name}.trace`), 'latin1');
  return new Set(
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => Number(l.slice(0, l.indexOf(' ')))),
  );
}

t.test('the control script is the first exec after the chroot into the inactive tree', async (t) => {
  const { events, summary, meta } = await runRecorded('fork-exec');
  const chroot = ofClass(events, 'jail').find((e) => e.syscall === 'chroot');
  t.match(chroot, { ok: true, subject: { detail: meta.trees.inactive, tree: 'inactive' }, process: { origin: 'sandbox', argv: ['/usr/sbin/chroot'] } });
  t.equal(summary.scriptPid, chroot?.process.pid, 'the process that chrooted');
  const shell = ofClass(events, 'exec').find((e) => e.ok && e.process.pid === summary.scriptPid && e.exec?.path === '/sbin/sh');
  t.match(shell, { process: { origin: 'runcmd', argv: ['/sbin/sh', '-x', meta.script?.jailPath], root: meta.trees.inactive } });
  const first = events[0];
  t.match(first, { class: 'process-start', syscall: 'attach', process: { origin: 'sandbox', root: '/' } });
  t.notOk(first?.process.parentPid, 'strace started it: no parent in the trace');
  t.same(
    events.filter((e) => e.process.pid === first?.process.pid).map((e) => e.process.origin),
    events.filter((e) => e.process.pid === first?.process.pid).map(() => 'sandbox'),
    'nsenter stays sandbox',
  );
  t.equal(summary.scriptExitCode, 0);
  t.equal(summary.scriptNsPid, 5, 'the pid the booted namespace gave the shell (learnt from getpid)');
});

t.test('the process tree from clone, clone3 and vfork-style spawns', async (t) => {
  const { events, summary } = await runRecorded('fork-exec');
  t.equal(summary.processes, (await pidsIn('fork-exec')).size, 'every pid in the trace is one process');
  const children = started(events).filter((e) => e.process.origin === 'runcmd');
  t.ok(children.length >= 6);
  for (const c of children) {
    t.ok(c.syscall === 'clone' || c.syscall === 'clone3', `${c.process.pid} made by ${c.syscall}`);
    t.equal(c.process.ancestry.at(-1), summary.scriptPid, `${c.process.pid} descends from the script`);
    t.equal(c.process.parentPid, c.process.ancestry[1]);
    t.ok(c.process.nsPid !== undefined && c.process.nsPid < c.process.pid, 'its pid in the booted namespace is known too');
  }
  // `cat /etc/motd | cat > /tmp/motd.copy`: the first stage forks, then execs.
  const stage = ofClass(events, 'exec').find((e) => e.ok && e.exec?.argv.join(' ') === 'cat /etc/motd');
  t.match(stage, { process: { argv: ['cat', '/etc/motd'], execLine: stage?.line, exe: '/bin/cat' } });
  t.same(stage?.process.ancestryArgv.at(-1), ['/sbin/sh', '-x', '/var/adm/sw/products/DRDSAFE-TEST/payload/preinstall']);
});

t.test('a PATH search that finds the program reports only the exec that worked', async (t) => {
  const { events, summary } = await runRecorded('fork-exec');
  const execs = ofClass(events, 'exec').filter((e) => e.process.pid === summary.scriptPid && e.exec?.argv[0] === 'cat');
  // `exec cat /var/run/fixtured.pid`: PATH search tries /sbin/cat first (ENOENT, in the trace) and is not reported.
  t.match(execs, [{ ok: true, exec: { path: '/bin/cat' }, process: { argv: ['cat', '/var/run/fixtured.pid'], exe: '/bin/cat' } }]);
  t.equal(execs.length, 1);
  const seqs = events.map((e) => e.seq);
  t.same(
    seqs,
    seqs.map((_, i) => i),
    'numbers stay contiguous when misses are dropped',
  );
  const exit = ofClass(events, 'process-exit').find((e) => e.process.pid === summary.scriptPid);
  t.match(
    exit,
    { exit: { code: 0, outlivedScript: false }, process: { argv: ['cat', '/var/run/fixtured.pid'], origin: 'runcmd' } },
    'still the control script after exec',
  );
});

t.test('processes left running when the script ends', async (t) => {
  const { events, summary, meta } = await runRecorded('leftover');
  const exits = ofClass(events, 'process-exit');
  const script = exits.find((e) => e.process.pid === summary.scriptPid);
  t.match(script, { exit: { code: 0, outlivedScript: false } });
  const after = exits.filter((e) => e.exit?.outlivedScript === true);
  t.equal(after.length, 2, '`sleep 30 &` and `( sleep 30 & )`');
  for (const e of after) {
    t.match(e, { exit: { signal: 'SIGKILL' }, process: { origin: 'runcmd' } }, 'killed by the supervisor after the script ended');
    t.ok(e.line > (script?.line ?? Infinity));
  }
  t.equal(summary.leftoverCount, 2);
  t.same(
    summary.leftovers.map((l) => [l.location?.line, l.location?.source, l.exit?.signal]),
    [
      [3, 'sleep 30 &', 'SIGKILL'],
      [4, '( sleep 30 & )', 'SIGKILL'],
    ],
  );
  t.equal(meta.script?.phase, 'preinstall');
  t.same(
    runcmd(events)
      .map((e) => e.phase)
      .filter((p) => p !== 'preinstall'),
    [],
  );
});

t.test('without a chroot the first process is the control script', async (t) => {
  const { events, summary, meta } = await runRecorded('direct');
  const first = events[0];
  t.equal(summary.scriptPid, first?.process.pid);
  const exec = ofClass(events, 'exec')[0];
  t.match(exec, { ok: true, process: { origin: 'runcmd', root: '/' }, exec: { argv: [`${meta.trees.inactive}/sbin/sh`, '-x', meta.script?.jailPath] } });
  t.equal(runcmd(events).length, events.length - 1, 'everything after the first event is the script');
  t.same(
    ofClass(events, 'process-start')
      .slice(1)
      .map((e) => e.process.origin),
    ['runcmd', 'runcmd'],
  );
});

t.test('a reduced trace set (--seccomp-bpf) still gives the tree', async (t) => {
  const { events, summary, gaps } = await runRecorded('seccomp-kill');
  t.same(gaps, []);
  t.ok(summary.scriptPid);
  t.equal(summary.scriptNsPid, undefined, 'getpid is not traced, so the pid in the namespace stays unknown');
  for (const c of started(events).filter((e) => e.process.origin === 'runcmd')) {
    t.equal(c.process.ancestry.at(-1), summary.scriptPid);
  }
  t.match(ofClass(events, 'signal')[0], { signal: { number: 0, target: { kind: 'process', name: 'fixtured', origin: 'booted' } } });
});

t.test('a thread that execs takes over its process', async (t) => {
  const { events, gaps, summary } = await runRecorded('thread-exec');
  t.same(gaps, [], 'the thread is neither lost nor a parentless process');
  t.equal(summary.processes, (await pidsIn('thread-exec')).size - 1, 'the thread is not counted as a process');
  const execs = ofClass(events, 'exec').filter((e) => e.ok && e.process.origin === 'runcmd');
  const tool = execs.find((e) => e.exec?.argv[0] === 'fixture-tool');
  const cat = execs.find((e) => e.exec?.path === '/bin/cat');
  t.ok(tool && cat);
  t.equal(cat?.process.pid, tool?.process.pid, "the exec is the process's, under its own pid");
  t.same(cat?.process.argv, ['/bin/cat', '/etc/motd']);
  t.notOk(
    ofClass(events, 'process-start').some((e) => e.process.pid !== tool?.process.pid && e.process.argv[0] === 'fixture-tool'),
    'no start event for the thread',
  );
});
