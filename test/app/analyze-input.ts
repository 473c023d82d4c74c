import t from 'tap';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { resolveAnalyzeInput } from '../../harness/app/analyze-input.js';
import type { CliIo } from '../../harness/app/io.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden', 's01-kill-9-pid');
const quiet = new Writable({ write: (_c, _e, done) => done() });
const io = (cwd: string, stdin?: Readable): CliIo => ({
  stdout: quiet,
  stderr: quiet,
  env: {},
  cwd,
  signal: new AbortController().signal,
  interactive: false,
  ...(stdin ? { stdin: () => stdin } : {}),
});

t.test('a run directory: its files through the contract, report.json beside them', async (t) => {
  const input = await resolveAnalyzeInput(GOLDEN, {}, io(PROJECT_ROOT));
  t.equal(input.tracePath, path.join(GOLDEN, 'trace.txt'));
  t.equal(input.streamed, false);
  t.ok(input.traceBytes! > 0);
  t.equal(input.run?.dir, GOLDEN);
  t.same(input.meta.trees, input.run?.metadata?.trees);
  t.equal(input.reportPath, path.join(GOLDEN, 'report.json'));
  const shared = await resolveAnalyzeInput(GOLDEN, { shared: ['/var/opt/shared'], reportPath: 'r.json' }, io('/tmp'));
  t.same(
    shared.meta.trees.shared,
    [{ jailPath: '/var/opt/shared', inactivePath: '/images/inactive/var/opt/shared', bootedPath: '/images/booted/var/opt/shared' }],
    '--shared overrides',
  );
  t.equal(shared.reportPath, '/tmp/r.json');
});

t.test('a bare trace: tree roots from the options, or a usage error', async (t) => {
  const dir = t.testdir({ 'x.trace': '1 1.0 exit_group(0) = ?\n' });
  await t.rejects(resolveAnalyzeInput('x.trace', {}, io(dir)), { code: 'USAGE', message: /no tree layout for x\.trace/ });
  const input = await resolveAnalyzeInput('x.trace', { booted: '/b', inactive: '/i' }, io(dir));
  t.same(input.meta, { schemaVersion: 1, daemons: [], trees: { booted: '/b', inactive: '/i', shared: [], sandbox: [] } });
  t.equal(input.run, undefined);
  t.equal(input.reportPath, path.join(dir, 'x.trace.report.json'));
});

t.test('bad inputs are refused before anything is read', async (t) => {
  const dir = t.testdir({ empty: {} });
  await t.rejects(resolveAnalyzeInput('missing', {}, io(dir)), { code: 'INPUT_NOT_FOUND', message: /no such trace file or run directory: missing/ });
  await t.rejects(resolveAnalyzeInput('empty', {}, io(dir)), { code: 'INPUT_NOT_FOUND', message: /the run directory has no trace\.txt: empty/ });
  await t.rejects(resolveAnalyzeInput('-', {}, io(dir, Readable.from([]))), { code: 'USAGE', message: /needs --report FILE/ });
  await t.rejects(resolveAnalyzeInput('-', { reportPath: 'r.json' }, io(dir)), { code: 'USAGE', message: /no standard input/ });
  const stdin = Readable.from([]);
  const piped = await resolveAnalyzeInput('-', { reportPath: 'r.json', booted: '/b', inactive: '/i' }, io(dir, stdin));
  t.equal(piped.streamed, true);
  t.equal(piped.stdin, stdin);
  t.equal(piped.tracePath, '<stdin>');
});
