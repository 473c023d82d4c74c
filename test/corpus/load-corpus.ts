import t from 'tap';
import path from 'node:path';
import { FileProblemsError } from '../../harness/errors.js';
import { loadCorpus, loadCase, parseExpect } from '../../harness/corpus/load-corpus.js';

t.test('loads a folder of cases sorted by name', async (t) => {
  const dir = t.testdir({
    b: { script: '#!/sbin/sh\nexit 0\n', 'expect.yaml': 'phase: preinstall\nverdict: safe\n' },
    a: {
      script: '#!/sbin/sh\nkill 1\n',
      'expect.yaml': 'phase: postinstall\nverdict: unsafe\nany-of: [illegal-kill]\nexactly: [illegal-kill, signal-probe]\ntimeout: 30\n',
    },
    notes: {},
  });
  const cases = await loadCorpus(dir);
  t.same(
    cases.map((c) => [c.name, c.phase, c.verdict, c.anyOf, c.exactly, c.timeoutSeconds, c.warnings]),
    [
      ['a', 'postinstall', 'unsafe', ['illegal-kill'], ['illegal-kill', 'signal-probe'], 30, []],
      ['b', 'preinstall', 'safe', [], undefined, undefined, []],
    ],
  );
});

t.test('bad expect.yaml: every problem named, at its line and column, from the schema', async (t) => {
  const dir = t.testdir({ script: 'x', 'expect.yaml': 'phase: install\nverdict: maybe\nany-of: 3\nexcatly: [x]\nshared: [var/opt]\n' });
  const error = await loadCase(dir).catch((e: unknown) => e);
  t.type(error, FileProblemsError);
  t.equal((error as FileProblemsError).code, 'INPUT_INVALID');
  t.match((error as FileProblemsError).problems, [
    { path: 'phase', line: 1, col: 8, message: /^Expected `phase` to be one of `checkinstall`, .*got `install` \(string\)/ },
    { path: 'verdict', line: 2, col: 10, message: 'Expected `verdict` to be one of `safe`, `unsafe`, `indeterminate`, got `maybe` (string)' },
    { path: 'any-of', line: 3, col: 9, message: 'Expected `any-of` to be an array of rule ids, got `3` (number)' },
    { path: 'excatly', line: 4, col: 1, message: 'Unknown key `excatly`; did you mean `exactly`?' },
    { path: 'shared[0]', line: 5, col: 10, message: 'Expected `shared[0]` to be an absolute path, got `var/opt` (string)' },
  ]);
  t.equal((error as FileProblemsError).problems.length, 5);
  t.match((error as FileProblemsError).problems[0]?.file, /expect\.yaml$/);
});

t.test('the old key names are read, with a warning naming the new one', async (t) => {
  const old = parseExpect('phase: preinstall\nverdict: unsafe\nrules: [illegal-kill]\nfires: [illegal-kill]\n', 'e.yaml');
  t.match(old, { anyOf: ['illegal-kill'], exactly: ['illegal-kill'] });
  t.same(old.warnings, [
    { file: 'e.yaml', path: 'rules', line: 3, col: 1, message: '`rules` is deprecated: write `any-of`' },
    { file: 'e.yaml', path: 'fires', line: 4, col: 1, message: '`fires` is deprecated: write `exactly`' },
  ]);
  const dir = t.testdir({ script: 'x', 'expect.yaml': 'phase: preinstall\nverdict: unsafe\nrules: [illegal-kill]\nfires: [illegal-kill]\n' });
  t.match(await loadCase(dir), { anyOf: ['illegal-kill'], exactly: ['illegal-kill'], warnings: [{ path: 'rules' }, { path: 'fires' }] });
  const problemsOf = (source: string, file: string): unknown => {
    try {
      parseExpect(source, file);
      return undefined;
    } catch (error) {
      return (error as FileProblemsError).problems;
    }
  };
  t.match(problemsOf('phase: preinstall\nverdict: safe\nrules: [a]\nany-of: [b]\n', 'both.yaml'), [
    { path: 'rules', line: 3, message: '`rules` is the old name of `any-of`; give one of them' },
  ]);
  t.match(
    problemsOf('phase: preinstall\nphase: postinstall\n', 'dup.yaml'),
    [{ file: 'dup.yaml', line: 2, message: /DUPLICATE_KEY/ }],
    'YAML syntax problems are named with their place too',
  );
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
  t.same([plain.explore, plain.compare, plain.guarded], [undefined, undefined, []], "unset: drdsafe run's defaults");
  const tuned = await loadCase(path.join(dir, 'tuned'));
  t.same([tuned.explore, tuned.compare, tuned.guarded], [0, true, [4, 7]]);
  const bad = await loadCase(path.join(dir, 'bad')).then(
    () => undefined,
    (e: unknown) => e as { code?: string; problems?: { path?: string; line?: number }[] },
  );
  t.equal(bad?.code, 'INPUT_INVALID');
  t.same(
    bad?.problems?.map((p) => [p.path, p.line]),
    [
      ['explore', 3],
      ['compare', 4],
      ['guarded[0]', 5],
    ],
    'each bad key named at its line',
  );
});
