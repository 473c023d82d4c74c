import t from 'tap';
import { assembleReport } from '../../harness/report/assemble-report.js';
import type { Judgement } from '../../harness/report/judge-run.js';
import type { CompiledPolicy } from '../../harness/policy/compile-policy.js';
import type { RunMetadata } from '../../harness/contract/run-metadata.js';
import { parseRunResult } from '../../harness/contract/run-result.js';
import { sampleResult } from '../fixtures/sandbox/run-outputs.js';
import { unavailableCoverage } from '../../harness/coverage/script-coverage.js';

const meta: RunMetadata = {
  schemaVersion: 1,
  trees: {
    booted: '/images/booted',
    inactive: '/images/inactive',
    shared: [{ jailPath: '/var/opt/shared', inactivePath: '/i/s', bootedPath: '/b/s' }],
    sandbox: [],
  },
  script: { phase: 'preinstall', jailPath: '/var/adm/sw/products/P/f/preinstall', sourcePath: 'corpus/s01/script' },
  daemons: [],
  finished: true,
};
const judgement = {
  analysis: { parse: { lines: 10, events: 8, skipped: 1, issues: 0, unresumed: 0, truncatedTail: false, bytes: 500 }, issues: [] },
  findings: [],
  gaps: [],
  summary: { verdict: 'safe', reasons: ['no error finding'], counts: { error: 0, warning: 0, info: 0 }, exitCode: 0, failOn: 'error' },
} as unknown as Judgement;
const policy = { policyHash: 'abc', identity: { name: 'drd-safe', version: '1' } } as unknown as CompiledPolicy;

t.test('report.json from its parts: the phase as the sandbox ran it, times from the clock given', async (t) => {
  const result = parseRunResult(JSON.stringify(sampleResult({ exitCode: 3, phaseWallMs: 100 })));
  const report = assembleReport({
    tracePath: '/run/trace.txt',
    traceBytes: 500,
    runDir: '/run',
    meta,
    result,
    policyFiles: [],
    policy,
    judgement,
    startedAt: 1_000,
    analyzeStarted: 1_500,
    now: () => 2_000,
  });
  t.same(
    Object.keys(report),
    ['schemaVersion', 'tool', 'generatedAt', 'inputs', 'policy', 'phases', 'findings', 'gaps', 'parse', 'summary', 'timing'],
    'in the order report.json has always had',
  );
  const coverage = unavailableCoverage('no text');
  const covered = assembleReport({
    tracePath: '/t',
    traceBytes: 1,
    meta,
    policyFiles: [],
    policy,
    judgement: { ...judgement, coverage },
    analyzeStarted: 1_500,
    now: () => 2_000,
  });
  t.same(Object.keys(covered).slice(-4), ['parse', 'coverage', 'summary', 'timing'], 'coverage before the summary');
  const processTree = { processes: [], total: 0 };
  const treed = assembleReport({
    tracePath: '/t',
    traceBytes: 1,
    meta,
    policyFiles: [],
    policy,
    judgement: { ...judgement, coverage, analysis: { ...judgement.analysis, processTree } },
    analyzeStarted: 1_500,
    now: () => 2_000,
  });
  t.same(Object.keys(treed).slice(-5), ['parse', 'processTree', 'coverage', 'summary', 'timing'], 'the process tree after the parse statistics');
  t.equal(treed.processTree, processTree, 'as the analysis gathered it');
  t.equal(report.generatedAt, new Date(2_000).toISOString());
  t.same(report.inputs, {
    trace: '/run/trace.txt',
    traceBytes: 500,
    runDir: '/run',
    trees: { booted: '/images/booted', inactive: '/images/inactive', shared: ['/var/opt/shared'] },
  });
  t.same(report.policy, { files: [], hash: 'abc', name: 'drd-safe', version: '1' });
  t.same(report.phases, [
    {
      phase: 'preinstall',
      script: '/var/adm/sw/products/P/f/preinstall',
      scriptSource: 'corpus/s01/script',
      exitCode: 3,
      signal: null,
      limitHit: null,
      wallMs: 100,
      finished: true,
      overheadMs: 900,
    },
  ]);
  t.same(report.timing, { analyzeMs: 500 });
});

t.test('a bare trace: no run, so no exit status, wall time or overhead', async (t) => {
  const report = assembleReport({
    tracePath: 't',
    traceBytes: 1,
    meta: { ...meta, script: undefined, finished: undefined } as unknown as RunMetadata,
    policyFiles: ['/p.yaml'],
    policy,
    judgement,
    analyzeStarted: 0,
    now: () => 5,
  });
  t.same(report.phases, [{}]);
  t.equal(report.inputs.runDir, undefined);
  t.same(report.policy.files, ['/p.yaml']);
});
