/**
 * Branch exploration and the DRD-guard proof through the real sandbox: real
 * Docker, strace and ksh93, the stand-in daemons of the booted system. A
 * script whose kill hides behind a pid file is found unsafe in a variant,
 * its DRD-guarded stop is shown guarded, every run directory is kept and
 * readable, `drdsafe analyze` of the top directory merges the same report,
 * and exploration stays within its bound and its time.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../harness/report/report.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import { runScript } from '../../harness/app/run-script.js';
import { analyzeRunDir } from '../../harness/app/analyze-run.js';
import { readRunDir } from '../../harness/contract/read-run-dir.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';
import { quietIo } from '../../harness/app/io.js';

const skip = await dockerSkipReason();

const SCRIPT = `#!/sbin/sh
PIDFILE=/var/run/acmeagt.pid
if [ -f $PIDFILE ]; then
  kill -TERM $(cat $PIDFILE)
fi
[ "$SW_SESSION_IS_DRD" = 1 ] || /sbin/init.d/comsec stop
case "$(uname -r)" in
  B.10.*) /usr/sbin/inetd -c ;;
esac
exit 0
`;

t.test('a kill behind a pid file is found in a variant; the DRD guard is proved; the runs merge again from disk', { skip }, async (t) => {
  const dir = t.testdir({ preinstall: SCRIPT });
  const out = await runScript(
    { scriptPath: path.join(dir, 'preinstall'), phase: 'preinstall', format: 'json', outDir: path.join(dir, 'run'), explore: 4, compare: true },
    { io: quietIo(dir), client: new DockerContainerClient(), session: newSession(), image: await testImage() },
  );
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as Report;
  t.equal(report.summary.verdict, 'unsafe', report.summary.reasons.join('; '));
  t.equal(out.exitCode, 1);
  const kill = report.findings.find((f) => f.rule === 'illegal-kill');
  t.match(kill, {
    location: { line: 4 },
    target: /^acmeagt \(pid \d+, booted daemon\)$/,
    variant: {
      id: 1,
      when: 'only when /var/run/acmeagt.pid exists: variant 1 created it holding the pid of stand-in daemon acmeagt, started in the booted system',
    },
  });
  t.equal(kill?.variant?.runDir, path.join(out.runDir, 'variants', '1'));
  const index = report.findings.indexOf(kill as NonNullable<typeof kill>);
  t.match(
    report.groundTruth?.confirmations.find((c) => c.finding === index)?.evidence,
    /^variants\/1\/witness\.jsonl:\d+: acmeagt got SIGTERM/,
    'the stand-in daemon witnessed it',
  );

  t.match(report.exploration?.probes, [
    { kind: 'pid-file', path: '/var/run/acmeagt.pid', call: 'newfstatat', answer: 'ENOENT', line: 3, tests: ['-f'], subject: 'acmeagt', run: 0 },
  ]);
  t.match(report.exploration?.variants, [
    {
      id: 1,
      ran: true,
      verdict: 'unsafe',
      subjects: ['/var/run/acmeagt.pid'],
      changes: [{ kind: 'pid-file', path: '/var/run/acmeagt.pid', daemon: 'acmeagt' }],
    },
  ]);
  t.equal(report.exploration?.variants.length, 1, 'one probe: one variant');

  const line = (n: number) => report.coverage?.lines.find((l) => l.line === n);
  t.match(line(4), { ran: true, ranIn: [1], why: /^it ran only in variant 1/ }, 'coverage is the union');
  t.match(line(6), { ran: false, guarded: true, why: /^guarded: it ran outside DRD/ });
  t.match(line(8), { ran: false, risky: true, why: /none of the 1 variant exploration tried ran it either/ });
  t.same(
    report.findings.filter((f) => f.rule === 'not-exercised').map((f) => f.coverage?.line),
    [8],
    'the guarded line is no warning; the line no environment takes stays one',
  );
  t.match(report.comparison, { ran: true, guarded: [{ line: 6, risk: 'init-script' }] });
  t.match(report.comparison?.avoided, [{ rule: 'illegal-restart', line: 6 }]);
  t.ok(
    report.comparison?.avoided.some(
      (a) => a.rule === 'illegal-kill' && /comsec/.test(a.target ?? '') && /compare\/witness\.jsonl:\d+: comsec got SIGTERM/.test(a.confirmed ?? ''),
    ),
    'the stop the guard avoided, witnessed outside DRD',
  );
  t.notOk(
    report.findings.some((f) => /comsec/.test(f.target ?? '')),
    "the comparison run's findings never count",
  );

  // Every run directory is kept and reads through the contract.
  const top = await readRunDir(out.runDir);
  t.match(top.exploration, { explore: 4, compare: true, variants: [{ id: 1, dir: 'variants/1', ran: true }], comparison: { dir: 'compare', ran: true } });
  const variant = await readRunDir(path.join(out.runDir, 'variants', '1'));
  t.ok(
    variant.result?.daemons.some((d) => d.name === 'acmeagt' && d.aliveBefore === true && d.aliveAfter === false),
    'the stand-in daemon ran in the booted system, and the kill ended it',
  );
  t.ok(variant.witness?.events.some((w) => w.daemon === 'acmeagt' && w.event === 'signal' && w.signal === 'SIGTERM'));
  const compare = await readRunDir(path.join(out.runDir, 'compare'));
  t.equal(compare.result?.outsideDrd, true);
  t.equal(compare.metadata?.outsideDrd, true);

  // analyze of the top directory merges the stored runs again.
  const again = await analyzeRunDir(out.runDir, { format: 'json', reportPath: path.join(dir, 'again.json') }, quietIo(dir));
  t.equal(again.report.summary.verdict, report.summary.verdict);
  t.same(
    again.report.findings.map((f) => [f.rule, f.location?.line, f.variant?.id]),
    report.findings.map((f) => [f.rule, f.location?.line, f.variant?.id]),
  );
  t.same(again.report.comparison?.guarded, report.comparison?.guarded);
});

t.test('exploration is bounded: at most N variants, and the whole within --timeout', { skip }, async (t) => {
  // Ten files the script probes; each one present makes it wait, as a script that polls for a daemon to go would.
  const names = 'a b c d e f g h i j';
  const script = (wait: number) => `#!/sbin/sh
for f in ${names}; do
  if [ -f /var/opt/acme/$f.conf ]; then
    sleep ${wait}
  fi
done
exit 0
`;
  const dir = t.testdir({ postinstall: script(0), slow: script(4) });
  const client = new DockerContainerClient();
  const session = newSession();
  const image = await testImage();
  const bound = await runScript(
    {
      scriptPath: path.join(dir, 'postinstall'),
      phase: 'postinstall',
      format: 'json',
      outDir: path.join(dir, 'bound'),
      explore: 3,
      compare: false,
      timeoutSeconds: 120,
    },
    { io: quietIo(dir), client, session, image },
  );
  const b = bound.report as Report;
  t.equal(b.exploration?.probes.length, 10, 'every missing file is a probe');
  t.equal(b.exploration?.variants.length, 3, 'at most N variants');
  t.same(
    b.exploration?.variants.map((v) => v.subjects.length),
    [10, 1, 1],
    'everything at once, then one probe each',
  );
  t.same(b.exploration?.notExplored, [], 'the first variant made every probe true: none is left unexplored');
  t.equal(b.summary.verdict, 'safe');

  const timeoutSeconds = 14;
  const started = Date.now();
  const timed = await runScript(
    { scriptPath: path.join(dir, 'slow'), phase: 'postinstall', format: 'json', outDir: path.join(dir, 'timed'), explore: 4, compare: false, timeoutSeconds },
    { io: quietIo(dir), client, session, image },
  );
  const elapsed = (Date.now() - started) / 1000;
  const r = timed.report as Report;
  // The first variant (every file there: 40 s of waits) gets what is left and is stopped at it; then none fits.
  t.ok(
    elapsed < timeoutSeconds + 10,
    `finished in ${elapsed.toFixed(1)} s: the runs within --timeout ${timeoutSeconds} s (plus the container start and the last analysis)`,
  );
  t.match(r.exploration?.variants, [{ id: 1, ran: true, verdict: 'indeterminate' }]);
  t.equal(r.exploration?.variants.length, 1);
  t.match(r.exploration?.stopped, /time \(--timeout 14 s\) ran out/);
  t.ok(r.exploration?.notExplored.length === 0, 'every probe was in the first variant');
  t.equal(r.summary.verdict, 'indeterminate', 'a variant cut short at the limit leaves the verdict indeterminate, never safe');
  t.match(r.summary.reasons, [/variant 1: indeterminate/]);
});
