import t from 'tap';
import { runInPty } from '../fixtures/process/run-in-pty.js';
import { fixture } from '../fixtures/process/paths.js';

const node = process.execPath;

t.test('runs on a terminal and collects the output', async (t) => {
  const result = await runInPty(node, ['-e', 'process.stdout.write(String(process.stdout.isTTY))'], {
    timeoutMs: 20_000,
    signal: new AbortController().signal,
  });
  t.equal(result.exitCode, 0);
  t.match(result.output, /true/);
});

t.test('a non-zero exit rejects with PROCESS_FAILED', async (t) => {
  await t.rejects(runInPty(node, [fixture('lines.js'), '1', '4'], { timeoutMs: 20_000, signal: new AbortController().signal }), {
    code: 'PROCESS_FAILED',
  });
});

t.test('abort kills a program that runs forever', async (t) => {
  const controller = new AbortController();
  const pending = runInPty(node, [fixture('forever.js')], {
    timeoutMs: 60_000,
    signal: controller.signal,
    onData: (d) => {
      if (d.includes('ready')) controller.abort();
    },
  });
  await t.rejects(pending, { code: 'ABORTED' });
});

t.test('a program that ignores SIGTERM is killed with SIGKILL after the grace period', async (t) => {
  let output = '';
  const started = Date.now();
  const pending = runInPty(node, [fixture('ignore-sigterm.js')], {
    timeoutMs: 1000,
    signal: new AbortController().signal,
    forceKillAfterDelayMs: 300,
    onData: (d) => (output += d),
  });
  await t.rejects(pending, { code: 'PROCESS_TIMEOUT' });
  t.match(output, /got SIGTERM, ignoring/);
  t.ok(Date.now() - started < 10_000);
});

t.test('undefined values in env are stripped, not passed', async (t) => {
  const result = await runInPty(node, [fixture('env.js'), 'DRDSAFE_Y'], {
    timeoutMs: 20_000,
    signal: new AbortController().signal,
    env: { DRDSAFE_Y: 'set', PATH: process.env.PATH, GONE: undefined },
  });
  t.match(result.output, /DRDSAFE_Y=set/);
});

t.test('an already aborted signal rejects without starting', async (t) => {
  const controller = new AbortController();
  controller.abort();
  await t.rejects(runInPty(node, [fixture('forever.js')], { timeoutMs: 1000, signal: controller.signal }), { code: 'ABORTED' });
});

t.test('answers prompts in order, each once its prompt shows', async (t) => {
  // Reads two answers from the terminal, the second asked only after the first came.
  const program = [
    "const rl = require('node:readline').createInterface({ input: process.stdin, output: process.stdout });",
    "rl.question('Proceed? ', (a) => rl.question('Name? ', (b) => { console.log(`got ${a}/${b} tty=${process.stdin.isTTY}`); rl.close(); }));",
  ].join('\n');
  const result = await runInPty(node, ['-e', program], {
    timeoutMs: 20_000,
    signal: new AbortController().signal,
    answers: [
      { prompt: /Proceed\? /, reply: 'y\r' },
      { prompt: /Name\? /, reply: 'drd\r' },
    ],
  });
  t.match(result.output, /got y\/drd tty=true/);
});
