import t from 'tap';
import path from 'node:path';
import { createRunDir, runId, scriptLabel, timestamp } from '../../harness/app/run-dir.js';

t.test('run ids: timestamp, script name (its folder for generic names), phase', async (t) => {
  const date = new Date(Date.UTC(2025, 10, 22, 4, 30, 12, 7));
  t.equal(timestamp(date), '20251122-043012-007');
  t.equal(runId('corpus/s01-kill-9-pid/script', 'preinstall', date), '20251122-043012-007-s01-kill-9-pid-preinstall');
  t.equal(scriptLabel('/x/my postinstall.sh'), 'my_postinstall');
});

t.test('run directories are never shared: a second one with the same id gets a suffix', async (t) => {
  const root = t.testdir({});
  const a = await createRunDir({ runsDir: path.join(root, 'runs'), id: 'x' });
  const b = await createRunDir({ runsDir: path.join(root, 'runs'), id: 'x' });
  t.equal(path.basename(a), 'x');
  t.equal(path.basename(b), 'x-2');
  t.equal(await createRunDir({ runsDir: 'unused', id: 'x', outDir: path.join(root, 'mine') }), path.join(root, 'mine'));
});
