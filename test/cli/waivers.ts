/**
 * `--waivers` end to end on a recorded run (m21: `kill -HUP` of the
 * booted syslogd): the fingerprint a report shows is what a waiver names; a
 * waived finding shows as waived in text, JSON and SARIF and no longer makes
 * the run unsafe; a stale waiver is a warning and in report.json; an expired
 * or malformed waiver file stops the command with exit code 2.
 */
import t from 'tap';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Log } from 'sarif';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import type { Report } from '../../harness/report/report.js';
import { runCli } from '../fixtures/cli/capture-io.js';

const RUN = path.join(PROJECT_ROOT, 'traces', 'golden', 'm21-syslog-pid-hup');

const waiverFile = (entries: Record<string, string>[]): string =>
  `# yaml-language-server: $schema=../policies/waivers.schema.json\nwaivers:\n${entries
    .map(
      (e) =>
        `  - ${Object.entries(e)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n    ')}\n`,
    )
    .join('')}`;

async function fingerprintOfKill(dir: string): Promise<string> {
  const r = await runCli(['analyze', RUN, '--format', 'json', '--report', path.join(dir, 'plain.json')], PROJECT_ROOT);
  const report = JSON.parse(r.stdout) as Report;
  t.equal(r.code, 1, 'unsafe without waivers');
  const kill = report.findings.find((f) => f.rule === 'illegal-kill');
  return kill?.fingerprint ?? '';
}

t.test('the fingerprint a report shows is what a waiver names; the waived finding counts no more', async (t) => {
  const dir = t.testdir({});
  const fingerprint = await fingerprintOfKill(dir);
  t.match(fingerprint, /^[0-9a-f]{16}$/);
  const text = await runCli(['analyze', RUN, '--report', path.join(dir, 'text.json')], PROJECT_ROOT);
  t.match(text.stdout, new RegExp(`^    fingerprint ${fingerprint}$`, 'm'), 'the text report shows it, to copy');

  const waivers = waiverFile([
    {
      rule: 'illegal-kill',
      fingerprint,
      reason: '"syslogd re-reads the clone only after the reboot, checked in PKG-12"',
      owner: 'jane@example.com',
      expires: '2999-12-31',
    },
    { rule: 'booted-write', fingerprint: '"0123456789012345"', reason: 'an old one', owner: 'ops-team', expires: '2999-12-31' },
  ]);
  const w = t.testdir({ 'w.yaml': waivers });
  const json = await runCli(['analyze', RUN, '--waivers', 'w.yaml', '--format', 'json', '--report', path.join(w, 'r.json')], w);
  const report = JSON.parse(json.stdout) as Report;
  t.equal(json.code, 0, 'safe: the one error finding is waived');
  t.match(report.summary, { verdict: 'safe', counts: { error: 0 }, waived: 1, exitCode: 0 });
  t.match(report.summary.reasons, [/no error finding/, '1 finding waived (illegal-kill): not counted']);
  t.match(report.findings, [
    { rule: 'illegal-kill', fingerprint, waived: { owner: 'jane@example.com', expires: '2999-12-31', file: 'w.yaml', line: 3, reason: /PKG-12/ } },
  ]);
  t.match(report.waivers, {
    file: 'w.yaml',
    applied: [{ rule: 'illegal-kill', findings: 1 }],
    stale: [{ rule: 'booted-write', fingerprint: '0123456789012345', owner: 'ops-team', line: 8 }],
  });
  t.match(
    json.stderr,
    /^waiver warning: w\.yaml:8: the waiver of `booted-write` 0123456789012345 \(owner ops-team\) matched no finding: it is stale; remove it$/m,
  );
  t.same(JSON.parse(await readFile(path.join(w, 'r.json'), 'utf8')), report, 'report.json says the same');

  const shown = await runCli(['analyze', RUN, '--waivers', 'w.yaml', '--report', path.join(w, 't.json')], w);
  t.match(shown.stdout, /^\[ERROR, WAIVED\] illegal-kill: /m);
  t.match(shown.stdout, /^ {4}waived {4}until 2999-12-31, owner jane@example\.com \(w\.yaml:3\): syslogd re-reads/m);
  t.match(shown.stdout, /^Waivers \(w\.yaml\): 1 applied, 1 stale$/m);
  t.match(shown.stdout, /^Verdict: SAFE \(0 error, 0 warning, 0 info, 1 waived\)$/m);

  const sarif = await runCli(['analyze', RUN, '--waivers', 'w.yaml', '--format', 'sarif', '--report', path.join(w, 's.json')], w);
  const log = JSON.parse(sarif.stdout) as Log;
  const result = log.runs[0]?.results?.find((r) => r.ruleId === 'illegal-kill');
  t.same(result?.partialFingerprints, { 'drdsafe/finding/v2': fingerprint });
  t.match(result?.suppressions, [
    {
      kind: 'external',
      status: 'accepted',
      justification: /PKG-12/,
      properties: { owner: 'jane@example.com', expires: '2999-12-31' },
      location: { physicalLocation: { artifactLocation: { uri: 'w.yaml' }, region: { startLine: 3 } } },
    },
  ]);
  t.match(log.runs[0]?.invocations?.[0]?.toolExecutionNotifications, [{ level: 'warning', message: { text: /^stale waiver: booted-write 0123456789012345/ } }]);
});

t.test('an expired waiver fails the command: exit code 2, naming it, its file:line and its owner', async (t) => {
  const dir = t.testdir({
    'w.yaml': waiverFile([
      { rule: 'illegal-kill', fingerprint: 'fedcba9876543210', reason: 'was fine once', owner: 'jane@example.com', expires: '2001-02-03' },
    ]),
    case: { script: '#!/sbin/sh\nexit 0\n', 'expect.yaml': 'phase: preinstall\nverdict: safe\n' },
  });
  const analyze = await runCli(['analyze', RUN, '--waivers', 'w.yaml', '--report', path.join(dir, 'r.json')], dir);
  t.equal(analyze.code, 2);
  t.match(analyze.stderr, /^drdsafe analyze: expired waiver: w\.yaml:3:5$/m);
  t.match(analyze.stderr, /^ {2}w\.yaml:3:5: waivers\[0\]: The waiver of `illegal-kill` fedcba9876543210, owned by jane@example\.com, expired on 2001-02-03$/m);
  t.match(analyze.stderr, /-> ask the owner to renew the waiver/);
  // Before anything runs: no script, no sandbox.
  const run = await runCli(['run', 'case/script', '--phase', 'preinstall', '--waivers', 'w.yaml'], dir);
  t.equal(run.code, 2);
  t.match(run.stderr, /^drdsafe run: expired waiver: w\.yaml:3:5$/m);
  const corpus = await runCli(['corpus', 'case', '--waivers', 'w.yaml'], dir);
  t.equal(corpus.code, 2);
  t.match(corpus.stderr, /^drdsafe corpus: expired waiver: w\.yaml:3:5$/m);
});

t.test('a malformed waiver file: every problem at its file:line:col, with a did-you-mean', async (t) => {
  const dir = t.testdir({
    'w.yaml': 'waivers:\n  - rule: illegal-kill\n    fingerprnt: 0123456789abcdef\n    reason: r\n    owner: o\n    expires: 2999-12-31\n',
  });
  const r = await runCli(['analyze', RUN, '--waivers', 'w.yaml', '--report', path.join(dir, 'r.json')], dir);
  t.equal(r.code, 2);
  t.match(r.stderr, /^drdsafe analyze: invalid waiver file: w\.yaml:2:5 \(\+1 more\)$/m);
  t.match(r.stderr, /^ {2}w\.yaml:2:5: waivers\[0\]: Missing required key `fingerprint`/m);
  t.match(r.stderr, /^ {2}w\.yaml:3:5: waivers\[0\]\.fingerprnt: Unknown key `fingerprnt`; did you mean `fingerprint`\?$/m);
  const missing = await runCli(['analyze', RUN, '--waivers', 'nope.yaml', '--report', path.join(dir, 'r.json')], dir);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /waiver file not found: nope\.yaml/);
});
