import t from 'tap';
import { PassThrough } from 'node:stream';
import { gcCommand } from '../../harness/cli/gc-command.js';
import type { CliIo } from '../../harness/app/io.js';

const io = (): CliIo => ({ stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/', signal: new AbortController().signal, interactive: false });

t.test('gc takes no positional arguments and only its own options', async (t) => {
  await t.rejects(gcCommand.run(['everything'], io()), { code: 'USAGE' });
  await t.rejects(gcCommand.run(['--force'], io()), { code: 'USAGE' });
});
