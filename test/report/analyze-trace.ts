/**
 * The analysis pipeline on traces whose tracer was killed while calls were in
 * the kernel (recorded with real strace: test/fixtures/trace/record-traces.sh,
 * scenarios cut-kill.ksh and cut-fifo.ksh). An attempt counts: a call that
 * entered the kernel fires the rules that do not need its result, the verdict
 * follows them, and the gap stays reported.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { analyzeTrace } from '../../harness/report/analyze-trace.js';
import { decideVerdict } from '../../harness/report/verdict.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import type { RunMetadata } from '../../harness/contract/run-metadata.js';
import { RECORDED } from '../fixtures/trace/collect.js';
import { loadMeta, TRACES } from '../fixtures/model/run-model.js';

const policy = compilePolicy(await loadPolicy([], { cwd: '/nonexistent' }));

function meta(booted: string): RunMetadata {
  // strace ran the script's shell directly: its first process is the control script.
  return { schemaVersion: 1, trees: { booted, inactive: '/nonexistent/inactive', shared: [], sandbox: [] }, daemons: [], finished: false };
}

async function analyze(name: string, booted = '/nonexistent/booted') {
  const analysis = await analyzeTrace(path.join(RECORDED, `${name}.trace`), meta(booted), policy);
  const summary = decideVerdict({ findings: analysis.findings, gaps: analysis.gaps, parseIssueCount: analysis.parse.issues });
  return { ...analysis, summary };
}

t.test('kill -9 -1 that killed its tracer: the trace ends inside the kill, which is still illegal-kill', async (t) => {
  const text = await readFile(path.join(RECORDED, 'cut-kill.trace'), 'latin1');
  t.match(text, /kill\(-1, SIGKILL$/, "the recording ends after the kill's entry, with no newline");
  const run = await analyze('cut-kill');
  t.same(run.issues, [], 'every line read');
  t.equal(run.parse.truncatedTail, true);
  const kill = run.findings.find((f) => f.rule === 'illegal-kill');
  t.match(kill, { severity: 'error', target: /every process/, event: { syscall: 'kill', unfinished: true, line: run.parse.lines } });
  t.equal(run.summary.verdict, 'unsafe', 'unsafe, not only indeterminate');
  t.match(run.gaps, [{ kind: 'unresumed-call', message: /^kill by process \d+ never returned/ }], 'the gap is still reported');
  t.ok(run.gaps.some((g) => g.kind === 'unfinished-run' && /middle of a line/.test(g.message)));
  t.match(run.summary.reasons, [/illegal-kill/, /also: .*never completed/]);
});

t.test('opens of FIFOs that never returned: a write attempt counts, a read needs its result', async (t) => {
  const text = await readFile(path.join(RECORDED, 'cut-fifo.trace'), 'latin1');
  const dir = /"(\/[^"]+)\/write-end"/.exec(text)?.[1];
  t.ok(dir, "the FIFOs' directory");
  // Taken as the booted tree: both opens reach for its files.
  const run = await analyze('cut-fifo', dir);
  t.same(run.issues, []);
  const files = run.findings.filter((f) => f.detail.fs !== undefined).map((f) => [f.rule, f.event?.unfinished, f.detail.fs?.target.path]);
  t.same(files, [['booted-write', true, `${dir}/write-end`]], 'booted-write on the entered open for writing; no booted-read, which needs a successful open');
  t.ok(
    run.findings.some((f) => f.rule === 'unterminated-process'),
    'the subshell left waiting has no exit in the trace',
  );
  const reads = run.gaps.filter((g) => g.kind === 'unresumed-call');
  t.equal(reads.length, 2, 'both opens are gaps');
  t.equal(run.summary.verdict, 'unsafe');
});

t.test("a gap rule's findings are gaps: programs the jail lacks make the run indeterminate", async (t) => {
  const meta = await loadMeta('missing-commands');
  const analysis = await analyzeTrace(path.join(TRACES, 'missing-commands.trace'), meta, policy);
  const gaps = analysis.gaps.filter((g) => g.kind === 'rule');
  t.same(
    gaps.map((g) => [g.rule, g.location?.line]),
    [
      ['unknown-program', 6],
      ['unknown-program', 7],
      ['unknown-program', 8],
      ['unknown-program', 9],
    ],
  );
  t.match(gaps[0], {
    message: /^crontab is not in the sandbox.*\(\/var\/adm\/sw\/products\/DRDSAFE-TEST\/payload\/preinstall:6: crontab -l > \/dev\/null\)$/,
    line: Number,
  });
  t.ok(
    analysis.findings.some((f) => f.rule === 'unknown-command' && f.detail.exec?.path === 'catt'),
    'the typo stays a finding for information',
  );
  const summary = decideVerdict({ findings: analysis.findings, gaps: analysis.gaps, parseIssueCount: analysis.parse.issues });
  t.equal(summary.verdict, 'indeterminate');
  t.match(summary.reasons, [/^unknown-program: crontab is not in the sandbox.* \(and 3 more\)$/]);
});
