import t from 'tap';
import path from 'node:path';
import { makeBigTrace } from '../../bench/make-big-trace.js';
import { SANDBOX_RUN } from '../../bench/full-pipeline.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import { analyzeTrace } from '../../harness/report/analyze-trace.js';

// The benchmark's trace is copies of real recordings with their pids renumbered: it must stay
// a trace the parser reads whole, or the benchmark measures error handling instead of parsing.
t.test('the benchmark trace reads without a parse issue', async (t) => {
  const out = path.join(t.testdir({}), 'big.trace');
  const made = await makeBigTrace({ targetBytes: 8 * 1024 * 1024, out });
  t.ok(made.copies >= 2, `${made.copies} copies`);
  const analysis = await analyzeTrace(out, SANDBOX_RUN, compilePolicy(await loadPolicy()));
  t.equal(analysis.parse.lines, made.lines);
  t.equal(analysis.parse.issues, 0, 'no unreadable line');
  t.same(analysis.issues.slice(0, 3), []);
});
