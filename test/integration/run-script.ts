import t from 'tap';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../harness/app/io.js';
import { readRunDir } from '../../harness/contract/read-run-dir.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL, newSession } from '../../harness/engine/labels.js';
import { runScript } from '../../harness/app/run-script.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { SEED_EXAMPLES, testImage } from '../fixtures/sandbox/test-image.js';
import { runCli } from '../fixtures/cli/capture-io.js';
import { parseLines } from '../fixtures/trace/collect.js';
import type { DumpEvent } from '../../harness/trace/trace-event.js';

const skip = await dockerSkipReason();
const client = new DockerContainerClient();

function io(cwd: string, signal = new AbortController().signal): CliIo & { err: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  return { stdout: new PassThrough(), stderr, env: process.env, cwd, signal, interactive: false, err: () => text };
}

t.test('a seed example runs in the sandbox and leaves a complete run directory', { skip }, async (t) => {
  const image = await testImage();
  const session = newSession();
  const cwd = t.testdir({});
  const out = await runScript(
    { scriptPath: path.join(SEED_EXAMPLES, 's01-kill-9-pid', 'script'), phase: 'preinstall', analyze: false },
    { io: io(cwd), client, session, image },
  );
  t.equal(path.dirname(out.runDir), path.join(cwd, 'traces', 'runs'));
  t.match(path.basename(out.runDir), /^\d{8}-\d{6}-\d{3}-s01-kill-9-pid-preinstall$/);
  const files = await readdir(out.runDir);
  for (const f of ['trace.txt', 'stdout.txt', 'stderr.txt', 'tracer.log', 'witness.jsonl', 'booted-diff.json', 'result.json', 'run.json']) {
    t.ok(files.includes(f), f);
  }
  // Every file the container wrote, and run.json, read through the contract's checked readers.
  const run = await readRunDir(out.runDir);
  const meta = run.metadata!;
  t.ok(run.result, 'a result.json written by run-phase in the real container follows the contract');
  t.same(run.result?.daemons.map((d) => d.name).sort(), meta.daemons.map((d) => d.name).sort(), 'result.json and run.json name the same daemons');
  t.same(run.witness?.issues, [], 'every witness line follows the contract');
  t.ok(run.bootedDiff, 'booted-diff.json follows the contract');
  t.equal(meta.script?.phase, 'preinstall');
  t.match(meta.script?.text, /kill -9 \$PID/);
  t.ok(meta.daemons.some((d) => d.name === 'comsec'));
  t.equal(meta.trees.inactive, '/images/inactive');
  t.ok(meta.timings && meta.timings.harnessMs > 0 && meta.timings.phaseWallMs > 0);
  // The container's IPC namespace as run-phase read it before the script: comsec's message queue, and nothing else.
  t.same(
    meta.ipc,
    { msg: [{ key: 0x434f4d53, id: meta.ipc?.msg[0]?.id }], sem: [], shm: [], mqueue: [] },
    "the IPC snapshot (what is there is the booted system's)",
  );
  t.same(meta.daemons.find((d) => d.name === 'comsec')?.endpoints, ['msg:0x434f4d53'], 'listed as the endpoint comsec serves');
  t.equal(out.result.finished, true);

  const trace = await readFile(path.join(out.runDir, 'trace.txt'), 'utf8');
  t.match(trace, /kill\(\d+/, 'the kill is in the trace');
  t.ok(
    run.witness?.lines.some((w) => w.signal === 'SIGKILL'),
    'and the booted daemon saw it',
  );
  t.ok((await stat(path.join(out.runDir, 'stderr.txt'))).size > 0, 'the xtrace lines were kept');
  t.same(await client.listContainers({ [LABEL.session]: session.id }), [], 'the container is gone');
});

t.test('`drdsafe run` judges the run: the seed example s01 is unsafe', { skip }, async (t) => {
  const { runCommand } = await import('../../harness/cli/run-command.js');
  const cwd = t.testdir({});
  const output = io(cwd);
  let stdout = '';
  output.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  await testImage();
  const code = await runCommand.run(
    [path.join(SEED_EXAMPLES, 's01-kill-9-pid', 'script'), '--phase', 'preinstall', '--out', 'run', '--format', 'json'],
    output,
  );
  t.equal(code, 1, 'unsafe');
  const report = JSON.parse(await readFile(path.join(cwd, 'run', 'report.json'), 'utf8')) as {
    summary?: { verdict?: string };
    findings: { rule: string; location?: { line: number; source?: string; expanded?: string } }[];
  };
  t.equal(report.summary?.verdict, 'unsafe', 'report.json was written with the verdict');
  // The script line comes from the shell's xtrace, traced as raw writes with fd 2's data hex-dumped.
  const kill = report.findings.find((f) => f.rule === 'illegal-kill');
  t.match(kill?.location, { line: 5, source: 'kill -9 $PID', expanded: /^kill -9 \d+$/ }, 'the kill is tied to its script line');
  const trace = await readFile(path.join(cwd, 'run', 'trace.txt'), 'latin1');
  const { events } = parseLines(trace.split('\n').filter((l) => l.length > 0));
  const dumped = events.filter(
    (e, i) =>
      e.kind === 'syscall' &&
      e.name === 'write' &&
      e.argsText.startsWith('0x2, ') &&
      events[i + 1]?.kind === 'dump' &&
      (events[i + 1] as DumpEvent).data.startsWith('+drdsafe['),
  );
  t.ok(dumped.length >= 3, `xtrace writes are raw, their text dumped (${dumped.length})`);
  t.notMatch(trace, /write\(2</, 'no write is decoded');
  t.equal((JSON.parse(stdout) as { summary?: { verdict?: string } }).summary?.verdict, 'unsafe', 'the JSON report was printed on stdout');
});

t.test("strace's stderr is apart from the script's: what a script writes there is never taken for strace's", { skip }, async (t) => {
  const image = await testImage();
  const cwd = t.testdir({ 'fake-strace': '#!/sbin/sh\necho "strace: Process 1 detached" >&2\nexit 0\n' });
  const out = await runScript({ scriptPath: 'fake-strace', phase: 'postinstall' }, { io: io(cwd), client, image });
  t.match(await readFile(path.join(out.runDir, 'stderr.txt'), 'utf8'), /^strace: Process 1 detached$/m, "the script's line is in its stderr");
  t.equal(await readFile(path.join(out.runDir, 'tracer.log'), 'utf8'), '', 'strace said nothing');
  t.equal(out.result.strace?.messages, undefined);
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as { summary: { verdict: string } };
  t.equal(report.summary.verdict, 'safe');
  t.equal(out.exitCode, 0);
});

t.test('a shared mount reached through a symlinked cwd is judged where it lands; the symlink itself changes nothing there', { skip }, async (t) => {
  const image = await testImage();
  const script = [
    '#!/sbin/sh',
    'ln -s /var/opt/shared /var/tmp/s',
    'cd /var/tmp/s',
    'mkdir made-through-a-symlink',
    'rmdir made-through-a-symlink',
    'exit 0',
  ].join('\n');
  const cwd = t.testdir({ 'through-a-link': `${script}\n` });
  const out = await runScript({ scriptPath: 'through-a-link', phase: 'postinstall', shared: ['/var/opt/shared'] }, { io: io(cwd), client, image });
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
    summary: { verdict: string };
    findings: { rule: string; location?: { line: number }; target?: string }[];
  };
  t.equal(report.summary.verdict, 'unsafe');
  // mkdir("made-through-a-symlink") names no directory: its real place is the cwd strace showed in AT_FDCWD</...>.
  t.same(
    report.findings.map((f) => [f.rule, f.location?.line]),
    [
      ['shared-write', 4],
      ['shared-write', 5],
    ],
    'the mkdir and the rmdir, not the ln -s',
  );
  t.match(report.findings[0]?.target, /^\/images\/inactive\/var\/opt\/shared\/made-through-a-symlink \(shared\)$/);
});

t.test(
  "a booted daemon's lowered file limit: the finding is confirmed; with the rule off, the change is unexplained and the run indeterminate",
  { skip },
  async (t) => {
    const image = await testImage();
    const cwd = t.testdir({
      'lower-limit': '#!/sbin/sh\nPID=$(cat /var/run/cron.pid)\nprlimit --pid $PID --nofile=64:64\nexit 0\n',
      'no-process-change.yaml': 'extends: drd-safe\npolicy: {name: no-process-change, version: 1}\ndisable: [process-change]\n',
    });
    type Judged = {
      summary: { verdict: string; reasons: string[] };
      findings: { rule: string; location?: { line: number } }[];
      groundTruth: { confirmations: { rule: string; evidence: string }[]; unexplained: { kind: string; detail: string }[] };
    };
    const judge = async (policyFiles: string[]): Promise<Judged> => {
      const out = await runScript({ scriptPath: 'lower-limit', phase: 'postinstall', policyFiles }, { io: io(cwd), client, image });
      return JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as Judged;
    };
    const builtin = await judge([]);
    t.equal(builtin.summary.verdict, 'unsafe');
    t.same(
      builtin.findings.map((f) => [f.rule, f.location?.line]),
      [['process-change', 3]],
    );
    t.same(
      builtin.groundTruth.confirmations.map((c) => c.rule),
      ['process-change'],
    );
    t.match(builtin.groundTruth.confirmations[0]?.evidence, /^cron: Max open files \d+ \d+ -> 64 64$/, 'the limit really changed');
    t.same(builtin.groundTruth.unexplained, []);

    const off = await judge([path.join(cwd, 'no-process-change.yaml')]);
    t.same(
      off.findings.filter((f) => f.rule === 'process-change'),
      [],
      'nothing traced prlimit64 with the rule off',
    );
    t.equal(off.summary.verdict, 'indeterminate', 'a change no finding explains never passes');
    t.match(off.groundTruth.unexplained, [{ kind: 'daemon-changed', detail: /^cron: Max open files \d+ \d+ -> 64 64 during the phase/ }]);
  },
);

t.test('mkdir -p of a shared mount point changes nothing shared; a new directory in it does', { skip }, async (t) => {
  const image = await testImage();
  const cwd = t.testdir({
    existing: '#!/sbin/sh\nmkdir -p /var/opt/shared\nchmod 755 /var/opt\nexit 0\n',
    creating: '#!/sbin/sh\nmkdir -p /var/opt/shared/app/logs\nexit 0\n',
  });
  const judge = async (script: string) => {
    const out = await runScript({ scriptPath: script, phase: 'postinstall', shared: ['/var/opt/shared'] }, { io: io(cwd), client, image });
    return JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
      summary: { verdict: string };
      findings: { rule: string; target?: string }[];
    };
  };
  const existing = await judge('existing');
  t.equal(existing.summary.verdict, 'safe', 'EEXIST at the mount point: its name is in the inactive /var/opt');
  t.same(
    existing.findings.filter((f) => f.rule === 'shared-write'),
    [],
  );
  const creating = await judge('creating');
  t.equal(creating.summary.verdict, 'unsafe');
  t.same(
    creating.findings.filter((f) => f.rule === 'shared-write').map((f) => f.target),
    ['/images/inactive/var/opt/shared/app (shared)', '/images/inactive/var/opt/shared/app/logs (shared)'],
    'app and logs are made on the shared file system',
  );
});

t.test("PS4 writes the script's own path as @; a sourced file keeps its path and does not move the script's line", { skip }, async (t) => {
  const image = await testImage();
  const script = [
    '#!/sbin/sh',
    "print 'kill -HUP $(cat /var/run/inetd.pid)' > /var/tmp/helper",
    'print \'true from the copy\' > "$0.copy"',
    '. /var/tmp/helper',
    '. "$0.copy"',
    'exit 0',
  ].join('\n');
  const cwd = t.testdir({ sourcing: `${script}\n` });
  const out = await runScript({ scriptPath: 'sourcing', phase: 'postinstall' }, { io: io(cwd), client, image });
  const jailPath = out.result.scriptJailPath;
  t.equal(out.result.xtraceScriptAlias, '@');
  const stderr = await readFile(path.join(out.runDir, 'stderr.txt'), 'utf8');
  t.match(stderr, /^\+drdsafe\[@:4\] \. \/var\/tmp\/helper$/m, 'the script is @');
  t.match(stderr, /^\+drdsafe\[\/var\/tmp\/helper:1\] kill -HUP \d+$/m, 'another file keeps its absolute path');
  t.match(stderr, /^\+drdsafe\[@\.copy:1\] true from the copy$/m, 'a file named after the script is @ and the rest of its name');
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
    summary: { verdict: string };
    findings: { rule: string; location?: { file: string; line: number; source?: string } }[];
  };
  t.equal(report.summary.verdict, 'unsafe');
  t.same(
    report.findings.map((f) => [f.rule, f.location?.file, f.location?.line, f.location?.source]),
    [['illegal-kill', jailPath, 4, '. /var/tmp/helper']],
    "the helper's kill is tied to the script line that sourced it, under the script's real path",
  );
});

t.test('a bare command ksh finds nowhere in PATH is reported, though no exec is ever made for it', { skip }, async (t) => {
  const image = await testImage();
  // egrep is a script that runs `exec grep -E`: ksh tries /sbin/grep and /usr/sbin/grep (reading
  // each directory's .paths between the tries) before /usr/bin/grep, a search that found it.
  const cwd = t.testdir({ 'missing-tool': "#!/sbin/sh\nls / > /dev/null\necho abc | egrep -q 'a|z'\nno_such_hpux_tool -q\nexit 0\n" });
  const out = await runScript({ scriptPath: 'missing-tool', phase: 'postinstall' }, { io: io(cwd), client, image });
  const trace = await readFile(path.join(out.runDir, 'trace.txt'), 'latin1');
  t.notMatch(trace, /execve\([^)]*no_such_hpux_tool/, 'ksh made no exec for it');
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
    summary: { verdict: string };
    findings: { rule: string; message: string; location?: { line: number } }[];
  };
  t.equal(report.summary.verdict, 'safe', 'info only');
  t.same(
    report.findings.map((f) => [f.rule, f.message, f.location?.line]),
    [['unknown-command', 'no_such_hpux_tool not found (run by /sbin/sh)', 4]],
  );
  const r = await runCli(['analyze', out.runDir], cwd);
  t.match(
    r.stdout,
    /trace +trace\.txt:\d+-\d+: hex dump of the data: ".*postinstall\[4\]: no_such_hpux_tool: not found/,
    'the text report shows the dumped message',
  );
});

t.test('a control script that did not run as written is indeterminate, saying what happened', { skip }, async (t) => {
  const image = await testImage();
  // A binary, a perl and a bash script (the sandbox runs every control script with /sbin/sh -x),
  // and a shell script whose syntax error comes before its first command.
  const cwd = t.testdir({
    binary: Buffer.concat([Buffer.from('\x7fELF\x02\x02\x01\x01', 'latin1'), Buffer.alloc(120, 0)]),
    perl: '#!/usr/bin/perl\nkill 9, -1 if 0;\nexit 0;\n',
    bash: '#!/bin/bash\nif [[ -n "$SW_SESSION_IS_DRD" ]]; then echo drd; fi\nexit 0\n',
    broken: '#!/sbin/sh\nif [ -f /etc/motd ]; then\n  cat /etc/motd\n',
    empty: '#!/sbin/sh\n# nothing to do\n',
  });
  const judge = async (name: string) => {
    const out = await runScript({ scriptPath: name, phase: 'postinstall', format: 'json' }, { io: io(cwd), client, image });
    const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
      summary: { verdict: string };
      gaps: { kind: string; message: string }[];
    };
    return {
      verdict: report.summary.verdict,
      gaps: report.gaps.filter((g) => g.kind === 'script-not-run').map((g) => g.message),
      exitCode: out.result.exitCode,
      stderr: await readFile(path.join(out.runDir, 'stderr.txt'), 'latin1'),
    };
  };
  const binary = await judge('binary');
  t.match(binary.stderr, /cannot execute \[Exec format error\]/, 'ksh93 refused it');
  t.same([binary.verdict, binary.exitCode], ['indeterminate', 126]);
  t.match(binary.gaps, [/could not run it \(`.*postinstall: cannot execute \[Exec format error\]`\)/]);
  const perl = await judge('perl');
  t.same(perl.verdict, 'indeterminate', 'ksh93 ran perl text as shell: not what the script does');
  t.match(perl.gaps, [/#!\/usr\/bin\/perl.*under \/usr\/bin\/perl/]);
  const bash = await judge('bash');
  t.same(bash.verdict, 'indeterminate');
  t.match(bash.gaps, [/#!\/bin\/bash/]);
  const broken = await judge('broken');
  t.match(broken.stderr, /syntax error/);
  t.same(broken.verdict, 'indeterminate');
  t.match(broken.gaps, [/no command of the control script ran/]);
  const empty = await judge('empty');
  t.same([empty.verdict, empty.gaps], ['safe', []], 'a script with no command ran all it had');
});

t.test('--payload: a program the package installs, missing in the sandbox, is a gap; unknown, it is a name that exists nowhere', { skip }, async (t) => {
  const { runCommand } = await import('../../harness/cli/run-command.js');
  await testImage();
  const cwd = t.testdir({ script: '#!/sbin/sh\nacmectl -q status 2>/dev/null || true\nexit 0\n' });
  const run = async (out: string, ...extra: string[]) => {
    const code = await runCommand.run(['script', '--phase', 'preremove', '--out', out, '--format', 'json', ...extra], io(cwd));
    const report = JSON.parse(await readFile(path.join(cwd, out, 'report.json'), 'utf8')) as {
      summary: { verdict: string };
      findings: { rule: string; detail: { exec?: { payload?: boolean } } }[];
    };
    const meta = (await readRunDir(path.join(cwd, out))).metadata;
    return {
      code,
      verdict: report.summary.verdict,
      rules: report.findings.map((f) => f.rule),
      payload: meta?.payload,
      marked: report.findings.map((f) => f.detail.exec?.payload),
    };
  };
  const known = await run('with', '--payload', '/usr/bin/acmectl', '--payload', '/etc/opt/acme/acme.conf');
  t.same(known, { code: 3, verdict: 'indeterminate', rules: ['unknown-program'], payload: ['/usr/bin/acmectl', '/etc/opt/acme/acme.conf'], marked: [true] });
  const unknown = await run('without');
  t.same(unknown, { code: 0, verdict: 'safe', rules: ['unknown-command'], payload: undefined, marked: [undefined] });
  await t.rejects(runCommand.run(['script', '--phase', 'preremove', '--payload', 'bin/acmectl'], io(cwd)), { code: 'USAGE' }, 'a payload path is absolute');
});

t.test('where ksh93 stops tracing, the finding says its line may be earlier than the event', { skip }, async (t) => {
  const image = await testImage();
  const script = [
    '#!/sbin/sh',
    'function probe_cron { kill -0 $(cat /var/run/cron.pid); }',
    'probe_cron',
    'kill -0 $(cat /var/run/syslog.pid)',
    'exec 2>/dev/null',
    'echo quiet',
    'kill -0 $(cat /var/run/inetd.pid)',
    'exit 0',
    '',
  ].join('\n');
  const cwd = t.testdir({ quiet: script });
  const out = await runScript({ scriptPath: 'quiet', phase: 'postinstall' }, { io: io(cwd), client, image });
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as {
    findings: { rule: string; target?: string; location?: { line: number; caveat?: string } }[];
  };
  const probes = report.findings.filter((f) => f.rule === 'signal-probe');
  t.same(
    probes.map((f) => [f.target?.replace(/ .*/, ''), f.location?.line, f.location?.caveat?.replace(/:.*/, '')]),
    [
      // The body is not traced: the call is the line, and the caveat names the function.
      ['cron', 3, '`probe_cron` is a ksh function (`function probe_cron`, line 2), whose body ksh93 does not trace'],
      // Traced: exact.
      ['syslogd', 4, undefined],
      // After exec 2>/dev/null ksh93 writes no marker: the kill on line 7 shows line 5, and says so.
      ['inetd', 5, 'the shell traces no line after this one while its stderr goes to /dev/null or is closed'],
    ],
  );
  const r = await runCli(['analyze', out.runDir], cwd);
  t.match(r.stdout, /script +\S+:5: exec 2>\/dev\/null\n(?:.*\n)*? +caveat +the shell traces no line after this one/, 'the text report shows the caveat');
});

t.test('--booted-overlay lays a tree over the booted template: the clone carries it into the jail', { skip }, async (t) => {
  const image = await testImage();
  const cwd = t.testdir({
    booted: { etc: { 'drdsafe-marker.conf': 'MARKER=from-the-host\n' } },
    'read-marker': '#!/sbin/sh\ncat /etc/drdsafe-marker.conf\nexit 0\n',
  });
  const out = await runScript({ scriptPath: 'read-marker', phase: 'postinstall', analyze: false, bootedDir: 'booted' }, { io: io(cwd), client, image });
  t.equal(await readFile(path.join(out.runDir, 'stdout.txt'), 'utf8'), 'MARKER=from-the-host\n');
  t.equal(out.result.finished, true);
});

t.test('aborting a run removes its container and reports ABORTED', { skip }, async (t) => {
  const image = await testImage();
  const session = newSession();
  const cwd = t.testdir({ 'slow-script': '#!/sbin/sh\nsleep 30\nexit 0\n' });
  const controller = new AbortController();
  const started = Date.now();
  const pending = runScript({ scriptPath: 'slow-script', phase: 'postinstall', analyze: false }, { io: io(cwd, controller.signal), client, session, image });
  setTimeout(() => controller.abort(new Error('SIGINT')), 1500);
  await t.rejects(pending, { code: 'ABORTED' });
  t.ok(Date.now() - started < 20_000, 'did not wait for the script');
  t.same(await client.listContainers({ [LABEL.session]: session.id }), []);
});

t.test('a phase timeout ends the script and is recorded as the limit hit', { skip }, async (t) => {
  const image = await testImage();
  const cwd = t.testdir({ 'slow-script': '#!/sbin/sh\nsleep 30\nexit 0\n' });
  const out = await runScript({ scriptPath: 'slow-script', phase: 'postinstall', analyze: false, timeoutSeconds: 1 }, { io: io(cwd), client, image });
  t.equal(out.result.finished, false);
  t.equal(out.result.limitHit, 'timeout');
});
