import t from 'tap';
import type { SessionRecord, SessionStepRecord } from '../../harness/contract/session-record.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { readPolicy } from '../../harness/policy/load-policy.js';
import type { Report } from '../../harness/report/report.js';
import { renderText } from '../../harness/report/render-text.js';
import { assembleSessionReport, type SessionPhase } from '../../harness/report/session-report.js';
import { decideVerdict } from '../../harness/report/verdict.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const loaded = await readPolicy([], { cwd: process.cwd() });
if (!loaded.ok) throw new Error('the built-in policy does not load');
const policy = compilePolicy(loaded.policy);

const step = (index: number, name: string, outcome: SessionStepRecord['outcome'], extra: Partial<SessionStepRecord> = {}): SessionStepRecord => ({
  index,
  id: `load:${name}:P.F`,
  kind: name.includes('payload') ? 'load-payload' : 'script',
  name,
  group: 'load',
  product: 'P',
  fileset: 'F',
  outcome,
  ...extra,
});

/** A phase's report: its findings and gaps, the rest empty. */
function phaseReport(findings: Report['findings'], gaps: Report['gaps'] = []): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'drdsafe', version: 'x' },
    generatedAt: '',
    inputs: { trace: 't', traceBytes: 10, runDir: 'd', trees: { booted: '/images/booted', inactive: '/images/inactive', shared: [] } },
    policy: { files: [], hash: 'h' },
    phases: [{ phase: 'preinstall', exitCode: 0, signal: null, limitHit: null, wallMs: 5, finished: true }],
    findings,
    gaps,
    parse: { lines: 100, events: 10, skipped: 5, issues: [], issueCount: 0, unresumed: 0, truncatedTail: false },
    groundTruth: {
      bootedDiff: { added: [], modified: [], deleted: [] },
      daemons: [],
      witness: [],
      confirmations: findings.length > 0 ? [{ finding: 0, rule: findings[0]!.rule, evidence: 'witness.jsonl:1: comsec got SIGKILL' }] : [],
      unexplained: [],
      witnessIssues: [],
    },
    summary: decideVerdict({ findings, gaps, parseIssueCount: 0 }),
    timing: { analyzeMs: 1 },
  };
}

function record(steps: SessionStepRecord[], extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    schemaVersion: 1,
    operation: 'install',
    runcmd: true,
    package: { path: 'p.psf', kind: 'psf', products: [{ tag: 'P', filesets: ['F'] }] },
    baseline: [],
    selections: [],
    steps,
    status: 'success',
    exitCode: 0,
    rebootRequested: [],
    rebootSuppressed: true,
    excluded: [],
    dropped: [],
    refused: [],
    notes: [],
    standIns: [],
    timings: { totalMs: 1, startMs: 1, setupMs: 1, phasesMs: 1, fetchMs: 1 },
    ...extra,
  };
}

const assemble = (phases: SessionPhase[], rec = record(phases.map((p) => p.step))) =>
  assembleSessionReport({ record: rec, phases, sessionDir: '/s', policyFiles: [], policy, analyzeStarted: Date.now() });

t.test('one report: every step a phase, findings with their step, confirmations re-pointed, the worst verdict', async (t) => {
  const safe = phaseReport([]);
  const unsafe = phaseReport([makeFinding('illegal-kill', 'error')]);
  const report = assemble([
    { step: step(0, 'preinstall', 'ran', { runDir: 'phases/00', exitCode: 0, result: 'success' }), report: safe },
    { step: step(1, 'load-payload', 'ran', { detail: '1 file loaded' }) },
    { step: step(2, 'postinstall', 'ran', { runDir: 'phases/02', exitCode: 0 }), report: unsafe },
    { step: step(3, 'configure', 'deferred', { why: 'runs at boot' }) },
  ]);
  t.same(
    report.phases.map((p) => [p.name, p.outcome, p.verdict ?? null]),
    [
      ['preinstall', 'ran', 'safe'],
      ['load-payload', 'ran', null],
      ['postinstall', 'ran', 'unsafe'],
      ['configure', 'deferred', null],
    ],
  );
  t.equal(report.summary.verdict, 'unsafe');
  t.match(report.findings, [{ rule: 'illegal-kill', step: { index: 2, name: 'postinstall', product: 'P', fileset: 'F', runDir: 'phases/02' } }]);
  t.same(report.groundTruth?.confirmations, [{ finding: 0, rule: 'illegal-kill', evidence: 'witness.jsonl:1: comsec got SIGKILL' }]);
  t.equal(report.parse.lines, 200, 'parse counts summed over the phases');
  t.match(report.summary.reasons[0], /^postinstall of P\.F: unsafe/);
  const text = renderText(report);
  t.match(text, /Phases:\n\s+ran\s+preinstall P\.F\s+exit 0 SAFE\n/);
  t.match(text, /deferred configure P\.F\s+: runs at boot/);
  t.match(text, /\[ERROR\] illegal-kill: .*\n\s+phase\s+postinstall of P\.F/);
});

t.test('a step the sandbox failed on, or a script that ran without a trace, is never safe', async (t) => {
  const failed = assemble([
    { step: step(0, 'preinstall', 'ran', { runDir: 'phases/00' }), report: phaseReport([]) },
    { step: step(1, 'postinstall', 'failed', { why: 'run-session could not phase' }) },
  ]);
  t.equal(failed.summary.verdict, 'indeterminate');
  t.match(failed.gaps, [{ kind: 'unfinished-run', message: /postinstall of P\.F could not run in the sandbox/ }]);
  const untraced = assemble([{ step: step(0, 'preinstall', 'ran', { runDir: 'phases/00' }) }]);
  t.equal(untraced.summary.verdict, 'indeterminate');
});

t.test('nothing ran but SD steps that need no judging: safe, saying what did not run', async (t) => {
  const report = assemble([
    { step: step(0, 'checkinstall', 'ran', { runDir: 'phases/00', exitCode: 1, result: 'error' }), report: phaseReport([]) },
    { step: step(1, 'preinstall', 'skipped', { why: 'checkinstall of P.F failed (exit 1)' }) },
  ]);
  t.equal(report.summary.verdict, 'safe');
  t.match(report.summary.reasons.join(' '), /1 control script ran, 1 did not/);
  t.match(report.session, { operation: 'install', exitCode: 0 });
});
