import t from 'tap';
import { checkCase } from '../../harness/corpus/check-case.js';
import type { CorpusCase } from '../../harness/corpus/load-corpus.js';
import { coverageOf, line, report } from '../fixtures/explore/reports.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const base: CorpusCase = { name: 'c', dir: '/c', script: '/c/script', phase: 'preinstall', verdict: 'safe', rules: [], shared: [], guarded: [] };

t.test('the verdict, a rule of the list, and every line expected guarded', async (t) => {
  const safe = report({ coverage: coverageOf([line(4, false, { risky: true, guarded: true })]) });
  const proof = { runDir: '/r/compare', ran: true, guarded: [{ line: 4, text: 'kill $PID' }], avoided: [] };
  t.match(checkCase({ ...base, guarded: [4] }, { ...safe, comparison: proof }), { ok: true, expected: 'safe guarded 4', got: 'safe guarded 4' });
  t.match(checkCase({ ...base, guarded: [4, 9] }, { ...safe, comparison: proof }), { ok: false, problems: ['line 9 not shown guarded (guarded: 4)'] });
  t.match(checkCase({ ...base, guarded: [4] }, safe), { ok: false, problems: ['line 4 not shown guarded (no comparison run)'] });
  const unsafe = report({ verdict: 'unsafe', findings: [makeFinding('illegal-kill', 'error')] });
  t.match(checkCase({ ...base, verdict: 'unsafe', rules: ['illegal-kill'] }, unsafe), { ok: true, got: 'unsafe [illegal-kill]' });
  t.match(checkCase({ ...base, rules: ['illegal-request'] }, unsafe), { ok: false, problems: ['verdict unsafe, expected safe', 'none of illegal-request fired (fired: illegal-kill)'] });
});
