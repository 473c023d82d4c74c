import t from 'tap';
import { text } from 'node:stream/consumers';
import { streamProcess } from '../../harness/process/stream-process.js';
import { fixture } from '../fixtures/process/paths.js';

const node = process.execPath;

t.test('stdout is a stream and the result settles on exit', async (t) => {
  const lines: string[] = [];
  const child = streamProcess(node, [fixture('lines.js'), '2'], {
    timeoutMs: 20_000,
    signal: new AbortController().signal,
    onStderrLine: (l) => lines.push(l),
  });
  t.equal(await text(child.stdout), 'out 1\nout 2\n');
  const result = await child.result;
  t.equal(result.exitCode, 0);
  t.same(lines, ['err 1', 'err 2']);
});

t.test('a failure rejects the result with PROCESS_FAILED', async (t) => {
  const child = streamProcess(node, [fixture('lines.js'), '1', '3'], { timeoutMs: 20_000, signal: new AbortController().signal });
  await text(child.stdout);
  await t.rejects(child.result, { code: 'PROCESS_FAILED' });
});

t.test('aborting ends a program that runs forever', async (t) => {
  const controller = new AbortController();
  const child = streamProcess(node, [fixture('forever.js')], { timeoutMs: 60_000, signal: controller.signal });
  child.stdout.once('data', () => controller.abort());
  child.stdout.resume();
  await t.rejects(child.result, { code: 'ABORTED' });
});
