import t from 'tap';
import type { ExplorationRecord, VariantRecord } from '../../harness/contract/exploration-record.js';
import { mergeExploration } from '../../harness/explore/merge-exploration.js';
import { coverageOf, line, notExercised, report } from '../fixtures/explore/reports.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const K = { risky: true, risk: 'kill', command: 'kill $(cat /var/run/acmeagt.pid)' } as const;
const PID_CHANGE = {
  kind: 'pid-file' as const,
  path: '/var/run/acmeagt.pid',
  daemon: 'acmeagt',
  condition: '/var/run/acmeagt.pid exists',
  made: 'created it holding the pid of stand-in daemon acmeagt, started in the booted system',
};
const INIT_CHANGE = {
  kind: 'init-script' as const,
  path: '/sbin/init.d/acmeagt',
  daemon: 'acmeagt',
  condition: '/sbin/init.d/acmeagt is installed',
  made: 'installed there a stand-in init script',
};

function record(variants: VariantRecord[], extra: Partial<ExplorationRecord> = {}): ExplorationRecord {
  return { schemaVersion: 1, explore: 4, compare: true, timeoutSeconds: 60, probes: [], variants, notExplored: [], ...extra };
}

const guardedLine = line(6, false, { ...K, line: 6, why: '`[ "$SW_SESSION_IS_DRD" = 1 ]` (line 6) succeeded' });
const pidLine = line(4, false, { ...K, why: 'the condition `[ -f /var/run/acmeagt.pid ]` (line 3) was false' });
const neverLine = line(9, false, { ...K, why: 'the case word did not match' });

t.test('the worst verdict, variant findings tied to the variant with the fewest changes, warnings only where still not run', async (t) => {
  const firstCoverage = coverageOf([line(2, true), pidLine, guardedLine, neverLine]);
  const base = report({
    coverage: firstCoverage,
    findings: [makeFinding('signal-probe', 'warning'), notExercised(pidLine), notExercised(guardedLine), notExercised(neverLine)],
  });
  const kill = makeFinding('illegal-kill', 'error', { line: 30 });
  const killAt4 = {
    ...kill,
    location: { file: '/s', line: 4, source: 'kill $(cat /var/run/acmeagt.pid)', expanded: 'kill 31' },
    target: 'acmeagt (pid 31, booted daemon)',
  };
  const v1 = report({
    runDir: '/runs/top/variants/1',
    verdict: 'unsafe',
    reasons: ['1 error finding (illegal-kill)'],
    coverage: coverageOf([line(2, true), { ...pidLine, ran: true }, guardedLine, neverLine]),
    findings: [
      makeFinding('signal-probe', 'warning'),
      { ...killAt4, location: { ...killAt4.location, expanded: 'kill 33' }, target: 'acmeagt (pid 33, booted daemon)' },
    ],
  });
  const v2 = report({
    runDir: '/runs/top/variants/2',
    verdict: 'unsafe',
    reasons: ['1 error finding (illegal-kill)'],
    coverage: coverageOf([line(2, true), { ...pidLine, ran: true }, guardedLine, neverLine]),
    findings: [killAt4],
  });
  const comparison = report({
    runDir: '/runs/top/compare',
    verdict: 'unsafe',
    coverage: coverageOf([line(2, true), pidLine, { ...guardedLine, ran: true, traceLine: 77 }, neverLine]),
    findings: [
      {
        ...makeFinding('illegal-restart', 'error', { line: 78 }),
        location: { file: '/s', line: 6, source: '/sbin/init.d/comsec stop', expanded: '/sbin/init.d/comsec stop' },
        target: '/sbin/init.d/comsec stop',
      },
      makeFinding('signal-probe', 'warning'),
    ],
  });
  const merged = mergeExploration({
    base,
    record: record([
      { id: 1, dir: 'variants/1', subjects: ['acmeagt', 'zeta'], changes: [PID_CHANGE, INIT_CHANGE], ran: true },
      { id: 2, dir: 'variants/2', subjects: ['acmeagt'], changes: [PID_CHANGE], ran: true },
      { id: 3, dir: 'variants/3', subjects: ['zeta'], changes: [INIT_CHANGE], ran: false, error: 'run-phase failed in the sandbox (exit code 1)' },
    ]),
    variants: [
      {
        record: { id: 1, dir: 'variants/1', subjects: ['acmeagt', 'zeta'], changes: [PID_CHANGE, INIT_CHANGE], ran: true },
        runDir: '/runs/top/variants/1',
        report: v1,
      },
      { record: { id: 2, dir: 'variants/2', subjects: ['acmeagt'], changes: [PID_CHANGE], ran: true }, runDir: '/runs/top/variants/2', report: v2 },
      {
        record: { id: 3, dir: 'variants/3', subjects: ['zeta'], changes: [INIT_CHANGE], ran: false },
        runDir: '/runs/top/variants/3',
        error: 'run-phase failed in the sandbox (exit code 1)',
      },
    ],
    comparison: { runDir: '/runs/top/compare', report: comparison },
    failOn: 'error',
  });
  t.same(
    merged.findings.map((f) => [f.rule, f.variant?.id]),
    [
      ['signal-probe', undefined],
      ['not-exercised', undefined],
      ['illegal-kill', 2],
    ],
    "line 4 ran in a variant, line 6 is guarded: no warning; the kill is variant 2's (one change), found once though its pid differs",
  );
  t.equal(merged.findings[1]?.event, undefined);
  t.match(merged.findings[1], { coverage: { line: 9, why: /none of the 3 variants exploration tried ran it either/ } });
  t.match(merged.findings[2]?.variant, {
    when: 'only when /var/run/acmeagt.pid exists: variant 2 created it holding the pid of stand-in daemon acmeagt, started in the booted system',
    runDir: '/runs/top/variants/2',
  });
  t.equal(merged.summary.verdict, 'unsafe', 'the worst over the runs');
  t.equal(merged.summary.exitCode, 1);
  t.same(merged.summary.counts, { error: 1, warning: 2, info: 0 });
  t.match(merged.summary.reasons, [/^variant 1: unsafe/, /^variant 2: unsafe: 1 error finding/, /^variant 3 could not be run: run-phase failed/]);
  t.match(merged.gaps, [{ kind: 'variant-failed', message: /variant 3 .* could not be run/ }], 'a variant that failed is said, never dropped');
  t.match(merged.exploration?.variants, [
    { id: 1, ran: true, verdict: 'unsafe', newFindings: 0 },
    { id: 2, ran: true, newFindings: 1 },
    { id: 3, ran: false, error: /exit code 1/ },
  ]);
  t.match(merged.coverage, { riskyNotRun: 1, riskyGuarded: 1 });
  t.same(merged.comparison?.guarded, [{ line: 6, text: 'cmd 6', risk: 'kill', command: K.command, traceLine: 77 }]);
  t.match(merged.comparison?.avoided, [{ rule: 'illegal-restart', severity: 'error', line: 6, traceLine: 78 }]);
  t.equal(merged.comparison?.avoided.length, 1, 'the signal probe the first run made too is no avoided action');
  t.equal(merged.comparison?.verdict, 'unsafe', "the comparison's own verdict is reported and not counted");
});

t.test('safe everywhere with the guard proved: no warning left, exit 0 under --fail-on warning', async (t) => {
  const base = report({ coverage: coverageOf([line(2, true), guardedLine]), findings: [notExercised(guardedLine)] });
  const comparison = report({ runDir: '/runs/top/compare', coverage: coverageOf([line(2, true), { ...guardedLine, ran: true }]) });
  const merged = mergeExploration({
    base,
    record: record([]),
    variants: [],
    comparison: { runDir: '/runs/top/compare', report: comparison },
    failOn: 'warning',
  });
  t.same(merged.findings, []);
  t.equal(merged.summary.verdict, 'safe');
  t.equal(merged.summary.exitCode, 0);
  t.equal(merged.comparison?.guarded.length, 1);
});

t.test('a comparison run that failed proves nothing: the warnings stay, and it is said', async (t) => {
  const base = report({ coverage: coverageOf([guardedLine]), findings: [notExercised(guardedLine)] });
  const merged = mergeExploration({
    base,
    record: record([]),
    variants: [],
    comparison: { runDir: '/runs/top/compare', error: 'the time ran out' },
    failOn: 'error',
  });
  t.equal(merged.findings.length, 1);
  t.match(merged.comparison, { ran: false, error: 'the time ran out', guarded: [], avoided: [] });
});
