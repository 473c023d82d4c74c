import t from 'tap';
import path from 'node:path';
import { loadCorpus, loadCase } from '../../harness/corpus/load-corpus.js';

t.test('loads a folder of cases sorted by name', async (t) => {
  const dir = t.testdir({
    b: { script: '#!/sbin/sh\nexit 0\n', 'expect.yaml': 'phase: preinstall\nverdict: safe\n' },
    a: { script: '#!/sbin/sh\nkill 1\n', 'expect.yaml': 'phase: postinstall\nverdict: unsafe\nrules: [illegal-kill]\n' },
    notes: {},
  });
  const cases = await loadCorpus(dir);
  t.same(cases.map((c) => [c.name, c.phase, c.verdict, c.rules]), [
    ['a', 'postinstall', 'unsafe', ['illegal-kill']],
    ['b', 'preinstall', 'safe', []],
  ]);
});

t.test('bad expect.yaml: every problem named', async (t) => {
  const dir = t.testdir({ script: 'x', 'expect.yaml': 'phase: install\nverdict: maybe\nrules: 3\n' });
  await t.rejects(loadCase(dir), { code: 'INPUT_INVALID', message: /phase.*verdict.*rules/s });
});

t.test('missing pieces are INPUT_NOT_FOUND', async (t) => {
  const dir = t.testdir({ c: { 'expect.yaml': 'phase: preinstall\nverdict: safe\n' } });
  await t.rejects(loadCase(path.join(dir, 'c')), { code: 'INPUT_NOT_FOUND', message: /no script/ });
  await t.rejects(loadCorpus(path.join(dir, 'nope')), { code: 'INPUT_NOT_FOUND' });
});
