import t from 'tap';
import { PassThrough } from 'node:stream';
import { runCommand } from '../../harness/cli/run-command.js';
import type { CliIo } from '../../harness/app/io.js';
import { PHASES } from '../../harness/contract/run-metadata.js';

function io(cwd: string): CliIo {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd, signal: new AbortController().signal, interactive: false };
}

t.test('usage errors are UserErrors with code USAGE, found before any work', async (t) => {
  const dir = t.testdir({ script: 'exit 0\n' });
  await t.rejects(runCommand.run(['--phase', 'preinstall'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script'], io(dir)), { code: 'USAGE', hint: new RegExp(PHASES.join(', ')) });
  await t.rejects(runCommand.run(['script', '--phase', 'install'], io(dir)), { code: 'USAGE', hint: /preinstall/ });
  await t.rejects(runCommand.run(['script', '--phase', 'postinstal'], io(dir)), { code: 'USAGE', message: 'unknown phase `postinstal`; did you mean `postinstall`?' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--timeout', 'soon'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--format', 'xml'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--bogus'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', 'many'], io(dir)), { code: 'USAGE', message: /--explore/, hint: /--explore 0/ });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', '-1'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', '99'], io(dir)), { code: 'USAGE', message: /from 0 to 32/ });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--compare', '--no-compare'], io(dir)), { code: 'USAGE', message: /contradict/ });
  // A terminal's answers cannot be given again to each variant.
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--interactive', '--explore', '2'], io(dir)), { code: 'USAGE', message: /--interactive/, hint: /--explore 0/ });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--interactive', '--compare'], io(dir)), { code: 'USAGE' });
});

t.test('a missing script is INPUT_NOT_FOUND naming the path', async (t) => {
  const dir = t.testdir({});
  await t.rejects(runCommand.run(['corpus/missing/script', '--phase', 'preinstall'], io(dir)), {
    code: 'INPUT_NOT_FOUND',
    message: /corpus\/missing\/script/,
  });
});

t.test('help names every option', async (t) => {
  for (const option of ['--phase', '--policy', '--out', '--format', '--timeout', '--shared', '--booted-overlay', '--trace-all', '--keep', '--interactive']) {
    t.match(runCommand.help, option);
  }
});
