/**
 * The golden traces in traces/golden/ were recorded in the sandbox with real
 * strace (-f -ttt, -T until the sandbox dropped it, --decode-fds=path,socket,pidfd, run inside the booted
 * PID namespace), real ksh and the running booted daemons
 * (scripts/record-golden.ts). Each must keep its verdict and
 * its exact set of fired rules when analysed from the saved run alone.
 */
import t from 'tap';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../fixtures/cli/capture-io.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { readRunDir } from '../../harness/contract/read-run-dir.js';
import { readRunResult } from '../../harness/contract/run-result.js';
import { readExpect } from '../../harness/corpus/load-corpus.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

interface Outcome {
  verdict: string;
  fires: string[];
  code: number;
}

const names = (await readdir(GOLDEN, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const outcomes = new Map<string, Outcome>();

t.test('every golden run directory reads through the run contract, whole', async (t) => {
  for (const name of names) {
    const run = await readRunDir(path.join(GOLDEN, name));
    t.ok(run.traceBytes !== undefined && run.metadata && run.result && run.bootedDiff && run.witness, `${name}: every file there and as the contract says`);
    t.same(run.witness?.issues, [], `${name}: every witness line read`);
    t.equal(run.result?.phase, run.metadata?.script?.phase, `${name}: run.json and result.json agree on the phase`);
  }
});

t.test('every golden run keeps its verdict and exactly its rules', async (t) => {
  t.ok(names.length >= 20, `${names.length} golden runs`);
  const out = t.testdir({});
  for (const name of names) {
    const expect = await readExpect(path.join(GOLDEN, name));
    t.ok(expect.exactly !== undefined, `${name}: expect.yaml says exactly which rules fire`);
    t.same(expect.warnings, [], `${name}: expect.yaml uses no deprecated key`);
    const r = await runCli(['analyze', path.join(GOLDEN, name), '--format', 'json', '--report', path.join(out, `${name}.json`)], PROJECT_ROOT);
    const report = JSON.parse(r.stdout) as { summary: { verdict: string }; findings: { rule: string }[] };
    const fires = [...new Set(report.findings.map((f) => f.rule))].sort();
    outcomes.set(name, { verdict: report.summary.verdict, fires, code: r.code });
    t.equal(report.summary.verdict, expect.verdict, `${name}: verdict`);
    t.same(fires, [...(expect.exactly ?? [])].sort(), `${name}: rules`);
    t.equal(r.code, { safe: 0, unsafe: 1, indeterminate: 3 }[expect.verdict], `${name}: exit code`);
  }
});

// Each rule of the issue, with a golden where it fires and its safe twin where it must not.
const TWINS: Record<string, [unsafe: string, twin: string]> = {
  'illegal-kill': ['s01-kill-9-pid', 's06-guarded-kill'],
  'signal-probe': ['m06-signal-probe', 's13-kill-named-procs'],
  'illegal-request': ['s03-vxdctl-stop', 's08-lvlnboot'],
  'illegal-restart': ['s02-init-script-start', 's07-guarded-start'],
  'unterminated-process': ['m01-leave-daemon-running', 'm02-reap-own-child'],
  'booted-write': ['m05-proc-root-escape', 'm04-inactive-write'],
  'shared-write': ['m03-shared-write', 'm04-inactive-write'],
  'jail-escape': ['m05-proc-root-escape', 'm04-inactive-write'],
  'kernel-change': ['m10-kernel-tunable', 'm04-inactive-write'],
  'device-write': ['m16-disk-device-write', 'm04-inactive-write'],
  'unknown-command': ['m09-missing-command', 's09-fstab-vxvm'],
  'process-change': ['m17-renice-daemon', 'm18-renice-own'],
  'illegal-ipc': ['m19-ipcrm-daemon-queue', 'm20-ipcrm-guarded'],
  'unknown-program': ['m27-hpux-command-missing', 'm28-hpux-command-guarded'],
  'booted-identity': ['m33-uname-r-decision', 'm34-uname-s-decision'],
  // A warning: the run where it fires is safe too, with a risky line it did not cover.
  'not-exercised': ['m35-not-exercised-branch', 'm36-exercised-branch'],
};

t.test('every rule fires on its golden and not on its safe twin', async (t) => {
  for (const [rule, [unsafe, twin]] of Object.entries(TWINS)) {
    t.ok(outcomes.get(unsafe)?.fires.includes(rule), `${rule} fires on ${unsafe}`);
    const other = outcomes.get(twin);
    t.ok(other && !other.fires.includes(rule), `${rule} does not fire on ${twin}`);
    t.not(other?.verdict, 'unsafe', `${twin} is not unsafe`);
  }
});

t.test('the goldens cover what the parser must handle', async (t) => {
  // Interleaved unfinished/resumed pairs from several processes (a shell pipeline).
  const s09 = await readFile(path.join(GOLDEN, 's09-fstab-vxvm', 'trace.txt'), 'latin1');
  const unfinishedPids = new Set([...s09.matchAll(/^(\d+) .*<unfinished \.\.\.>$/gm)].map((m) => m[1]));
  t.ok(unfinishedPids.size >= 2, `unfinished calls from ${unfinishedPids.size} processes`);
  const interleaved = s09.split('\n').some((line, i, all) => line.endsWith('<unfinished ...>') && !(all[i + 1] ?? '').includes('resumed>'));
  t.ok(interleaved, 'another line comes between an unfinished call and its resume');
  // -y path decorations and -yy socket decorations.
  t.match(s09, /= \d+<\/images\/inactive\/etc\/fstab>/);
  const tcp = await readFile(path.join(GOLDEN, 'm08-tcp-request', 'trace.txt'), 'latin1');
  t.match(tcp, /<TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:2121\]>/);
  // A trace cut mid-line.
  const cut = await readFile(path.join(GOLDEN, 's08-lvlnboot-truncated', 'trace.txt'), 'latin1');
  t.notOk(cut.endsWith('\n'), 'the truncated golden ends mid-line');
  t.equal(outcomes.get('s08-lvlnboot-truncated')?.verdict, 'indeterminate');
});

t.test('what the sandbox cannot judge is a gap: a program it lacks, a control script it could not run', async (t) => {
  const reports = t.testdir({});
  const analyze = async (name: string) => {
    const r = await runCli(['analyze', path.join(GOLDEN, name), '--format', 'json', '--report', path.join(reports, `${name}.json`)], PROJECT_ROOT);
    return JSON.parse(r.stdout) as {
      summary: { verdict: string };
      gaps: { kind: string; rule?: string; message: string; location?: { line: number } }[];
      findings: { rule: string; severity: string }[];
    };
  };
  const missing = await analyze('m27-hpux-command-missing');
  t.match(
    missing.gaps,
    [{ kind: 'rule', rule: 'unknown-program', message: /^usermod is not in the sandbox/, location: { line: 6 } }],
    'usermod behind 2>/dev/null, which ksh93 found nowhere and said nothing of',
  );
  const typo = await analyze('m29-typo-command');
  t.same(
    [typo.summary.verdict, typo.gaps, typo.findings.map((f) => [f.rule, f.severity])],
    ['safe', [], [['unknown-command', 'info']]],
    'a typo fails on HP-UX too: information',
  );
  const binary = await analyze('m31-binary-control-script');
  t.match(binary.gaps, [{ kind: 'script-not-run', message: /cannot execute \[Exec format error\]/ }]);
  t.equal(binary.summary.verdict, 'indeterminate');
  const text = await analyze('m32-shell-control-script');
  t.same([text.summary.verdict, text.gaps], ['safe', []], 'its twin, a shell script, runs and is judged');
  const uname = await analyze('m33-uname-r-decision');
  t.match(uname.findings, [{ rule: 'booted-identity', severity: 'warning' }]);
});

t.test("strace's `???` lines: a call it could not read is harmless only when the process dies in it", async (t) => {
  const dir = path.join(GOLDEN, 'h01-fork-bomb');
  const text = await readFile(path.join(dir, 'trace.txt'), 'latin1');
  t.match(text, /^\d+ +[\d.]+ \?\?\?\( <unfinished \.\.\.>$/m, 'the recording has an unfinished `???(`');
  t.match(text, /^\d+ +[\d.]+ \?\?\?\(\) += \?$/m, 'and a whole `???() = ?`');
  const reports = t.testdir({});
  let n = 0;
  const analyze = async (run: string) => {
    const r = await runCli(['analyze', run, '--format', 'json', '--report', path.join(reports, `${++n}.json`)], PROJECT_ROOT);
    return JSON.parse(r.stdout) as { parse: { issueCount: number }; gaps: { kind: string; line?: number }[] };
  };
  const killed = await analyze(dir);
  t.equal(killed.parse.issueCount, 0, 'every line read');
  t.same(
    killed.gaps.filter((g) => g.kind === 'unread-call'),
    [],
    'killed by SIGKILL in the stop: the call never ran',
  );

  // The same run with those processes exiting normally instead: the calls may have run.
  const pids = [...text.matchAll(/^(\d+) +[\d.]+ \?\?\?\(/gm)].map((m) => m[1]);
  t.ok(pids.length >= 2);
  let changed = text;
  for (const pid of pids) changed = changed.replace(new RegExp(`^(${pid} +[\\d.]+ )\\+\\+\\+ killed by SIGKILL \\+\\+\\+$`, 'm'), '$1+++ exited with 0 +++');
  t.not(changed, text);
  const copy = path.join(reports, 'run');
  await mkdir(copy);
  for (const name of ['run.json', 'result.json']) await copyFile(path.join(dir, name), path.join(copy, name));
  await writeFile(path.join(copy, 'trace.txt'), changed, 'latin1');
  const exited = await analyze(copy);
  t.equal(exited.gaps.filter((g) => g.kind === 'unread-call').length, pids.length, 'one gap per unread call');
});

t.test('a stored run judged under a changed policy gets the new verdict without running anything', async (t) => {
  const dir = t.testdir({ 'relaxed.yaml': 'extends: drd-safe\noverrides:\n  process-change:\n    severity: warning\n' });
  const r = await runCli(
    ['analyze', path.join(GOLDEN, 'm17-renice-daemon'), '--policy', path.join(dir, 'relaxed.yaml'), '--format', 'json', '--report', path.join(dir, 'r.json')],
    PROJECT_ROOT,
  );
  const report = JSON.parse(r.stdout) as { summary: { verdict: string; counts: { warning: number } }; gaps: unknown[] };
  t.equal(report.summary.verdict, 'safe');
  t.ok(report.summary.counts.warning >= 1);
  t.same(report.gaps, [], 'the run traced every call this policy reads');
  t.equal(r.code, 0);
});

t.test('a stored run traced for an older policy cannot pass a policy that reads calls it did not trace', async (t) => {
  // s01 was recorded before process-change existed: its strace traced no setpriority, prlimit64, ...
  const dir = t.testdir({ 'relaxed.yaml': 'extends: drd-safe\noverrides:\n  illegal-kill:\n    severity: warning\n' });
  const r = await runCli(
    ['analyze', path.join(GOLDEN, 's01-kill-9-pid'), '--policy', path.join(dir, 'relaxed.yaml'), '--format', 'json', '--report', path.join(dir, 'r.json')],
    PROJECT_ROOT,
  );
  const report = JSON.parse(r.stdout) as { summary: { verdict: string; reasons: string[] }; gaps: { kind: string; message: string }[] };
  t.equal(report.summary.verdict, 'indeterminate', 'no error finding, but what the run could not see is unknown');
  t.equal(r.code, 3);
  // The first twelve missing calls by name (ioprio_set of process-change, msgsnd of illegal-ipc, ...), then how many more.
  t.match(report.gaps, [{ kind: 'untraced-syscalls', message: /also reads .*ioprio_set.*msgsnd.* and \d+ more: run the script again with this policy/ }]);
  // What the model reads counts too: io_uring_setup, traced since io_uring became a gap, is missing from s01's set.
  t.match(report.gaps[0]?.message, /\bio_uring_setup\b/);
});

t.test('a run in which strace said something on its stderr is indeterminate, whatever the trace shows', async (t) => {
  const dir = path.join(GOLDEN, 's08-lvlnboot');
  const out = t.testdir({});
  const copy = path.join(out, 'run');
  await mkdir(copy);
  for (const f of await readdir(dir)) await copyFile(path.join(dir, f), path.join(copy, f));
  const result = await readRunResult(path.join(dir, 'result.json'));
  t.ok(result?.strace, 'a traced run');
  await writeFile(
    path.join(copy, 'result.json'),
    JSON.stringify({ ...result, strace: { ...result?.strace, messages: ['strace: wait4(__WALL): Interrupted system call'] } }),
  );
  const analyze = async (run: string, n: string) => {
    const r = await runCli(['analyze', run, '--format', 'json', '--report', path.join(out, `${n}.json`)], PROJECT_ROOT);
    return { code: r.code, report: JSON.parse(r.stdout) as { summary: { verdict: string; reasons: string[] }; gaps: { kind: string; message: string }[] } };
  };
  const before = await analyze(dir, 'before');
  t.equal(before.report.summary.verdict, 'safe', 'the golden is safe as recorded');
  const after = await analyze(copy, 'after');
  t.equal(after.report.summary.verdict, 'indeterminate');
  t.equal(after.code, 3);
  t.match(after.report.gaps, [{ kind: 'tracer-message', message: 'strace said: strace: wait4(__WALL): Interrupted system call' }]);
  t.match(after.report.summary.reasons.join('\n'), /strace reported a problem with its tracing/);
});

t.test("a missing command by path is one finding: its failed exec, not also the shell's `not found` for it", async (t) => {
  const out = t.testdir({});
  const r = await runCli(['analyze', path.join(GOLDEN, 'm09-missing-command'), '--format', 'json', '--report', path.join(out, 'r.json')], PROJECT_ROOT);
  const report = JSON.parse(r.stdout) as { findings: { rule: string; event: { syscall: string } }[] };
  const stderr = await readFile(path.join(GOLDEN, 'm09-missing-command', 'stderr.txt'), 'utf8');
  t.match(stderr, /checkinstall\[3\]: \/usr\/sbin\/no_such_tool: not found/, 'the shell said it too');
  t.same(
    report.findings.map((f) => [f.rule, f.event.syscall]),
    [['unknown-command', 'execve']],
  );
});

t.test('`kill -TERM 0` reaches only the group the launcher made for the script', async (t) => {
  const dir = path.join(GOLDEN, 'm13-kill-own-group');
  const text = await readFile(path.join(dir, 'trace.txt'), 'latin1');
  const setpgid = /^\d+ +[\d.]+ setpgid\(0, 0\) += 0\b.*\n/m;
  t.match(text, setpgid, 'jail-exec made a group before it became the script');
  // Whole, or split by strace when the signal reached the caller's own group mid-call.
  t.match(
    text,
    /^\d+ +[\d.]+ kill\(0, SIGTERM(?:\) += 0| <unfinished \.\.\.>\n(?:.*\n)*?\d+ +[\d.]+ <\.\.\. kill resumed>\) += 0)/m,
    'the script signalled its group',
  );
  const out = t.testdir({ run: {} });
  const analyze = async (run: string, n: number) => {
    const r = await runCli(['analyze', run, '--format', 'json', '--report', path.join(out, `${n}.json`)], PROJECT_ROOT);
    return { code: r.code, report: JSON.parse(r.stdout) as { summary: { verdict: string }; findings: { rule: string }[] } };
  };
  const safe = await analyze(dir, 1);
  t.equal(safe.report.summary.verdict, 'safe');
  t.equal(safe.code, 0);

  // The same run without the group: the script's group is then the launcher's, which holds the tracer.
  const copy = path.join(out, 'run');
  for (const name of ['run.json', 'result.json', 'witness.jsonl', 'booted-diff.json']) await copyFile(path.join(dir, name), path.join(copy, name));
  await writeFile(path.join(copy, 'trace.txt'), text.replace(setpgid, ''), 'latin1');
  const shared = await analyze(copy, 2);
  t.equal(shared.report.summary.verdict, 'unsafe');
  t.ok(
    shared.report.findings.some((f) => f.rule === 'illegal-kill'),
    'illegal-kill: the group holds processes outside runcmd',
  );

  // The launcher forking a helper of its own into that group before the exec: not closed either.
  const helper = text.replace(
    setpgid,
    (line) =>
      `${line}${line.replace(/setpgid\(0, 0\) += 0/, 'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 9999')}`,
  );
  t.not(helper, text);
  await writeFile(path.join(copy, 'trace.txt'), helper, 'latin1');
  const joined = await analyze(copy, 3);
  t.ok(
    joined.report.findings.some((f) => f.rule === 'illegal-kill'),
    "illegal-kill: the launcher's own child is in the group",
  );
});

t.test("an open of a booted daemon's /proc/<pid>/fd/<n> is a jail escape, refused or not", async (t) => {
  const out = t.testdir({});
  const r = await runCli(['analyze', path.join(GOLDEN, 'm15-proc-fd-write'), '--format', 'json', '--report', path.join(out, 'r.json')], PROJECT_ROOT);
  const report = JSON.parse(r.stdout) as {
    findings: {
      rule: string;
      event: { ok: boolean; errno?: string };
      detail: { subject?: { kind: string; tree?: string; target?: { name?: string; origin: string } } };
    }[];
  };
  t.equal(r.code, 1);
  t.match(report.findings, [
    { rule: 'jail-escape', event: { ok: false, errno: 'EACCES' }, detail: { subject: { kind: 'proc-fd', target: { name: 'syslogd', origin: 'booted' } } } },
  ]);
  t.equal(report.findings.length, 1, 'one finding: the lexical /proc path is no second escape');
  t.equal(report.findings[0]?.detail.subject?.tree, undefined, "the refused open's lexical path under the jail's /proc gives it no tree");
  const text = await runCli(['analyze', path.join(GOLDEN, 'm15-proc-fd-write'), '--report', path.join(out, 'r2.json')], PROJECT_ROOT);
  t.match(text.stdout, /^ +target +proc-fd \/proc\/\d+\/fd\/3 of syslogd \(pid \d+, booted daemon\)$/m);
});

t.test("a booted daemon's message queue removed: confirmed by its witness; with the rule off, unexplained and indeterminate", async (t) => {
  const dir = t.testdir({ 'off.yaml': 'extends: drd-safe\ndisable: [illegal-ipc]\n' });
  type Judged = {
    summary: { verdict: string };
    findings: { rule: string; target: string }[];
    groundTruth: { confirmations: { rule: string; evidence: string }[]; unexplained: { kind: string; detail: string }[] };
  };
  const judge = async (extra: string[], n: number) => {
    const r = await runCli(
      ['analyze', path.join(GOLDEN, 'm19-ipcrm-daemon-queue'), ...extra, '--format', 'json', '--report', path.join(dir, `${n}.json`)],
      PROJECT_ROOT,
    );
    return { code: r.code, report: JSON.parse(r.stdout) as Judged };
  };
  const on = await judge([], 1);
  t.equal(on.code, 1);
  t.match(on.report.findings, [{ rule: 'illegal-ipc', target: /^message queue id \d+ served by comsec, of the booted system/ }]);
  t.match(on.report.groundTruth.confirmations, [{ rule: 'illegal-ipc', evidence: /comsec had msg:0x434f4d53 removed/ }]);
  t.same(on.report.groundTruth.unexplained, []);
  const off = await judge(['--policy', path.join(dir, 'off.yaml')], 2);
  t.equal(off.report.summary.verdict, 'indeterminate');
  t.equal(off.code, 3);
  t.match(off.report.groundTruth.unexplained, [{ kind: 'witness-event', detail: /comsec had msg:0x434f4d53 removed that no finding explains/ }]);
});
