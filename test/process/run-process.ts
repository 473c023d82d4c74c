import t from 'tap';
import { ExecaError } from 'execa';
import { runProcess } from '../../harness/process/run-process.js';
import { ProcessError } from '../../harness/errors.js';
import { fixture } from '../fixtures/process/paths.js';

const node = process.execPath;
const limits = () => ({ timeoutMs: 20_000, signal: new AbortController().signal });

t.test('resolves with stdout, stderr and streams stderr lines as they come', async (t) => {
  const seen: string[] = [];
  const result = await runProcess(node, [fixture('lines.js'), '3'], { ...limits(), onStderrLine: (l) => seen.push(l) });
  t.equal(result.exitCode, 0);
  t.equal(result.stdout, 'out 1\nout 2\nout 3');
  t.same(seen, ['err 1', 'err 2', 'err 3']);
  t.equal(result.stderr, 'err 1\nerr 2\nerr 3');
});

t.test('a non-zero exit rejects with PROCESS_FAILED, the ExecaError as cause and the stderr tail', async (t) => {
  const error = await runProcess(node, [fixture('lines.js'), '2', '7'], { ...limits(), hint: 'fix it' }).catch((e: unknown) => e);
  t.ok(error instanceof ProcessError);
  const pe = error as ProcessError;
  t.equal(pe.code, 'PROCESS_FAILED');
  t.ok(pe.cause instanceof ExecaError);
  t.equal((pe.cause as ExecaError).exitCode, 7);
  t.match(pe.message, /err 2/);
  t.equal(pe.hint, 'fix it');
  t.match(pe.command, /lines\.js 2 7$/);
});

t.test('a missing program rejects with PROCESS_FAILED and an install hint', async (t) => {
  const error = (await runProcess('/nonexistent/drdsafe-no-such-program', [], limits()).catch((e: unknown) => e)) as ProcessError;
  t.equal(error.code, 'PROCESS_FAILED');
  t.match(error.hint, /install/);
});

t.test('the timeout kills a program that runs forever', async (t) => {
  const started = Date.now();
  const error = (await runProcess(node, [fixture('forever.js')], { ...limits(), timeoutMs: 300 }).catch((e: unknown) => e)) as ProcessError;
  t.equal(error.code, 'PROCESS_TIMEOUT');
  t.ok((error.cause as ExecaError).timedOut);
  t.ok(Date.now() - started < 10_000);
});

t.test('aborting the signal kills the program', async (t) => {
  const controller = new AbortController();
  const pending = runProcess(node, [fixture('forever.js')], {
    timeoutMs: 60_000,
    signal: controller.signal,
    onStdoutLine: (l) => {
      if (l === 'ready') controller.abort();
    },
  });
  const error = (await pending.catch((e: unknown) => e)) as ProcessError;
  t.equal(error.code, 'ABORTED');
  t.ok((error.cause as ExecaError).isCanceled);
});

t.test('a program that ignores SIGTERM is killed with SIGKILL after the grace period', async (t) => {
  const controller = new AbortController();
  const pending = runProcess(node, [fixture('ignore-sigterm.js')], {
    timeoutMs: 60_000,
    signal: controller.signal,
    forceKillAfterDelayMs: 300,
    onStdoutLine: (l) => {
      if (l === 'ready') controller.abort();
    },
  });
  const error = (await pending.catch((e: unknown) => e)) as ProcessError;
  t.equal(error.code, 'ABORTED');
  const cause = error.cause as ExecaError;
  t.equal(cause.signal, 'SIGKILL');
  t.match(cause.stdout, /got SIGTERM, ignoring/);
});

t.test('the environment is exactly the one given, undefined values left out', async (t) => {
  const result = await runProcess(node, [fixture('env.js'), 'DRDSAFE_X'], { ...limits(), env: { DRDSAFE_X: 'yes', OTHER: undefined } });
  t.equal(result.stdout, 'DRDSAFE_X=yes');
  const unset = await runProcess(node, [fixture('env.js'), 'HOME'], { ...limits(), env: { DRDSAFE_X: 'yes' } });
  t.equal(unset.stdout, 'HOME=<unset>');
});

t.test('options are validated up front', async (t) => {
  await t.rejects(runProcess(node, [], { timeoutMs: 0, signal: new AbortController().signal }), { code: 'INTERNAL' });
  await t.rejects(runProcess(node, [], { timeoutMs: 10, signal: undefined as unknown as AbortSignal }), { code: 'INTERNAL' });
});
