/**
 * The coverage join on scenarios recorded with real ksh93 and strace
 * (test/fixtures/coverage/scenarios, record-traces.sh): which command lines
 * ran, which did not and why, and which cannot be told.
 */
import t from 'tap';
import { runCoverage } from '../fixtures/coverage/run-coverage.js';

t.test('constructs: a sourced file, if, &&/||, functions, case, loops, a here-document, a continued line', async (t) => {
  const run = await runCoverage('constructs');
  const c = run.coverage;
  t.equal(c.available, true);
  t.equal(c.parser, 'mvdan-sh (mksh)');
  t.equal(c.unattributedMarkers, 0, 'every marker fits a command of the parse');
  const ran = (n: number) => run.line(n)?.ran;
  // The sourced file: its `.` line ran; control_utils's own lines are not the script's.
  t.equal(ran(6), true, '. /usr/lbin/sw/control_utils');
  t.equal(ran(46), true, 'a function of the sourced file called with &&');
  // if whose condition was false: the pid file does not exist.
  t.equal(ran(8), true, 'the if condition ran');
  t.match(run.line(9), {
    ran: false,
    risky: true,
    risk: 'kill',
    why: /the condition `\[ -f \$PIDFILE \]` \(line 8\) was false: the shell ran `\[ -f \/var\/run\/acmeagt\.pid \]`/,
  });
  // && that held, || that did not run its right side.
  t.match(run.line(12), { ran: true, risky: true }, '`[ -n "$PID" ] && kill -0 $PID` ran its kill');
  t.match(run.line(43), {
    ran: false,
    risky: true,
    risk: 'mount',
    reached: true,
    why: /`true && echo and-ran` \(line 43\) succeeded, so what follows `\|\|` did not run/,
  });
  // A POSIX function whose one call sat in the branch not taken, one never called, and a ksh function's untraced body.
  t.match(run.line(15), {
    ran: false,
    risk: 'init-script',
    why: /function `stop_agent` \(defined at line 14\), and its call \(line 50\) did not run: an earlier condition of the `if` at line 49 held: the shell ran `\[\[ 1 = 1 \]\]`/,
  });
  t.match(run.line(21), { ran: false, risk: 'kill', why: /function `never_called` .* which the script never calls/ });
  t.match(run.line(18), {
    ran: 'unknown',
    untraced: 'ksh-function',
    why: /does not trace the body of `function ksh_probe` \(line 17\), which was called at line 45/,
  });
  t.equal(ran(45), true, 'the ksh function call itself is traced');
  // case: ksh93 traces the word's substitution with an earlier line's LINENO; the join puts it back.
  t.equal(ran(23), true, 'case "$(print B.11.31)"');
  t.equal(ran(25), true, 'the branch taken');
  t.match(run.line(24), { ran: false, risk: 'kernel-tunable', why: /the `case` word `"\$\(print B\.11\.31\)"` \(line 23\) did not match `B\.11\.23`/ });
  // Loops: a for over a glob that matched nothing, a while that ran twice, an until whose body never ran.
  t.match(run.line(28), { ran: true }, 'the for body ran once, with the unmatched pattern');
  t.equal(ran(31), true);
  t.equal(ran(32), true);
  t.match(run.line(35), { ran: false, risk: 'reboot', why: /the `until` condition `true` \(line 34\) held the first time/ });
  // A here-document's command and a line continued over three lines count at their first line.
  t.equal(ran(37), true, 'cat > /tmp/acme.conf <<EOF');
  t.notOk(run.line(38), 'the here-document body is no command line');
  t.equal(ran(40), true, 'echo one \\');
  t.notOk(run.line(41), 'a continuation line is no command line');
  t.equal(c.commandLines, c.lines.length);
  t.equal(c.riskyNotRun, c.lines.filter((l) => l.risky && l.ran === false).length);
  t.equal(c.riskyUnknown, 1, 'the kill in the ksh function body');
  // One not-exercised finding a risky line not run, on that line, with its evidence.
  t.same(
    run.findings.map((f) => f.coverage?.line),
    [9, 15, 21, 24, 35, 43],
  );
  const first = run.findings[0];
  t.equal(first?.rule, 'not-exercised');
  t.equal(first?.severity, 'warning');
  t.equal(first?.reference, 'DRD-Safe Concepts 4.1', 'the section of the risky command');
  t.equal(first?.event, undefined, 'it rests on no call');
  t.equal(first?.location?.line, 9);
  t.ok((first?.coverage?.traceLines.length ?? 0) > 0, 'the trace line of the xtrace of the guard');
  t.equal(first?.process.argv[0], '/sbin/sh', "the control script's shell");
});

t.test('where ksh93 stops tracing the lines are unknown, never not-run', async (t) => {
  const run = await runCoverage('xtrace-off');
  t.equal(run.line(4)?.ran, true);
  t.match(run.line(5), { ran: 'unknown', untraced: 'xtrace-off', why: /does not trace `set \+x` itself/ });
  t.match(run.line(6), { ran: 'unknown', untraced: 'xtrace-off', why: /stopped tracing at line 5 \(`set \+x`\)/ });
  t.match(run.line(7), { ran: 'unknown', risky: true }, 'a risky line after set +x is not called not-run');
  t.equal(run.line(9)?.ran, true, 'traced again after set -x');
  t.match(run.line(10), { ran: false, risky: true }, 'so this one is decided: its guard shows in the trace');
  t.equal(run.line(11)?.ran, true, 'exec 2>/dev/null is traced itself');
  t.match(run.line(12), { ran: 'unknown', risky: true, why: /line 11 \(`exec 2>\/dev\/null`\)/ });
  t.same(
    run.findings.map((f) => f.coverage?.line),
    [10],
    'only the decided line is a finding',
  );
  t.equal(run.coverage.riskyUnknown, 2);
});

t.test('a shell that did not exit by itself may not have written its trace: nothing unmarked is not-run', async (t) => {
  for (const model of [{ scriptSignal: 'SIGKILL' }, { scriptExitCode: undefined }]) {
    const run = await runCoverage('constructs', { model });
    t.equal(run.line(6)?.ran, true, 'what was traced still ran');
    t.match(run.line(9), { ran: 'unknown', untraced: 'unflushed' });
    t.same(run.findings, [], 'no not-exercised finding');
  }
  const cut = await runCoverage('constructs', { meta: { finished: false } });
  t.equal(cut.line(9)?.ran, 'unknown', 'a run that did not finish');
  const none = await runCoverage('constructs', { model: { scriptPid: undefined, scriptProcess: undefined } });
  t.match(none.line(9), { ran: 'unknown', untraced: 'no-trace' });
  t.same(none.findings, []);
});

t.test('without the script text, or with one that does not parse, coverage says so', async (t) => {
  const run = await runCoverage('constructs', { meta: { script: { phase: 'preinstall', jailPath: '/x' } } });
  t.match(run.coverage, { available: false, reason: /does not hold the control script's text/, lines: [] });
  const bad = await runCoverage('constructs', { meta: { script: { phase: 'preinstall', jailPath: '/x', text: 'echo ok\nif then\n' } } });
  t.match(bad.coverage, { available: false, reason: /line 2:1: "if" must be followed by a statement list/ });
  t.same(bad.findings, []);
});

t.test('a user policy raises not-exercised to error, and adds a risky command', async (t) => {
  const dir = t.testdir({
    'strict.yaml': [
      'extends: drd-safe',
      'overrides:',
      '  not-exercised: {severity: error}',
      'risky-commands:',
      '  - name: agent-echo',
      '    reference: Site 1',
      '    commands: [echo]',
      '    args: [drd]',
      '',
    ].join('\n'),
  });
  const run = await runCoverage('constructs', { policyFiles: ['strict.yaml'], cwd: dir });
  t.ok(run.findings.every((f) => f.severity === 'error'));
  t.match(run.line(48), { ran: true, risky: true, risk: 'agent-echo', reference: 'Site 1' }, 'echo drd: risky, and it ran');
});
