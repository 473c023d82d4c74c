import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { TraceEvent } from '../../harness/trace/trace-event.js';
import {
  cutTrace,
  lineOf,
  loadMeta,
  ofClass,
  recordedNames,
  recordingSkipReason,
  recordLive,
  runcmd,
  runModel,
  runRecorded,
  TRACES,
} from '../fixtures/model/run-model.js';

const SCENARIOS = recordedNames();
/** Recordings made to show a gap: cut strings, io_uring, a child strace does not follow. */
const GAPPED = new Set(['truncated', 'uring', 'untraced-child']);

t.test('every recorded trace: one pass, numbered events, no gaps', async (t) => {
  t.ok(SCENARIOS.length >= 11);
  for (const name of SCENARIOS) {
    const run = await runRecorded(name);
    t.same(run.issues, [], `${name}: the parser read every line`);
    if (!GAPPED.has(name)) t.same(run.gaps, [], `${name}: nothing the model could not see`);
    t.same(
      run.events.map((e) => e.seq),
      run.events.map((_, i) => i),
      `${name}: seq counts from 0`,
    );
    t.equal(run.summary.events, run.events.length);
    t.ok(run.summary.scriptPid !== undefined, `${name}: the control script was found`);
    t.ok(runcmd(run.events).length > 0);
    for (const e of run.events) if (e.raw === '' || e.line < 1) t.fail(`${name}: event ${e.seq} has no evidence`);
  }
});

t.test('a child seen before its clone returns is held, then attached', async (t) => {
  // With -f, a spawned child's first calls come before the parent's clone3 returns.
  const run = await runRecorded('fork-exec');
  const clone3 = await lineOf('fork-exec', 'clone3({');
  const resumed = await lineOf('fork-exec', '<... clone3 resumed>');
  t.ok(resumed - clone3 > 10, 'the child ran calls in between');
  const first = ofClass(run.events, 'process-start').find((e) => e.syscall === 'clone3');
  t.equal(first?.endLine, resumed, 'the child starts at the clone3 that made it');
  t.same(run.gaps, [], 'no child without a parent');
});

t.test('a trace with no clone calls: children start without parents, and say so', async (t) => {
  const meta = await loadMeta('kill-targets');
  const hidden = new Set(['clone', 'clone3']);
  const drop = (e: TraceEvent) => e.kind === 'syscall' && hidden.has(e.name);
  const run = await runModel(join(TRACES, 'kill-targets.trace'), meta, (e, model) => (drop(e) ? undefined : model.event(e)));
  const unknown = run.gaps.filter((g) => g.kind === 'unknown-root');
  const starts = ofClass(run.events, 'process-start').filter((e) => e.syscall === 'attach');
  t.equal(unknown.length, starts.length - 1, 'one gap per process but the first');
  t.ok(unknown.length >= 4);
  t.match(starts[1]?.process, { origin: 'sandbox', root: '/', argv: [] }, "nsenter's child, before it chroots");
  for (const s of starts.slice(2)) t.match(s.process, { origin: 'runcmd', root: meta.trees.inactive }, "assumed to be the script's own, in its root");
  t.match(runcmd(ofClass(run.events, 'signal'))[0], { signal: { target: { name: 'fixtured', origin: 'booted' } } });
});

t.test('a run cut short: lost processes and leftovers that never end', async (t) => {
  const full = await runRecorded('leftover');
  const scriptExit = await lineOf('leftover', new RegExp(`^${full.summary.scriptPid} .*\\+\\+\\+ exited`));
  const dir = t.testdir();
  const cut = await cutTrace('leftover', scriptExit, dir);
  const meta = { ...(await loadMeta('leftover')), finished: false, limitHit: 'timeout' };
  const run = await runModel(cut, meta);
  const lost = run.gaps.filter((g) => g.kind === 'lost-process');
  t.ok(lost.length >= 2, 'the sleeps and nsenter have no exit line');
  t.match(
    run.gaps.find((g) => g.kind === 'unfinished-run'),
    { message: /did not finish \(limit: timeout\)/ },
  );
  const never = ofClass(run.events, 'process-exit').filter((e) => e.exit?.outlivedScript === true);
  t.equal(never.length, 2);
  const cutLines = (await readFile(cut, 'latin1')).split('\n');
  for (const e of never) {
    t.same(e.exit, { outlivedScript: true }, 'no code, no signal: still running at the end of the trace');
    t.ok(e.raw !== '' && e.raw.split('\n').includes(cutLines[e.line - 1] ?? '-'), 'its last line in the trace is the evidence');
  }
  t.equal(run.summary.leftoverCount, 2);
  t.same(
    run.summary.leftovers.map((l) => l.exit),
    [undefined, undefined],
  );
});

t.test('a call that never returned is a gap, and counts as done', async (t) => {
  const line = await lineOf('kill-targets', /kill\(7 .*SIGTERM <unfinished/);
  const cut = await cutTrace('kill-targets', line, t.testdir());
  const run = await runModel(cut, await loadMeta('kill-targets'));
  t.match(
    run.gaps.filter((g) => g.kind === 'unresumed-call'),
    [{ line, message: /kill by process \d+ never returned/ }],
  );
  const last = ofClass(run.events, 'signal').at(-1);
  t.match(last, { line, ok: true, unfinished: true, signal: { name: 'SIGTERM', target: { origin: 'runcmd' } } });
  t.notOk(
    run.events.some((e) => e.unfinished === true && e !== last),
    'only the cut call is marked',
  );
});

t.test('unreadable lines are gaps with their line numbers', async (t) => {
  const dir = t.testdir();
  const lines = (await readFile(join(TRACES, 'seccomp-kill.trace'), 'latin1')).split('\n');
  lines.splice(20, 0, 'this is not strace output');
  const path = join(dir, 'garbled.trace');
  await writeFile(path, lines.join('\n'), 'latin1');
  const run = await runModel(path, await loadMeta('seccomp-kill'));
  t.match(
    run.gaps.filter((g) => g.kind === 'parse-error'),
    [{ line: 21, message: /^trace line not understood/ }],
  );
  t.ok(run.summary.scriptPid, 'the rest is still read');
});

t.test('no chroot into the inactive tree: no control script, and a gap says so', async (t) => {
  const run = await runRecorded('fork-exec', (m) => ({ ...m, trees: { ...m.trees, inactive: '/somewhere/else' } }));
  t.equal(run.summary.scriptPid, undefined);
  t.same(runcmd(run.events), []);
  t.match(run.gaps, [{ kind: 'lost-process', message: /control script was not found/ }]);
});

t.test('strace messages do not make processes', async (t) => {
  const meta = await loadMeta('direct');
  const run = await runModel(join(TRACES, 'direct.trace'), meta, (e, model) => {
    model.event({
      kind: 'strace',
      line: e.line,
      raw: 'strace: Process 99999 attached',
      pid: 99999,
      message: 'Process 99999 attached',
      action: 'attached',
      subject: 99999,
    });
    model.event(e);
  });
  t.notOk(run.events.some((e) => e.process.pid === 99999));
  t.same(run.gaps, []);
});

t.test('live: a fresh recording gives the same model', { skip: await recordingSkipReason() }, async (t) => {
  const dir = t.testdir();
  await recordLive(dir, ['kill-targets', 'sockets']);
  const kill = await runModel(join(dir, 'kill-targets.trace'), await loadMeta('kill-targets', dir));
  t.same(kill.gaps, []);
  const daemon = kill.meta.daemons[0];
  t.ok(daemon !== undefined && daemon.pid > 1);
  const targets = runcmd(ofClass(kill.events, 'signal')).map((e) => [
    e.location?.line,
    e.signal?.name,
    e.signal?.target.kind === 'process' ? e.signal.target.pid : e.signal?.target.kind,
  ]);
  t.same(targets[0], [5, '0', daemon?.pid], 'kill -0 $PID reaches the live daemon');
  t.same(targets.at(-2), [13, 'SIGKILL', daemon?.pid]);
  const sockets = await runModel(join(dir, 'sockets.trace'), await loadMeta('sockets', dir));
  const served = runcmd(ofClass(sockets.events, 'socket')).map((e) => e.socket?.endpoint.servedBy);
  t.same(served, ['booted', 'booted', 'booted', 'none', 'booted', 'booted', 'runcmd']);
});

t.test('a child cloned with CLONE_UNTRACED, which strace does not follow, is a lost process at its clone', async (t) => {
  const run = await runRecorded('untraced-child');
  const clone = await lineOf('untraced-child', /flags=CLONE_UNTRACED/);
  t.match(run.gaps, [{ kind: 'lost-process', line: clone, message: /has no exit in the trace/ }]);
  t.equal(run.gaps.length, 1);
});

t.test('commands the jail lacks: one exec event each, and a PATH search that found its program is none', async (t) => {
  const run = await runRecorded('missing-commands');
  const execs = runcmd(ofClass(run.events, 'exec')).filter((e) => e.process.exe === '/sbin/sh' || e.exec?.path.endsWith('cat') === true);
  t.same(
    execs.filter((e) => !e.ok).map((e) => [e.syscall, e.exec?.path, e.location?.line]),
    [
      ['write', 'crontab', 6],
      ['execve', '/usr/sbin/useradd', 7],
      ['execve', '/opt/acme/bin/acmed', 8],
      ['execve', '/var/adm/sw/products/DRDSAFE-TEST/payload/acme-helper', 9],
      ['write', 'catt', 10],
    ],
    "ksh93's `not found` for a bare name, the failed exec for a path (its `not found` says nothing new)",
  );
  t.notOk(
    execs.some((e) => e.exec?.path === '/sbin/cat'),
    'the miss of /sbin/cat before /bin/cat is not reported, though misses of other commands came before it',
  );
  t.match(execs.at(-1), { ok: true, exec: { path: '/bin/cat' }, location: { line: 11 } });
});

t.test('the payload: a program the package installs is marked, by path or by bare name', async (t) => {
  const run = await runRecorded('missing-commands', (m) => ({ ...m, payload: ['/opt/acme/bin/acmed', '/usr/bin/catt'] }));
  const marked = runcmd(ofClass(run.events, 'exec'))
    .filter((e) => e.exec?.payload === true)
    .map((e) => e.exec?.path);
  t.same(marked, ['/opt/acme/bin/acmed', 'catt']);
  const none = await runRecorded('missing-commands');
  t.notOk(
    none.events.some((e) => e.exec?.payload !== undefined),
    'none without a payload list',
  );
});

t.test('a control script that did not run as written is a gap', async (t) => {
  const perl = await runRecorded('missing-commands', (m) => ({ ...m, script: { ...m.script!, text: '#!/usr/bin/perl\nsystem("crontab -l");\n' } }));
  t.match(perl.gaps, [{ kind: 'script-not-run', message: /#!\/usr\/bin\/perl/ }], 'another interpreter, by its #! line');
  // No marker of this kind is in the trace: the shell traced none of the script's commands.
  const silent = await runRecorded('missing-commands', (m) => ({ ...m, xtraceMarker: '+nothing-like-it[' }));
  t.match(silent.gaps, [{ kind: 'script-not-run', message: /no command of the control script ran/ }]);
  t.ok((silent.gaps[0]?.line ?? 0) > 0, 'at the last line of the script process');
  const empty = await runRecorded('missing-commands', (m) => ({
    ...m,
    xtraceMarker: '+nothing-like-it[',
    script: { ...m.script!, text: '#!/sbin/sh\n# nothing to do\n' },
  }));
  t.same(empty.gaps, [], 'a script with no command ran all it had');
  const unknownText = await runRecorded('missing-commands', (m) => ({
    ...m,
    xtraceMarker: '+nothing-like-it[',
    script: { phase: m.script!.phase, jailPath: m.script!.jailPath },
  }));
  t.same(unknownText.gaps, [], 'without its text, an empty script cannot be told apart');
});

t.test('a command ksh93 found nowhere while its stderr went to /dev/null: no `not found`, no exec, still an event', async (t) => {
  const run = await runRecorded('silent-lookups');
  const misses = runcmd(ofClass(run.events, 'exec')).filter((e) => !e.ok);
  t.same(
    misses.map((e) => [e.syscall, e.exec?.path, e.location?.line]),
    [
      ['write', 'crontab', 4],
      ['write', 'crontab', 5],
      ['write', 'useradd', 6],
      ['execve', '/sbin/nosuch_in_pipe', 17],
      ['execve', '/bin/nosuch_in_pipe', 17],
    ],
    "the silent misses at their lines; the program, the builtin, the script's function and the sourced function are none",
  );
  t.match(misses[0]?.raw, /preinstall:4\] crontab -l/, 'the evidence is the xtrace line that announced it');
  t.match(misses[2]?.location, { line: 6, source: 'if useradd -D > /dev/null 2>&1; then :; fi' });
  t.same(run.gaps, []);
});
