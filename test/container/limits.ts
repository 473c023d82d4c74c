/**
 * Scripts that attack the sandbox itself: `kill -9 -1`, killing the tracer, closing their output,
 * an endless loop, a fork bomb, a flood of output, processes left behind. Each run still gives
 * complete outputs with the right limitHit and leftovers, and the next run in
 * the same container works.
 */
import t from 'tap';
import { syscallsIn } from '../fixtures/trace/collect.js';
import os from 'node:os';
import type { Test } from 'tap';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import type { RunOutput } from '../fixtures/sandbox/test-session.js';
import { request, TestSession } from '../fixtures/sandbox/test-session.js';

const skip = await dockerSkipReason();

function signalNumber(name: string): number {
  const n = (os.constants.signals as Record<string, number | undefined>)[name];
  if (n === undefined) throw new Error(`unknown signal ${name}`);
  return n;
}

async function complete(t: Test, out: RunOutput, traced = true): Promise<void> {
  t.equal(out.result.schemaVersion, 1, 'result.json was written');
  t.ok(Array.isArray(out.diff.added), 'booted-diff.json was written');
  t.ok(
    out.witness.some((w) => w.daemon === 'init' && w.event === 'booted'),
    'witness.jsonl was written',
  );
  if (traced) {
    t.ok(out.trace.length > 0, 'trace.txt was written');
    // The trace's first process is jail-exec's keeper, which ends as the script did;
    // strace passes its first child's end on as its own: it ended by itself, last.
    const first = out.trace.split(' ', 1)[0];
    const end = new RegExp(`^${first} +[\\d.]+ \\+\\+\\+ (?:exited with (\\d+)|killed by (SIG\\w+)(?: \\(core dumped\\))?) \\+\\+\\+$`, 'm').exec(out.trace);
    t.ok(end, "the trace records how the script's process ended");
    t.equal(out.result.strace?.exitCode, end?.[2] ? -signalNumber(end[2]) : Number(end?.[1]), 'and strace ended the same way, by itself');
    t.notMatch(out.trace.slice(-4096), /strace: /, 'strace reported no trouble in the trace');
    t.notMatch(out.scriptStderr, /^strace: /m, "nor on the script's stderr");
    t.equal(out.result.strace?.messages, undefined, 'nor on its own (tracer.log)');
  }
  t.equal(out.result.init.aliveAfter, true, 'the booted init is alive');
}

/** The next run in the same container: a fresh booted system, all daemons up, nothing left over. */
async function nextRunWorks(t: Test, s: TestSession): Promise<void> {
  const out = await s.run('#!/sbin/sh\necho still fine\nexit 0\n', request('preinstall'));
  t.equal(out.result.finished, true);
  t.equal(out.scriptStdout, 'still fine\n');
  t.ok(out.result.daemons.length === 7 && out.result.daemons.every((d) => d.aliveBefore && d.aliveAfter), 'with every daemon up');
  t.same(out.result.leftovers, []);
  t.same(out.diff, { added: [], modified: [], deleted: [] });
}

/** No process of the container has its root in a tree any more. */
async function nothingLeft(t: Test, s: TestSession): Promise<void> {
  const r = await s.sh('for p in /proc/[0-9]*; do r=$(readlink $p/root 2>/dev/null); case $r in /images/inactive*) echo ${p#/proc/};; esac; done');
  t.equal(r.stdout.trim(), '', 'no process is left in the jail');
}

t.test('limits', { skip }, async (t) => {
  t.test('kill -9 -1 kills the booted daemons but not the sandbox', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    const out = await s.run('#!/sbin/sh\nkill -9 -1\necho survived\nexit 0\n', request('preinstall'));
    await complete(t, out);
    t.equal(out.result.finished, true);
    t.equal(out.result.limitHit, null);
    t.equal(out.result.exitCode, 0, 'the shell itself survives its kill(-1)');
    t.equal(out.scriptStdout, 'survived\n');
    t.ok(
      syscallsIn(out.trace, 'kill').some((e) => e.argsText === '-1, SIGKILL' && e.ret.value === 0),
      'the kill is in the trace',
    );
    t.same(
      out.result.daemons.filter((d) => d.aliveAfter).map((d) => d.name),
      [],
      'every booted daemon died',
    );
    const reaped = out.witness.filter((w) => w.daemon === 'init' && w.event === 'reap' && w.signal === 'SIGKILL').map((w) => w.childPid);
    t.same(reaped.sort(), out.result.daemons.map((d) => d.nsPid).sort(), 'init reaped each of them, killed by SIGKILL');
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test("the tracer and the keeper are out of the script's reach, though it sees them", async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    // strace and the keeper live in the jail's PID namespace: the script finds them in its /proc.
    const script = [
      '#!/sbin/sh',
      'kill -9 $PPID; echo "parent $?"',
      'for d in /proc/[0-9]*; do',
      '  c=$(cat $d/comm 2>/dev/null)',
      '  [ "$c" = strace ] && { kill -9 ${d#/proc/}; echo "strace $?"; }',
      '  [ "$c" = jail-exec ] && { kill -TERM ${d#/proc/}; echo "keeper $?"; }',
      'done',
      'exit 0',
      '',
    ].join('\n');
    const out = await s.run(script, request('preinstall'));
    await complete(t, out);
    t.equal(out.result.finished, true);
    t.equal(out.result.exitCode, 0);
    t.match(out.scriptStdout, /^parent 1\n/, 'killing its parent (the keeper) fails');
    t.match(out.scriptStdout, /^strace 1$/m, 'killing strace fails');
    t.match(out.scriptStdout, /^keeper 1$/m);
    t.ok(
      syscallsIn(out.trace, 'kill').some((e) => /^\d+, SIGKILL$/.test(e.argsText) && e.ret.errno === 'EPERM'),
      'the attempts are in the trace',
    );
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons were not touched',
    );
    await nextRunWorks(t, s);
  });

  t.test('a tracer that hangs: strace is killed, the trace so far is kept, and the run completes', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    // Nothing in the jail can stop strace (the test above): the harness itself stops it here,
    // as a stand-in for a tracer that hangs. Its tracees then wait in their ptrace stops for ever.
    // Once strace has traced the script's start (its exec of the shell is in the trace).
    const stopper = s.sh(
      'for i in $(seq 1 400); do grep -q "execve(\\"/sbin/sh\\"" /drdsafe/out/trace.txt 2>/dev/null && pkill -STOP -x strace && exit 0; sleep 0.05; done; exit 1',
    );
    const out = await s.run('#!/sbin/sh\nsleep 2\nexit 0\n', request('postinstall', { timeoutSeconds: 4 }));
    t.equal((await stopper).exitCode, 0, 'strace was stopped during the run');
    t.equal(out.result.finished, false);
    t.equal(out.result.limitHit, 'timeout', 'the script, held by the stopped tracer, ran into its time limit');
    t.match(out.result.strace?.stuck, /strace: \d+ T \(stopped\) .*still traced: \d+ .*; strace was killed/, 'result.json says what strace held');
    t.ok(out.trace.length > 0, 'the trace written before the stop is kept');
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test("a setuid copy of a program owned by the tracer's user does not make the script that user", async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    // The script keeps CAP_CHOWN and CAP_FSETID; no_new_privs keeps the setuid bit from taking effect.
    const script = [
      '#!/sbin/sh',
      'cp /usr/bin/kill /var/tmp/k && chown 61000 /var/tmp/k && chmod 4755 /var/tmp/k && echo armed',
      'for d in /proc/[0-9]*; do',
      '  [ "$(cat $d/comm 2>/dev/null)" = strace ] && { /var/tmp/k -9 ${d#/proc/}; echo "strace $?"; }',
      'done',
      'exit 0',
      '',
    ].join('\n');
    for (const traceAll of [false, true]) {
      const out = await s.run(script, request('preinstall', { traceAll }));
      await complete(t, out);
      t.equal(out.scriptStdout, 'armed\nstrace 1\n', `the kill fails${traceAll ? ' under --trace-all too' : ''}`);
      t.equal(out.result.finished, true);
    }
    await nextRunWorks(t, s);
  });

  t.test('an endless loop is stopped at the timeout', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    // Without xtrace the loop makes no system call at all: only the clock stops it.
    const out = await s.run('#!/sbin/sh\nset +x\nwhile :; do :; done\n', request('postinstall', { timeoutSeconds: 2 }));
    await complete(t, out);
    t.equal(out.result.finished, false);
    t.equal(out.result.limitHit, 'timeout');
    t.equal(out.result.exitCode, null);
    t.equal(out.result.signal, 'SIGKILL');
    t.ok(out.result.phaseWallMs >= 2000 && out.result.phaseWallMs < 4000, `stopped at 2 s (${out.result.phaseWallMs} ms)`);
    t.ok((out.result.killedAtLimit?.count ?? 0) >= 1, 'the looping shell was killed');
    t.same(out.result.leftovers, [], 'nothing is a leftover: the script never ended');
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    t.match(out.trace, /\+\+\+ killed by SIGKILL \+\+\+\n$/, 'the trace is complete up to the kill');
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test('a fork bomb hits the pids limit and is killed', async (t) => {
    const s = await TestSession.start({ pidsLimit: 512 });
    t.teardown(() => s.stop());
    const bomb = '#!/sbin/sh\nbomb() {\n  bomb &\n  bomb &\n  wait\n}\nbomb\n';
    const out = await s.run(bomb, request('preinstall', { timeoutSeconds: 60 }));
    await complete(t, out);
    t.equal(out.result.finished, false);
    t.equal(out.result.limitHit, 'pids');
    t.ok(out.result.phaseWallMs < 30_000, `long before the timeout (${out.result.phaseWallMs} ms)`);
    t.ok((out.result.killedAtLimit?.count ?? 0) > 100, `hundreds of processes were killed (${out.result.killedAtLimit?.count})`);
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test('a memory hog hits the memory limit; the OOM killer takes the jail first', async (t) => {
    const s = await TestSession.start({ memoryBytes: 256 * 1024 * 1024 });
    t.teardown(() => s.stop());
    const hog = '#!/sbin/sh\nset +x\nx=0123456789abcdef\nwhile :; do x=$x$x; done\n';
    const out = await s.run(hog, request('preinstall', { timeoutSeconds: 60 }));
    await complete(t, out);
    t.equal(out.result.limitHit, 'memory');
    t.equal(out.result.finished, false);
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test('a script that fills the inactive image is stopped at the disk limit', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    const out = await s.run('#!/sbin/sh\ncat /dev/zero > /var/tmp/fill\necho "cat $?"\nsleep 30\nexit 0\n', request('postinstall', { timeoutSeconds: 60 }));
    await complete(t, out);
    t.equal(out.result.limitHit, 'disk');
    t.equal(out.result.finished, false);
    t.ok(out.result.phaseWallMs < 20_000, `stopped when the image was full, not at the timeout (${out.result.phaseWallMs} ms)`);
    t.match(out.trace, /\/var\/tmp\/fill/, 'the trace shows the file that filled it');
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    t.same(out.diff, { added: [], modified: [], deleted: [] }, 'and the booted tree too');
    await nothingLeft(t, s);
    await nextRunWorks(t, s);
  });

  t.test('the trace size limit', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    const out = await s.run('#!/sbin/sh\nwhile :; do :; done\n', request('preinstall', { maxTraceBytes: 1024 * 1024 }));
    await complete(t, out);
    t.equal(out.result.limitHit, 'trace-size');
    t.equal(out.result.finished, false);
    t.ok(out.trace.length >= 1024 * 1024, `the trace reached the limit (${out.trace.length} bytes)`);
    t.ok(out.result.phaseWallMs < 10_000, 'and the run stopped there');
  });

  t.test('the output size limit, untraced', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    const script = '#!/sbin/sh\nwhile :; do print 0123456789012345678901234567890123456789; done\n';
    const out = await s.run(script, request('preinstall', { untraced: true, maxOutputBytes: 1024 * 1024 }));
    await complete(t, out, false);
    t.equal(out.result.limitHit, 'output-size');
    t.equal(out.result.strace, null, 'no strace when untraced');
    t.equal(out.trace, '', 'and an empty trace');
    t.ok(out.scriptStdout.length >= 1024 * 1024 || out.scriptStderr.length >= 1024 * 1024, 'an output reached the limit');
  });

  t.test('processes left behind are listed, then killed', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    const script = '#!/sbin/sh\n(sleep 300 &)\n/usr/bin/sleep 301 &\n/sbin/init.d/cron start\nexit 0\n';
    const out = await s.run(script, request('postinstall'));
    await complete(t, out);
    t.equal(out.result.finished, true);
    t.equal(out.result.exitCode, 0);
    const argv = out.result.leftovers.map((l) => l.argv.join(' '));
    t.ok(argv.includes('/usr/bin/sleep 301'), 'the background sleep');
    t.ok(argv.includes('/usr/sbin/cron'), 'the cron started from the inactive tree');
    t.ok(
      out.result.leftovers.every((l) => typeof l.nsPid === 'number' && l.pid > 0),
      'with both pids',
    );
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons are untouched',
    );
    await nothingLeft(t, s);
  });

  t.test('a script that closes its output, and every fd it was given, still leaves a whole trace', async (t) => {
    const s = await TestSession.start();
    t.teardown(() => s.stop());
    // Closes stdin, stdout, stderr and fds 3-9 (ksh93 reads the script itself through an fd above 9), then acts:
    // the trace goes to strace's own file, out of the script's reach.
    const script = [
      '#!/sbin/sh',
      'exec 0<&- 1>&- 2>&-',
      'for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done',
      'kill -HUP $(cat /var/run/inetd.pid)',
      'echo "nobody reads this"',
      'exit 0',
      '',
    ].join('\n');
    const out = await s.run(script, request('postinstall'));
    await complete(t, out);
    t.equal(out.result.finished, true);
    t.equal(out.result.exitCode, 0);
    t.equal(out.scriptStdout, '', 'nothing reached stdout');
    t.notMatch(out.scriptStderr, /@:[3-9]\]/, 'nor, after line 2, stderr (no xtrace either)');
    t.ok(
      syscallsIn(out.trace, 'kill').some((e) => /SIGHUP/.test(e.argsText) && e.ret.value === 0),
      'the kill after the closes is in the trace',
    );
    t.ok(
      out.witness.some((w) => w.daemon === 'inetd' && w.event === 'signal' && w.signal === 'SIGHUP'),
      'and inetd got it',
    );
    await nextRunWorks(t, s);
  });
});
