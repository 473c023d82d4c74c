import t from 'tap';
import { unionCoverage } from '../../harness/explore/union-coverage.js';
import { coverageOf, line } from '../fixtures/explore/reports.js';

const K = { risky: true, risk: 'kill', command: 'kill -9 $PID' } as const;

t.test('a line ran if it ran in any run; guarded if only outside DRD; still not run says what was tried', async (t) => {
  const first = coverageOf([
    line(2, true),
    line(3, false, { ...K, why: 'the condition `[ -f /var/run/acmeagt.pid ]` (line 3) was false' }),
    line(5, false, { ...K, why: '`[ "$SW_SESSION_IS_DRD" = 1 ]` (line 5) succeeded' }),
    line(7, false, { ...K, why: 'the case word did not match `B.10.*`' }),
    line(9, 'unknown', { untraced: 'ksh-function', why: 'ksh93 does not trace it' }),
  ]);
  const variant = coverageOf([line(2, true), line(3, true, { ...K, traceLine: 88 }), line(5, false, K), line(7, false, K), line(9, 'unknown')]);
  const outside = coverageOf([line(2, true), line(3, false, K), line(5, true, { ...K, traceLine: 44 }), line(7, false, K), line(9, 'unknown')]);
  const u = unionCoverage({
    runs: [
      { id: 0, coverage: first },
      { id: 1, coverage: variant, when: 'only when /var/run/acmeagt.pid exists: variant 1 created it' },
    ],
    comparison: outside,
    variantsTried: 1,
  });
  const at = (n: number) => u.lines.find((l) => l.line === n);
  t.match(at(2), { ran: true, ranIn: [0, 1] });
  t.match(at(3), { ran: true, ranIn: [1], traceLine: 88, why: 'it ran only in variant 1 (only when /var/run/acmeagt.pid exists: variant 1 created it)' });
  t.notOk(at(3)?.reached !== undefined, "the first run's not-run facts go");
  t.match(at(5), {
    ran: false,
    guarded: true,
    why: /^guarded: it ran outside DRD \(the comparison run, SW_SESSION_IS_DRD unset, trace line 44 of the comparison run\) and in no run under drd runcmd: `\[ "\$SW_SESSION_IS_DRD" = 1 \]` \(line 5\) succeeded$/,
  });
  t.match(at(7), { ran: false, why: 'the case word did not match `B.10.*`; none of the 1 variant exploration tried ran it either' });
  t.notOk(at(7)?.guarded);
  t.match(at(9), { ran: 'unknown', untraced: 'ksh-function' });
  t.match(u, { ranLines: 2, riskyLines: 3, riskyNotRun: 1, riskyGuarded: 1, riskyUnknown: 0, unknownLines: 1, runs: 2 });
});

t.test('without a comparison run nothing is guarded; an unavailable first coverage stays as it is', async (t) => {
  const first = coverageOf([line(5, false, K)]);
  const u = unionCoverage({ runs: [{ id: 0, coverage: first }], variantsTried: 0 });
  t.equal(u.riskyGuarded, undefined);
  t.equal(u.riskyNotRun, 1);
  t.equal(u.lines[0]?.why, undefined, 'no why invented');
  const none = { ...coverageOf([]), available: false, reason: 'no text' };
  t.same(unionCoverage({ runs: [{ id: 0, coverage: none }], variantsTried: 2 }), none);
});
