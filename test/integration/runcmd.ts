/**
 * `drdsafe runcmd` through the real sandbox: a command drd runcmd does not
 * run (ls, a symlink to swinstall) gets runcmd's ERROR and exit 1 and the
 * trace shows it never ran; swinstall becomes a session with autoreboot
 * ignored; kctune asks its backup question on the user's terminal and its
 * harmless WARNING is called harmless.
 */
import t from 'tap';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { main } from '../../harness/cli/main.js';
import type { CliIo } from '../../harness/app/io.js';
import { readSessionRecord } from '../../harness/contract/session-record.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { runInPty } from '../fixtures/process/run-in-pty.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();
const EXAMPLES = path.join(PROJECT_ROOT, 'examples', 'packages');

/** drdsafe's CLI in this process: exit code, stdout and stderr. */
async function drdsafe(cwd: string, ...argv: string[]) {
  await testImage();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = { stdout, stderr, env: process.env, cwd, signal: new AbortController().signal, interactive: false };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The programs a trace shows executed (execve's first argument, successful or not). */
async function execs(traceFile: string): Promise<string[]> {
  const trace = await readFile(traceFile, 'utf8');
  return [...trace.matchAll(/execve\("([^"]+)"/g)].map((m) => m[1]!);
}

t.test("drdsafe runcmd ls: runcmd's ERROR, exit 1, and no exec of ls in the trace", { skip }, async (t) => {
  const dir = t.testdir({});
  const r = await drdsafe(dir, 'runcmd', '--out', 'out', 'ls', '-l', '/');
  t.equal(r.code, 1);
  t.match(r.err, /ERROR: {3}The command "ls" is not DRD-safe/);
  const programs = await execs(path.join(dir, 'out', 'trace.txt'));
  t.ok(programs.includes('/opt/drd/bin/drd'), "runcmd's front end ran in the jail");
  t.notOk(
    programs.some((p) => path.basename(p) === 'ls'),
    `no exec of ls (${programs.join(', ')})`,
  );
});

t.test('a symlink to swinstall is refused, in the image and on this host', { skip }, async (t) => {
  const dir = t.testdir({ overlay: { usr: { local: { sbin: {} } } } });
  await symlink('/usr/sbin/swinstall', path.join(dir, 'overlay', 'usr', 'local', 'sbin', 'swinstall'));
  const r = await drdsafe(dir, 'runcmd', '--booted-overlay', 'overlay', '--out', 'out', '/usr/local/sbin/swinstall', '-s', '/var/depots/x', 'X');
  t.equal(r.code, 1);
  t.match(r.err, /The path "\/usr\/local\/sbin\/swinstall" is a symbolic link\. Paths that are symlinks to DRD-safe commands are not supported/);
  const programs = await execs(path.join(dir, 'out', 'trace.txt'));
  t.notOk(
    programs.some((p) => p.endsWith('/swinstall')),
    'swinstall never ran',
  );
  await symlink('/usr/sbin/swinstall', path.join(dir, 'swinstall'));
  const host = await drdsafe(dir, 'runcmd', '--out', 'out2', path.join(dir, 'swinstall'), '-s', 'x');
  t.equal(host.code, 1, 'a path on this host that is a symlink: refused too');
  t.match(host.err, /ERROR:/);
});

t.test("swinstall through runcmd: an install session, -x autoreboot=true ignored with a note, drd runcmd's exit code", { skip }, async (t) => {
  const dir = t.testdir({});
  const r = await drdsafe(EXAMPLES, 'runcmd', '--out', path.join(dir, 'out'), 'swinstall', '-x', 'autoreboot=true', '-s', 'drd-safe/acmesafe.psf', 'ACMESAFE');
  t.equal(r.code, 0);
  t.match(r.err, /NOTE: {4}-x autoreboot=true is ignored: drd runcmd suppresses all reboots/);
  t.match(r.out, /Verdict: SAFE/);
  const record = await readSessionRecord(path.join(dir, 'out', 'session.json'));
  t.match(record, {
    operation: 'install',
    runcmd: true,
    command: ['swinstall', '-x', 'autoreboot=true', '-s', 'drd-safe/acmesafe.psf', 'ACMESAFE'],
    status: 'success',
    exitCode: 0,
  });
});

t.test('swverify -F through runcmd: fix scripts refused by runcmd, exit 1', { skip }, async (t) => {
  const dir = t.testdir({});
  const r = await drdsafe(dir, 'runcmd', '--out', 'out', 'swverify', '-F', 'ACMESAFE');
  t.equal(r.code, 1);
  t.match(r.err, /runs fix scripts, which drd runcmd does not support/);
  t.notOk((await execs(path.join(dir, 'out', 'trace.txt'))).some((p) => p.endsWith('/swverify')));
});

// drdsafe from its sources in one node process (as test/integration/interactive-run.ts does).
const CLI = [
  '--import',
  pathToFileURL(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  path.join(PROJECT_ROOT, 'harness', 'cli', 'main.ts'),
];

t.test('kctune through runcmd asks its backup question on the terminal; the WARNING after `y` is called harmless', { skip }, async (t) => {
  await testImage();
  const dir = t.testdir({});
  const result = await runInPty(process.execPath, [...CLI, 'runcmd', '--out', path.join(dir, 'out'), 'kctune', 'maxuprc=4000'], {
    timeoutMs: 300_000,
    signal: new AbortController().signal,
    cwd: dir,
    cols: 200,
    answers: [{ prompt: /Update the automatic 'backup' configuration first\? /, reply: 'y\r' }],
  }).catch((error: unknown) => error as Error);
  t.notOk(result instanceof Error, String(result));
  if (result instanceof Error) return;
  t.match(result.output, /WARNING: The backup behavior 'yes' is not supported in alternate/);
  t.match(result.output, /NOTE:\s+The WARNING about the backup behavior 'yes' is harmless/);
  t.equal(result.exitCode, 0, 'kctune succeeded: drd runcmd exits 0');
  t.ok((await execs(path.join(dir, 'out', 'trace.txt'))).includes('/usr/sbin/kctune'), "kctune ran on the inactive image through runcmd's front end");
});
