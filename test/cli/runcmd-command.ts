import t from 'tap';
import { PassThrough } from 'node:stream';
import { runcmdCommand } from '../../harness/cli/runcmd-command.js';
import type { CliIo } from '../../harness/app/io.js';

function io(cwd: string): CliIo {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd, signal: new AbortController().signal, interactive: false };
}

t.test('usage errors before anything runs: no command, an option without its value, what drdsafe cannot emulate', async (t) => {
  const dir = t.testdir({});
  await t.rejects(runcmdCommand.run([], io(dir)), { code: 'USAGE', message: 'no command given' });
  await t.rejects(runcmdCommand.run(['--out'], io(dir)), { code: 'USAGE', message: '--out needs a value' });
  await t.rejects(runcmdCommand.run(['--timeout', 'soon', 'swlist'], io(dir)), { code: 'USAGE' });
  await t.rejects(runcmdCommand.run(['swinstall', 'ACME'], io(dir)), { code: 'USAGE', message: /needs -s/ });
  await t.rejects(runcmdCommand.run(['swremove', 'ACME'], io(dir)), { code: 'USAGE', message: /nothing installed holds it/, hint: /--installed/ });
});

t.test('help names the DRD-safe commands and the exit codes', async (t) => {
  for (const word of [
    'swinstall',
    'swremove',
    'swlist',
    'swmodify',
    'swverify',
    'swjob',
    'kctune',
    'update-ux',
    'view',
    '--installed',
    'autoreboot',
    'symlink',
  ])
    t.match(runcmdCommand.help, word);
  t.match(runcmdCommand.help, /0 success, 1 error, 2 warning/);
});
