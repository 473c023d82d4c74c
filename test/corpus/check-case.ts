import t from 'tap';
import { checkCase } from '../../harness/corpus/check-case.js';
import type { CorpusCase } from '../../harness/corpus/load-corpus.js';
import type { Report } from '../../harness/report/report.js';

const report = (verdict: string, rules: string[]): Report => ({ summary: { verdict }, findings: rules.map((rule) => ({ rule })) }) as unknown as Report;
const kase = (over: Partial<CorpusCase>): CorpusCase => ({ name: 'c', dir: '/c', script: '/c/script', phase: 'preinstall', verdict: 'unsafe', anyOf: [], shared: [], warnings: [], ...over });

t.test('any-of: one of the rules is enough', async (t) => {
  t.match(checkCase(kase({ anyOf: ['illegal-kill', 'signal-probe'] }), report('unsafe', ['illegal-kill', 'booted-read'])), { ok: true, expected: 'unsafe [any of illegal-kill, signal-probe]' });
  t.match(checkCase(kase({ anyOf: ['illegal-kill'] }), report('unsafe', ['booted-write'])), { ok: false, problems: ['none of illegal-kill fired (fired: booted-write)'] });
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
