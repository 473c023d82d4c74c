/**
 * The text report a user reads: every finding names its rule and severity,
 * the seed section, the script line (as written and as it ran), the process
 * and its argv, the target, the trace line, whether the call failed, the
 * calls of the same command it also covers, what the booted system
 * confirmed, and its fingerprint. Checked on recorded golden runs.
 */
import t from 'tap';
import type { Test } from 'tap';
import path from 'node:path';
import { runCli } from '../fixtures/cli/capture-io.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

async function textReport(t: Test, run: string): Promise<{ code: number; blocks: string[] }> {
  const dir = t.testdir({});
  const r = await runCli(['analyze', path.join(GOLDEN, run), '--report', path.join(dir, 'report.json')], PROJECT_ROOT);
  // One block per finding: from its `[SEVERITY]` line to the blank line after it.
  const blocks = r.stdout.split('\n\n').filter((b) => /^\[(ERROR|WARNING|INFO)\]/.test(b));
  return { code: r.code, blocks };
}

t.test('a confirmed kill of a booted daemon', async (t) => {
  const { code, blocks } = await textReport(t, 's01-kill-9-pid');
  t.equal(code, 1, 'unsafe');
  const kill = blocks.find((b) => b.includes('sent SIGKILL'));
  t.ok(kill, `a SIGKILL finding among:\n${blocks.join('\n\n')}`);
  const lines = (kill ?? '').split('\n');
  t.match(lines[0], /^\[ERROR\] illegal-kill: \/sbin\/sh -x \S+\/preinstall sent SIGKILL to comsec \(pid \d+, booted daemon\)$/);
  t.match(lines, [
    /^\[ERROR\]/,
    /^ {4}rule {6}Signal sent to a process outside the runcmd environment \(DRD-Safe Concepts 3\.1\.1\)$/,
    /^ {4}script {4}\S+\/preinstall:\d+: kill -9 \$PID$/,
    /^ {4}ran as {4}kill -9 \d+$/,
    /^ {4}process {3}pid \d+ \/sbin\/sh -x \S+\/preinstall$/,
    /^ {4}target {4}comsec \(pid \d+, booted daemon\)$/,
    /^ {4}trace {5}trace\.txt:\d+: \d+ +[\d.]+ kill\(\d+, SIGKILL\) = 0/,
    // ksh93's kill sends SIGCONT after the signal: part of the same command, and of this finding.
    /^ {4}then {6}SIGCONT, trace\.txt:\d+: \d+ +[\d.]+ kill\(\d+, SIGCONT\) = /,
    /^ {4}confirmed comsec is no longer running$/,
  ]);
  t.equal(blocks.filter((b) => b.startsWith('[ERROR] illegal-kill')).length, 1, 'one finding for the one kill command');
  t.notOk(
    lines.some((l) => l.startsWith('    result')),
    'the kill succeeded: no result line',
  );
});

t.test('a failed call says so', async (t) => {
  const { code, blocks } = await textReport(t, 'm09-missing-command');
  t.equal(code, 0, 'an info finding keeps the run safe');
  t.equal(blocks.length, 1);
  const lines = (blocks[0] ?? '').split('\n');
  t.match(lines[0], /^\[INFO\] unknown-command: \/usr\/sbin\/no_such_tool not found \(run by \/sbin\/sh\)$/);
  t.match(
    lines.find((l) => l.startsWith('    trace')),
    /execve\("\/usr\/sbin\/no_such_tool", .* = -1 ENOENT/,
  );
  t.equal(
    lines.find((l) => l.startsWith('    result')),
    '    result    the call failed (ENOENT)',
  );
  t.match(lines.at(-1), /^ {4}fingerprint [0-9a-f]{16}$/, 'last, what a waiver names');
});

t.test('a risky line that never ran: its finding, and the coverage line before the verdict', async (t) => {
  const dir = t.testdir({});
  const r = await runCli(['analyze', path.join(GOLDEN, 'm35-not-exercised-branch'), '--report', path.join(dir, 'report.json')], PROJECT_ROOT);
  t.equal(r.code, 0, 'a warning: safe');
  const block = r.stdout.split('\n\n').find((b) => b.startsWith('[WARNING] not-exercised'));
  t.match(block?.split('\n'), [
    /^\[WARNING\] not-exercised: line 11 never ran: \/usr\/sbin\/inetd -c \(inetd-reconfigure\); the `case` word `"\$\(uname -r\)"` \(line 9\) did not match `B\.10\.\*`$/,
    /^ {4}rule {6}Risky command never ran in the sandbox \(DRD-Safe Concepts 4\.1\)$/,
    /^ {4}script {4}\S+\/postinstall:11: \/usr\/sbin\/inetd -c$/,
    /^ {4}risky {5}\/usr\/sbin\/inetd -c \(risky-commands: inetd-reconfigure\)$/,
    /^ {4}why {7}the `case` word/,
    /^ {4}evidence {2}the control script's xtrace: this line never ran/,
  ]);
  const coverage = r.stdout.indexOf('Coverage: 4 of 5 command lines ran; 1 risky line not run');
  t.ok(coverage > 0, 'the counts');
  t.ok(coverage < r.stdout.indexOf('Verdict: SAFE'), 'near the verdict, before it');
  t.match(r.stdout, /^ {4}NOT RUN line 11: \/usr\/sbin\/inetd -c \(inetd-reconfigure\)\n {8}the `case` word/m);
});
