import t from 'tap';
import { PassThrough } from 'node:stream';
import { imageCommand } from '../../harness/cli/image-command.js';
import type { CliIo } from '../../harness/app/io.js';

const io = (): CliIo => ({ stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/', signal: new AbortController().signal, interactive: false });

t.test('only `image build` exists', async (t) => {
  await t.rejects(imageCommand.run([], io()), { code: 'USAGE' });
  await t.rejects(imageCommand.run(['push'], io()), { code: 'USAGE' });
  await t.rejects(imageCommand.run(['build', '--fast'], io()), { code: 'USAGE' });
});
