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
  await t.rejects(runCommand.run(['script', '--phase', 'postinstal'], io(dir)), {
    code: 'USAGE',
    message: 'unknown phase `postinstal`; did you mean `postinstall`?',
  });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--timeout', 'soon'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--format', 'xml'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--bogus'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', 'many'], io(dir)), {
    code: 'USAGE',
    message: /--explore/,
    hint: /--explore 0/,
  });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', '-1'], io(dir)), { code: 'USAGE' });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--explore', '99'], io(dir)), { code: 'USAGE', message: /from 0 to 32/ });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--compare', '--no-compare'], io(dir)), { code: 'USAGE', message: /contradict/ });
  // A terminal's answers cannot be given again to each variant.
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--interactive', '--explore', '2'], io(dir)), {
    code: 'USAGE',
    message: /--interactive/,
    hint: /--explore 0/,
  });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--interactive', '--compare'], io(dir)), { code: 'USAGE' });
});

t.test("a package takes the package options and refuses the single script's; a script the other way round", async (t) => {
  const dir = t.testdir({ script: '#!/sbin/sh\nexit 0\n', pkg: { preinstall: '#!/sbin/sh\nexit 0\n' } });
  await t.rejects(runCommand.run(['pkg', '--phase', 'preinstall'], io(dir)), {
    code: 'USAGE',
    message: /--phase applies to a single control script, and pkg is a package \(script-dir\)/,
  });
  await t.rejects(runCommand.run(['pkg', '--operation', 'erase'], io(dir)), { code: 'USAGE', message: /--operation/ });
  await t.rejects(runCommand.run(['script', '--phase', 'preinstall', '--operation', 'remove'], io(dir)), {
    code: 'USAGE',
    message: /--operation applies to a package/,
  });
  await t.rejects(runCommand.run(['pkg', '--from', 'pkg'], io(dir)), { code: 'USAGE', message: /--from applies to --operation upgrade only/ });
});

t.test('a malformed package is refused with file, line and problem (exit 2), before any container', async (t) => {
  const dir = t.testdir({ 'bad.psf': 'product\n  tag P\n  revision\n  fileset\n    tag F\n' });
  await t.rejects(runCommand.run(['bad.psf'], io(dir)), { code: 'INPUT_INVALID', exitCode: 2, message: /bad\.psf:3:\d+: / });
});

t.test('a missing script is INPUT_NOT_FOUND naming the path', async (t) => {
  const dir = t.testdir({});
  await t.rejects(runCommand.run(['corpus/missing/script', '--phase', 'preinstall'], io(dir)), {
    code: 'INPUT_NOT_FOUND',
    message: /corpus\/missing\/script/,
  });
});

t.test('help names every option', async (t) => {
  for (const option of [
    '--phase',
    '--policy',
    '--out',
    '--format',
    '--timeout',
    '--shared',
    '--booted-overlay',
    '--trace-all',
    '--keep',
    '--interactive',
    '--operation',
    '--from',
    '--installed',
    '--boot-phase',
  ]) {
    t.match(runCommand.help, option);
  }
});
