import t from 'tap';
import { decideVerdict } from '../../harness/report/verdict.js';
import { makeFinding } from '../fixtures/report/make-finding.js';
import type { GroundTruth } from '../../harness/report/ground-truth.js';

const clean: GroundTruth = {
  bootedDiff: { added: [], modified: [], deleted: [] },
  daemons: [],
  witness: [],
  confirmations: [],
  unexplained: [],
  witnessIssues: [],
};

t.test('no findings and no gaps is safe, exit 0', async (t) => {
  const s = decideVerdict({ findings: [], gaps: [], parseIssueCount: 0, groundTruth: clean });
  t.equal(s.verdict, 'safe');
  t.equal(s.exitCode, 0);
});

t.test('an error finding is unsafe, exit 1, even with gaps', async (t) => {
  const s = decideVerdict({
    findings: [makeFinding('illegal-kill', 'error')],
    gaps: [{ kind: 'lost-process', message: 'lost 7' }],
    parseIssueCount: 2,
  });
  t.equal(s.verdict, 'unsafe');
  t.equal(s.exitCode, 1);
  t.match(s.reasons.join(' '), /illegal-kill/);
  t.match(s.reasons.join(' '), /could not be read/);
});

t.test('fails closed: unreadable lines without error findings are indeterminate, exit 3', async (t) => {
  const s = decideVerdict({ findings: [makeFinding('unknown-command', 'info')], gaps: [], parseIssueCount: 1 });
  t.equal(s.verdict, 'indeterminate');
  t.equal(s.exitCode, 3);
});

t.test('each gap kind alone makes the run indeterminate', async (t) => {
  for (const kind of ['lost-process', 'truncated-string', 'unresumed-call', 'unfinished-run', 'unknown-root', 'untraced-io', 'unread-call'] as const) {
    const s = decideVerdict({ findings: [], gaps: [{ kind, message: kind }], parseIssueCount: 0 });
    t.equal(s.verdict, 'indeterminate', kind);
  }
});

t.test("a rule's gaps make the run indeterminate, each rule told by its first gap", async (t) => {
  const gap = (message: string) => ({ kind: 'rule' as const, rule: 'unknown-program', message, line: 3 });
  const s = decideVerdict({
    findings: [makeFinding('unknown-program', 'warning')],
    gaps: [gap('crontab is not in the sandbox'), gap('useradd is not in the sandbox')],
    parseIssueCount: 0,
  });
  t.equal(s.verdict, 'indeterminate');
  t.same(s.reasons, ['unknown-program: crontab is not in the sandbox (and 1 more)']);
  const unsafe = decideVerdict({ findings: [makeFinding('illegal-kill', 'error')], gaps: [gap('crontab is not in the sandbox')], parseIssueCount: 0 });
  t.equal(unsafe.verdict, 'unsafe', 'an error finding still makes it unsafe');
  t.match(unsafe.reasons.join(' '), /also: unknown-program: crontab/);
  const notRun = decideVerdict({ findings: [], gaps: [{ kind: 'script-not-run', message: 'binary' }], parseIssueCount: 0 });
  t.same([notRun.verdict, notRun.reasons], ['indeterminate', ['the control script did not run as written']]);
});

t.test('an unexplained booted change makes an otherwise clean run indeterminate', async (t) => {
  const s = decideVerdict({
    findings: [],
    gaps: [],
    parseIssueCount: 0,
    groundTruth: { ...clean, unexplained: [{ kind: 'booted-change', detail: 'booted tree: /etc/motd modified' }] },
  });
  t.equal(s.verdict, 'indeterminate');
  t.match(s.reasons.join(' '), /etc\/motd/);
});

t.test('--fail-on moves the exit threshold, not the verdict', async (t) => {
  const warning = [makeFinding('signal-probe', 'warning')];
  t.equal(decideVerdict({ findings: warning, gaps: [], parseIssueCount: 0 }).exitCode, 0);
  const strict = decideVerdict({ findings: warning, gaps: [], parseIssueCount: 0, failOn: 'warning' });
  t.equal(strict.verdict, 'safe');
  t.equal(strict.exitCode, 1);
  const never = decideVerdict({ findings: [makeFinding('illegal-kill', 'error')], gaps: [], parseIssueCount: 0, failOn: 'never' });
  t.equal(never.verdict, 'unsafe');
  t.equal(never.exitCode, 0);
  const neverButUnsure = decideVerdict({ findings: [], gaps: [{ kind: 'unfinished-run', message: 'x' }], parseIssueCount: 0, failOn: 'never' });
  t.equal(neverButUnsure.exitCode, 3, 'an indeterminate run still exits 3');
});
