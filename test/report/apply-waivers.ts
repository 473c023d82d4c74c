import t from 'tap';
import type { ModelGap } from '../../harness/model/model-event.js';
import { applyWaivers } from '../../harness/report/apply-waivers.js';
import { withFingerprints } from '../../harness/report/finding-fingerprint.js';
import type { Report } from '../../harness/report/report.js';
import { decideVerdict } from '../../harness/report/verdict.js';
import type { WaiverSet } from '../../harness/report/waiver-file.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const SCRIPT = '/var/adm/sw/products/P/F/preinstall';
const kill = makeFinding('illegal-kill', 'error');
const probe = { ...makeFinding('signal-probe', 'warning'), location: { file: SCRIPT, line: 9 } };

function report(findings = [kill, probe], gaps: ModelGap[] = []): Report {
  const fingerprinted = withFingerprints(findings, SCRIPT);
  return {
    phases: [{ phase: 'preinstall', script: SCRIPT }],
    findings: fingerprinted,
    gaps,
    parse: { issueCount: 0 },
    summary: decideVerdict({ findings: fingerprinted, gaps, parseIssueCount: 0 }),
  } as unknown as Report;
}

const fp = (r: Report, rule: string): string => r.findings.find((f) => f.rule === rule)?.fingerprint ?? '';

function waivers(r: Report, rules: string[], extra: { rule: string; fingerprint: string }[] = []): WaiverSet {
  return {
    file: 'w.yaml',
    waivers: [...rules.map((rule) => ({ rule, fingerprint: fp(r, rule) })), ...extra].map((w, i) => ({
      ...w,
      reason: `why ${i}`,
      owner: 'jane',
      expires: '2030-01-01',
      file: 'w.yaml',
      line: 2 + 5 * i,
      col: 5,
    })),
  };
}

t.test('a waived finding is shown as waived and does not count toward the verdict', async (t) => {
  const before = report();
  t.equal(before.summary.verdict, 'unsafe');
  const { report: after, warnings } = applyWaivers(before, waivers(before, ['illegal-kill']));
  t.same(warnings, []);
  t.equal(after.findings.length, 2, 'still shown');
  t.same(after.findings[0]?.waived, {
    rule: 'illegal-kill',
    fingerprint: fp(before, 'illegal-kill'),
    reason: 'why 0',
    owner: 'jane',
    expires: '2030-01-01',
    file: 'w.yaml',
    line: 2,
  });
  t.equal(after.findings[1]?.waived, undefined);
  t.match(after.summary, { verdict: 'safe', counts: { error: 0, warning: 1, info: 0 }, exitCode: 0, waived: 1 });
  t.match(after.summary.reasons, [/no error finding/, '1 finding waived (illegal-kill): not counted']);
  t.same(after.waivers, { file: 'w.yaml', applied: [{ ...after.findings[0]?.waived, findings: 1 }], stale: [] });
});

t.test('a waiver accepts a finding, not a gap: what could not be seen stays indeterminate', async (t) => {
  const before = report([kill], [{ kind: 'lost-process', message: 'lost pid 9' }]);
  const { report: after } = applyWaivers(before, waivers(before, ['illegal-kill']));
  t.equal(after.summary.verdict, 'indeterminate');
  t.equal(after.summary.exitCode, 3);
});

t.test('a waiver that matched nothing is stale: listed, and a warning says so', async (t) => {
  const before = report();
  const set = waivers(
    before,
    ['illegal-kill'],
    [
      { rule: 'booted-write', fingerprint: '0123456789abcdef' },
      { rule: 'ilegal-kill', fingerprint: fp(before, 'illegal-kill') },
    ],
  );
  const { report: after, warnings } = applyWaivers(before, set, { ruleIds: ['illegal-kill', 'signal-probe', 'booted-write'] });
  t.match(after.waivers?.stale, [
    { rule: 'booted-write', line: 7 },
    { rule: 'ilegal-kill', line: 12 },
  ]);
  t.same(warnings, [
    { kind: 'stale', message: 'w.yaml:7: the waiver of `booted-write` 0123456789abcdef (owner jane) matched no finding: it is stale; remove it' },
    {
      kind: 'stale',
      message: `w.yaml:12: the waiver of \`ilegal-kill\` ${fp(before, 'illegal-kill')} (owner jane) matched no finding: it is stale; remove it`,
    },
    { kind: 'unknown-rule', message: 'w.yaml:12: the policy has no rule `ilegal-kill`; did you mean `illegal-kill`?' },
  ]);
});

t.test('applied again with another file (or none), a stored report is waived anew', async (t) => {
  const before = report();
  const once = applyWaivers(before, waivers(before, ['illegal-kill'])).report;
  const other = applyWaivers(once, waivers(before, ['signal-probe'])).report;
  t.same(
    other.findings.map((f) => f.waived?.rule),
    [undefined, 'signal-probe'],
  );
  t.match(other.summary, { verdict: 'unsafe', waived: 1 });
  const none = applyWaivers(once, undefined).report;
  t.same(
    none.findings.map((f) => f.waived),
    [undefined, undefined],
  );
  t.equal(none.waivers, undefined);
  t.same(none.summary, before.summary, 'the verdict as it was without waivers');
  const { fingerprint: _fp, ...old } = kill;
  t.equal(
    applyWaivers({ ...before, findings: [old] } as Report, undefined).report.findings[0]?.fingerprint,
    fp(before, 'illegal-kill'),
    'a report without fingerprints gets them',
  );
});

t.test("one phase of a session (matchedOnly): a waiver of another phase's finding is neither applied nor stale here", async (t) => {
  const before = report();
  const other = { rule: 'illegal-kill', fingerprint: '0123456789abcdef' };
  const { report: after, warnings } = applyWaivers(before, waivers(before, ['illegal-kill'], [other]), { matchedOnly: true });
  t.same(warnings, [], 'no stale warning');
  t.equal(after.summary.verdict, 'safe');
  t.same(
    after.waivers?.applied.map((w) => w.fingerprint),
    [fp(before, 'illegal-kill')],
  );
  t.same(after.waivers?.stale, [], "the other phase's waiver is not called stale");
  const untouched = applyWaivers(before, waivers(before, [], [other]), { matchedOnly: true }).report;
  t.equal(untouched.waivers, undefined, 'nothing matched: no waiver section, as without a waiver file');
  t.same(untouched.summary, before.summary);
});
