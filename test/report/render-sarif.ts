import t from 'tap';
import type { Test } from 'tap';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Log, Result } from 'sarif';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import type { Report } from '../../harness/report/report.js';
import { runCli } from '../fixtures/cli/capture-io.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

/** `drdsafe analyze <golden run> --format sarif`, from the project root as CI would run it, with its report.json. */
async function analyze(t: Test, name: string): Promise<{ code: number; sarif: Log; report: Report }> {
  const dir = t.testdir({});
  const reportPath = path.join(dir, 'report.json');
  const r = await runCli(['analyze', path.join(GOLDEN, name), '--format', 'sarif', '--report', reportPath], PROJECT_ROOT);
  return { code: r.code, sarif: JSON.parse(r.stdout) as Log, report: JSON.parse(await readFile(reportPath, 'utf8')) as Report };
}

t.test('an unsafe run: every finding is a result on its script line, the syscall beside it', async (t) => {
  const { code, sarif, report } = await analyze(t, 's10-unconfigure-comsec-stop');
  t.equal(code, 1, 'the exit code is still the verdict');
  t.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  const results = run.results ?? [];
  t.ok(report.findings.length > 0);
  t.equal(results.length, report.findings.length, 'one result a finding');
  report.findings.forEach((f, i) => {
    const r = results[i] as Result;
    t.equal(r.ruleId, f.rule);
    t.equal(rules[r.ruleIndex ?? -1]?.id, f.rule, 'ruleIndex names the rule');
    t.equal(r.level, f.severity === 'info' ? 'note' : f.severity);
    t.equal(r.message.text, f.message);
    const where = r.locations?.[0]?.physicalLocation;
    t.equal(
      where?.artifactLocation?.uri,
      'examples/seed-examples/s10-unconfigure-comsec-stop/script',
      'the script as the user gave it, relative to the checkout',
    );
    t.equal(where?.region?.startLine, f.location?.line, 'on the line that caused it');
    t.equal(where?.region?.snippet?.text, f.location?.source);
    const call = r.relatedLocations?.[0]?.physicalLocation;
    t.equal(call?.region?.startLine, f.event?.line, 'the trace line of the call');
    t.equal(call?.region?.snippet?.text, f.event?.raw);
    t.match(r.properties, { reference: f.reference, process: { pid: f.process.pid, argv: f.process.argv } });
  });
  const confirmed = results.filter((r) => r.properties?.confirmedBy !== undefined);
  t.equal(confirmed.length, report.groundTruth?.confirmations.length, 'the witness confirmations are on their results');
  t.ok(confirmed.length > 0);
  t.match(run.invocations?.[0], { executionSuccessful: true, exitCode: 1 });
  t.match(run.properties, { verdict: 'unsafe' });
  t.equal(rules[0]?.properties?.reference, 'DRD-Safe Concepts 3.1.1', 'rules carry their seed section');
  const fingerprints = results.map((r) => r.partialFingerprints?.['drdsafe/finding/v2']);
  t.same(
    fingerprints,
    report.findings.map((f) => f.fingerprint),
    'the fingerprint report.json and the text report show',
  );
  t.ok(fingerprints.every((f) => typeof f === 'string' && /^[0-9a-f]{16}$/.test(f)));
});

t.test('a safe run has no results and succeeds', async (t) => {
  const { code, sarif } = await analyze(t, 's08-lvlnboot');
  t.equal(code, 0);
  t.same(sarif.runs[0]?.results, []);
  t.match(sarif.runs[0]?.invocations?.[0], { executionSuccessful: true, exitCode: 0 });
  t.match(sarif.runs[0]?.properties, { coverage: { available: true, commandLines: 2, ranLines: 2, riskyNotRun: 0 } });
});

t.test('a risky line that never ran is a result on that line, the xtrace that decided it beside it', async (t) => {
  // s06: `[[ $SW_SESSION_IS_DRD != 1 ]] && kill -9 $PID`, whose kill the guard kept from running.
  const { code, sarif, report } = await analyze(t, 's06-guarded-kill');
  t.equal(code, 0, 'a warning: safe under the default --fail-on error');
  const results = sarif.runs[0]?.results ?? [];
  t.equal(results.length, 1);
  const r = results[0] as Result;
  const f = report.findings[0];
  t.equal(r.ruleId, 'not-exercised');
  t.equal(r.level, 'warning');
  t.equal(r.locations?.[0]?.physicalLocation?.region?.startLine, 4);
  t.equal(r.locations?.[0]?.physicalLocation?.region?.snippet?.text, '[[ $SW_SESSION_IS_DRD != 1 ]] && kill -9 $PID');
  t.equal(r.relatedLocations?.[0]?.physicalLocation?.region?.startLine, f?.coverage?.traceLines[0], "the trace line of the guard's xtrace");
  t.match(r.properties, { evidence: 'coverage', ran: false, risk: 'kill', reference: 'DRD-Safe Concepts 4.1', why: /\[\[ 1 != 1 \]\]/ });
  t.notOk(r.properties?.process, 'no process acted: the line never ran');
  t.match(sarif.runs[0]?.properties, { coverage: { commandLines: 3, ranLines: 2, riskyNotRun: 1 } });
  t.match(sarif.runs[0]?.invocations?.[0], { executionSuccessful: true, exitCode: 0 });
});

t.test('an indeterminate run is an unsuccessful invocation that says why', async (t) => {
  const { code, sarif, report } = await analyze(t, 's08-lvlnboot-truncated');
  t.equal(code, 3);
  t.equal(report.summary.verdict, 'indeterminate');
  const invocation = sarif.runs[0]?.invocations?.[0];
  t.equal(invocation?.executionSuccessful, false, 'a gate reading only SARIF does not pass it');
  const notes = invocation?.toolExecutionNotifications ?? [];
  t.ok(
    notes.some((n) => /unfinished-run: the trace ends in the middle of a line/.test(n.message.text ?? '')),
    'the cut trace is named',
  );
  t.ok(notes.every((n) => n.level === 'error'));
});
