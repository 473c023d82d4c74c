import t from 'tap';
import { checkCase } from '../../harness/corpus/check-case.js';
import type { CorpusCase } from '../../harness/corpus/load-corpus.js';
import type { Report } from '../../harness/report/report.js';
import { coverageOf, line, report as exploreReport } from '../fixtures/explore/reports.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const report = (verdict: string, rules: string[]): Report => ({ summary: { verdict }, findings: rules.map((rule) => ({ rule })) }) as unknown as Report;
const kase = (over: Partial<CorpusCase>): CorpusCase => ({
  name: 'c',
  dir: '/c',
  script: '/c/script',
  phase: 'preinstall',
  verdict: 'unsafe',
  anyOf: [],
  shared: [],
  warnings: [],
  guarded: [],
  ...over,
});

t.test('any-of: one of the rules is enough', async (t) => {
  t.match(checkCase(kase({ anyOf: ['illegal-kill', 'signal-probe'] }), report('unsafe', ['illegal-kill', 'booted-read'])), {
    ok: true,
    expected: 'unsafe [any of illegal-kill, signal-probe]',
  });
  t.match(checkCase(kase({ anyOf: ['illegal-kill'] }), report('unsafe', ['booted-write'])), {
    ok: false,
    problems: ['none of illegal-kill fired (fired: booted-write)'],
  });
});

t.test('exactly: that set, no rule more or less', async (t) => {
  t.match(checkCase(kase({ exactly: ['booted-write', 'jail-escape'] }), report('unsafe', ['jail-escape', 'booted-write', 'jail-escape'])), { ok: true });
  t.match(checkCase(kase({ exactly: ['booted-write'] }), report('unsafe', ['jail-escape'])), {
    ok: false,
    expected: 'unsafe [exactly booted-write]',
    problems: ['did not fire: booted-write', 'fired but not expected: jail-escape'],
  });
  t.match(checkCase(kase({ verdict: 'safe', exactly: [] }), report('safe', [])), { ok: true, expected: 'safe [exactly none]' });
  t.match(checkCase(kase({ verdict: 'safe' }), report('unsafe', [])), { ok: false, problems: ['verdict unsafe, expected safe'] });
});

const base: CorpusCase = { name: 'c', dir: '/c', script: '/c/script', phase: 'preinstall', verdict: 'safe', anyOf: [], shared: [], guarded: [], warnings: [] };

t.test('the verdict, a rule of the list, and every line expected guarded', async (t) => {
  const safe = exploreReport({ coverage: coverageOf([line(4, false, { risky: true, guarded: true })]) });
  const proof = { runDir: '/r/compare', ran: true, guarded: [{ line: 4, text: 'kill $PID' }], avoided: [] };
  t.match(checkCase({ ...base, guarded: [4] }, { ...safe, comparison: proof }), { ok: true, expected: 'safe guarded 4', got: 'safe guarded 4' });
  t.match(checkCase({ ...base, guarded: [4, 9] }, { ...safe, comparison: proof }), { ok: false, problems: ['line 9 not shown guarded (guarded: 4)'] });
  t.match(checkCase({ ...base, guarded: [4] }, safe), { ok: false, problems: ['line 4 not shown guarded (no comparison run)'] });
  const unsafe = exploreReport({ verdict: 'unsafe', findings: [makeFinding('illegal-kill', 'error')] });
  t.match(checkCase({ ...base, verdict: 'unsafe', anyOf: ['illegal-kill'] }, unsafe), { ok: true, got: 'unsafe [illegal-kill]' });
  t.match(checkCase({ ...base, anyOf: ['illegal-request'] }, unsafe), {
    ok: false,
    problems: ['verdict unsafe, expected safe', 'none of illegal-request fired (fired: illegal-kill)'],
  });
});
