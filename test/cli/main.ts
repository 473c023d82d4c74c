import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../fixtures/cli/capture-io.js';

t.test('help lists every command and exits 0; no command is a usage error', async (t) => {
  const help = await runCli(['--help'], process.cwd());
  t.equal(help.code, 0);
  for (const name of ['analyze', 'run', 'corpus', 'image', 'gc']) t.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
  const none = await runCli([], process.cwd());
  t.equal(none.code, 2);
  t.match(none.stderr, /Usage: drdsafe <command>/);
});

t.test('an unknown command names itself and exits 2', async (t) => {
  const r = await runCli(['anlyze'], process.cwd());
  t.equal(r.code, 2);
  t.match(r.stderr, /unknown command `anlyze`/);
});

t.test('command help', async (t) => {
  const r = await runCli(['analyze', '--help'], process.cwd());
  t.equal(r.code, 0);
  t.match(r.stdout, /--fail-on/);
});

t.test('analyze: bad input is a usage error with a hint, no stack', async (t) => {
  const dir = t.testdir({ 'trace.txt': '1 execve("/bin/true", ["true"], 0x0 /* 0 vars */) = 0\n' });
  const cases: [string[], RegExp][] = [
    [['analyze'], /no trace file or run directory given/],
    [['analyze', 'missing.txt'], /no such trace file or run directory: missing\.txt/],
    [['analyze', 'trace.txt'], /no tree layout.*\n.*--booted DIR and --inactive DIR/],
    [
      ['analyze', 'trace.txt', '--format', 'xml', '--booted', '/b', '--inactive', '/i'],
      /Expected `--format` to be one of `text`, `json`, `sarif`, `junit`, `html`, got `xml`/,
    ],
    [['analyze', 'trace.txt', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv, dir);
    t.equal(r.code, 2, argv.join(' '));
    t.match(r.stderr, message, argv.join(' '));
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

t.test('analyze: a broken policy names file, line and column of every problem', async (t) => {
  const dir = t.testdir({
    'trace.txt': '1 execve("/bin/true", ["true"], 0x0 /* 0 vars */) = 0\n',
    'bad.yaml': 'extends: drd-safe\nrules:\n  - id: x\n    severity: fatal\n    title: t\n    reference: r\n    match: { class: nope }\n    message: m\n',
  });
  const r = await runCli(['analyze', 'trace.txt', '--booted', '/b', '--inactive', '/i', '--policy', 'bad.yaml'], dir);
  t.equal(r.code, 2);
  t.match(r.stderr, /bad\.yaml:4:\d+: .*severity/);
  t.match(r.stderr, /bad\.yaml:7:\d+: /);
});

t.test('analyze: a bare trace with trees given is judged, report written beside it', async (t) => {
  const dir = t.testdir({
    'trace.txt': [
      '100   1.000000 execve("/bin/sh", ["/bin/sh", "-c", "kill -9 1"], 0x7ffd /* 3 vars */) = 0 <0.000100>',
      '100   1.000100 kill(1, SIGKILL) = -1 EPERM (Operation not permitted) <0.000003>',
      '100   1.000200 +++ exited with 0 +++',
      '',
    ].join('\n'),
  });
  const r = await runCli(['analyze', 'trace.txt', '--booted', '/b', '--inactive', '/i', '--format', 'json'], dir);
  const report = JSON.parse(r.stdout) as { summary: { verdict: string; exitCode: number }; findings: { rule: string }[] };
  t.equal(report.summary.verdict, 'unsafe');
  t.same([...new Set(report.findings.map((f) => f.rule))], ['illegal-kill']);
  t.equal(r.code, 1);
  const never = await runCli(['analyze', 'trace.txt', '--booted', '/b', '--inactive', '/i', '--fail-on', 'never'], dir);
  t.equal(never.code, 0);
  t.match(never.stdout, /Verdict: UNSAFE/);
  t.match(never.stderr, /^report: trace\.txt\.report\.json$/m, 'the report named relative to where the user is');
  // Outside the working directory: the absolute path, not a chain of `../`.
  const elsewhere = path.join(await mkdtemp(path.join(os.tmpdir(), 'drdsafe-report-')), 'r.json');
  t.teardown(() => rm(path.dirname(elsewhere), { recursive: true, force: true }));
  const away = await runCli(['analyze', 'trace.txt', '--booted', '/b', '--inactive', '/i', '--report', elsewhere], dir);
  t.match(away.stderr, new RegExp(`^report: ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
});

t.test('analyze: garbage lines make the verdict indeterminate, with file:line', async (t) => {
  const dir = t.testdir({
    'trace.txt': [
      '100   1.000000 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0',
      '\u0000\u0001 garbage ((((',
      '100   1.1 +++ exited with 0 +++',
      '',
    ].join('\n'),
  });
  const r = await runCli(['analyze', 'trace.txt', '--booted', '/b', '--inactive', '/i'], dir);
  t.equal(r.code, 3);
  t.match(r.stdout, /trace\.txt:2: /);
  t.match(r.stdout, /Verdict: INDETERMINATE/);
});
