import t from 'tap';
import type { Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { readRunResult } from '../../harness/contract/run-result.js';
import { runInPty } from '../fixtures/process/run-in-pty.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL } from '../../harness/engine/labels.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();
// drdsafe from its sources in one node process: tsx's own CLI runs a second one and relays
// signals to it, so a Ctrl-C would arrive twice (the second quits without cleaning up).
const CLI = [
  '--import',
  pathToFileURL(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  path.join(PROJECT_ROOT, 'harness', 'cli', 'main.ts'),
];

// kctune asks its question only on a terminal (the seeds' drd runcmd notes); the answer
// `y` gets the alternate-root warning, because the script runs with SW_SESSION_IS_DRD=1.
const SCRIPT = [
  '#!/sbin/sh',
  'kctune maxuprc=4000',
  'echo "kctune: $?"',
  'print -n "Name? "',
  'read name',
  'echo "name: $name"',
  'read more || echo "input ended"',
  '',
].join('\n');

/** `drdsafe run` of SCRIPT on a terminal, answering its prompts with `answers`. */
async function runOnTerminal(t: Test, args: readonly string[], answers: readonly { prompt: RegExp; reply: string }[]) {
  const dir = t.testdir({ script: SCRIPT });
  await testImage();
  const result = await runInPty(
    process.execPath,
    [...CLI, 'run', path.join(dir, 'script'), '--phase', 'postinstall', '--out', path.join(dir, 'out'), ...args],
    {
      timeoutMs: 300_000,
      signal: new AbortController().signal,
      cwd: dir,
      cols: 200,
      answers,
    },
  ).catch((error: unknown) => error as Error);
  return { dir, result };
}

t.test('--interactive: the script asks on a terminal and gets what the user types', { skip }, async (t) => {
  const { dir, result } = await runOnTerminal(
    t,
    ['--interactive'],
    [
      { prompt: /Update the automatic 'backup' configuration first\? /, reply: 'y\r' },
      { prompt: /Name\? /, reply: 'drd\r' },
      // Ctrl-D: the user's end of input.
      { prompt: /name: drd/, reply: '\x04' },
    ],
  );
  t.notOk(result instanceof Error, String(result));
  if (result instanceof Error) return;
  t.match(result.output, /WARNING: The backup behavior 'yes' is not supported in alternate/);
  t.match(result.output, /Verdict: SAFE/);
  const stdout = await readFile(path.join(dir, 'out', 'stdout.txt'), 'utf8');
  t.match(stdout, /==> Update the automatic 'backup' configuration first\? WARNING/, 'what the script wrote on its terminal is kept');
  t.match(stdout, /^kctune: 0$/m);
  t.match(stdout, /^Name\? name: drd$/m, "the typed line reached `read` (the echo is the user terminal's, not kept)");
  t.match(stdout, /^input ended$/m, 'the end of input reached the script');
  t.notMatch(stdout, /\r/, 'stdout.txt holds plain newlines');
  const result_ = await readRunResult(path.join(dir, 'out', 'result.json'));
  t.match(result_, { interactive: true, exitCode: 0 });
});

t.test('without --interactive the script has no terminal, as SD runs it: no question', { skip }, async (t) => {
  const { dir, result } = await runOnTerminal(t, [], []);
  t.notOk(result instanceof Error, String(result));
  const stdout = await readFile(path.join(dir, 'out', 'stdout.txt'), 'utf8');
  t.notMatch(stdout, /backup/);
  t.match(stdout, /^Name\? name: $/m, 'read got end of file at once');
  const result_ = await readRunResult(path.join(dir, 'out', 'result.json'));
  t.equal(result_?.interactive, false);
});

t.test("Ctrl-C at the script's prompt cancels the run and leaves no container", { skip }, async (t) => {
  await testImage();
  const dir = t.testdir({});
  // A name of its own, which the run id (and so the container's run label) carries.
  const name = `wait-${randomUUID().slice(0, 8)}`;
  await writeFile(path.join(dir, name), '#!/sbin/sh\nprint -n "Ready? "\nread x\necho "got $x"\n');
  let output = '';
  const result = await runInPty(process.execPath, [...CLI, 'run', '-i', path.join(dir, name), '--phase', 'preinstall', '--out', path.join(dir, 'out')], {
    timeoutMs: 300_000,
    signal: new AbortController().signal,
    cwd: dir,
    cols: 200,
    onData: (d) => (output += d),
    // Ctrl-C: the terminal sends SIGINT to drdsafe, as when a user presses it.
    answers: [{ prompt: /Ready\? /, reply: '\x03' }],
  }).catch((error: unknown) => error as Error);
  // Killed by the re-raised SIGINT (the built CLI) or exit code 130 (from the sources, where tsx keeps a SIGINT listener).
  t.match(result, { code: 'PROCESS_FAILED', message: /killed by signal 2|exit code 130/ }, 'drdsafe cleans up, then ends as SIGINT would');
  t.match(output, /the run was cancelled/);
  t.match(output, /SIGINT received, cleaning up/);
  t.notMatch(output, /got /, 'the script never got an answer');
  const left = await new DockerContainerClient().listContainers({ [LABEL.run]: '' });
  t.same(
    left.filter((c) => (c.labels[LABEL.run] ?? '').includes(name)).map((c) => c.id),
    [],
    'its container is gone',
  );
});
