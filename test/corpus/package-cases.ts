import t from 'tap';
import path from 'node:path';
import { readCorpus } from '../../harness/corpus/load-corpus.js';
import { isSessionExpectation, loadSessionCases } from '../../harness/corpus/package-cases.js';
import { checkSession } from '../../harness/corpus/check-session.js';
import type { Report } from '../../harness/report/report.js';
import { ROOT } from '../fixtures/sd/paths.js';

t.test('the example packages are package cases, each session well formed', async (t) => {
  const corpus = await readCorpus(path.join(ROOT, 'examples', 'packages'));
  t.same(corpus.cases, []);
  t.same(
    corpus.packages.map((p) => path.basename(p)),
    ['drd-safe', 'patch', 'unsafe', 'upgrade'],
  );
  const cases = (await Promise.all(corpus.packages.map(loadSessionCases))).flat();
  t.ok(cases.length >= 10);
  t.ok(cases.some((c) => c.runcmd[0] === 'swinstall') && cases.some((c) => c.runcmd[0] === 'swremove'));
});

t.test('every problem of an expect.yaml at once, with where', async (t) => {
  const dir = t.testdir({ 'expect.yaml': 'sessions:\n  - name: a\n    runcmd: swinstall\n    verdict: fine\n    exit: 7\n    steps: { "x": gone }\n' });
  await t.rejects(loadSessionCases(dir), {
    code: 'INPUT_INVALID',
    message: /sessions\[0\]\.runcmd: .*sessions\[0\]\.verdict: .*sessions\[0\]\.exit: .*sessions\[0\]\.steps\.x/,
  });
  t.ok(isSessionExpectation('# x\nsessions:\n'));
  t.notOk(isSessionExpectation('phase: preinstall\nverdict: safe\n'));
});

t.test('a session is checked for its verdict, rules, exit code and step outcomes', async (t) => {
  const report = { summary: { verdict: 'safe' }, findings: [], phases: [{ step: 'remove:preremove:P.B', outcome: 'excluded' }] } as unknown as Report;
  const c = {
    name: 'p/remove',
    dir: '.',
    runcmd: ['swremove', 'P'],
    installed: [],
    bootPhase: false,
    verdict: 'safe' as const,
    rules: [],
    exit: 0,
    steps: { 'remove:preremove:P.B': 'excluded' },
  };
  t.match(checkSession(c, report, 0), { ok: true });
  t.match(checkSession({ ...c, steps: { 'remove:preremove:P.B': 'ran' } }, report, 1), {
    ok: false,
    problems: ['exit 1, expected 0', 'step remove:preremove:P.B: excluded, expected ran'],
  });
});
