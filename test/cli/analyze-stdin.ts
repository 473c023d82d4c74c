import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../harness/project-root.js';

// The CLI from its sources, as a process whose standard input is a pipe (what `strace -o /dev/stdout ... |` gives).
const CLI = [
  '--import',
  pathToFileURL(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  path.join(PROJECT_ROOT, 'harness', 'cli', 'main.ts'),
];
const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden', 's01-kill-9-pid');
const LAYOUT = ['--booted', '/images/booted', '--inactive', '/images/inactive'];

t.test('analyze - reads the trace from standard input', async (t) => {
  const trace = await readFile(path.join(GOLDEN, 'trace.txt'), 'latin1');
  const report = path.join(t.testdir({}), 'report.json');
  const r = await execa(process.execPath, [...CLI, 'analyze', '-', ...LAYOUT, '--format', 'json', '--report', report], {
    input: trace,
    reject: false,
    cwd: PROJECT_ROOT,
  });
  t.equal(r.exitCode, 1, r.stderr);
  const printed = JSON.parse(r.stdout) as { findings: { rule: string; event: { line: number } }[]; inputs: { trace: string; traceBytes: number } };
  t.same([...new Set(printed.findings.map((f) => f.rule))], ['illegal-kill']);
  t.equal(printed.inputs.traceBytes, Buffer.byteLength(trace, 'latin1'), 'the size is what came through the pipe');
  t.equal(printed.inputs.trace, '<stdin>');
  t.match(printed.findings[0]?.event.line, Number);
  const written = JSON.parse(await readFile(report, 'utf8')) as { findings: unknown[] };
  t.equal(written.findings.length, printed.findings.length, 'report.json went where --report said');
});

t.test('analyze - without --report says where the report must go, before reading anything', async (t) => {
  const r = await execa(process.execPath, [...CLI, 'analyze', '-', ...LAYOUT], { input: 'garbage\n', reject: false, cwd: PROJECT_ROOT });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /a trace read from standard input needs --report FILE/);
});

t.test('analyze of a named pipe reads it as it is written', async (t) => {
  const dir = t.testdir({});
  const fifo = path.join(dir, 'trace.fifo');
  await execa('mkfifo', [fifo]);
  const trace = await readFile(path.join(GOLDEN, 'trace.txt'));
  // The writer blocks until drdsafe opens the pipe, as strace -o FIFO would.
  const writer = writeFile(fifo, trace);
  const r = await execa(process.execPath, [...CLI, 'analyze', fifo, ...LAYOUT, '--format', 'json'], { reject: false, cwd: PROJECT_ROOT });
  await writer;
  t.equal(r.exitCode, 1, r.stderr);
  const printed = JSON.parse(r.stdout) as { findings: { rule: string }[]; inputs: { traceBytes: number } };
  t.same([...new Set(printed.findings.map((f) => f.rule))], ['illegal-kill']);
  t.equal(printed.inputs.traceBytes, trace.length);
  t.ok(JSON.parse(await readFile(`${fifo}.report.json`, 'utf8')), 'report.json beside the pipe');
});
