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

t.test('a case may change exploration and list the lines the guard proof must show guarded', async (t) => {
  const dir = t.testdir({
    plain: { script: 'x', 'expect.yaml': 'phase: preinstall\nverdict: safe\n' },
    tuned: { script: 'x', 'expect.yaml': 'phase: preinstall\nverdict: safe\nexplore: 0\ncompare: true\nguarded: [4, 7]\n' },
    bad: { script: 'x', 'expect.yaml': 'phase: preinstall\nverdict: safe\nexplore: two\ncompare: 1\nguarded: [x]\n' },
  });
  const plain = await loadCase(path.join(dir, 'plain'));
  t.same([plain.explore, plain.compare, plain.guarded], [undefined, undefined, []], 'unset: drdsafe run\'s defaults');
  const tuned = await loadCase(path.join(dir, 'tuned'));
  t.same([tuned.explore, tuned.compare, tuned.guarded], [0, true, [4, 7]]);
  await t.rejects(loadCase(path.join(dir, 'bad')), { code: 'INPUT_INVALID', message: /explore.*compare.*guarded/s });
});
