/**
 * SD sessions through the real sandbox: the order of the phases, the
 * environment each script saw, SD's handling of exit codes (an ERROR
 * checkinstall drops its fileset, 11 installs nothing, an EXCLUDE
 * checkremove stops its preremove), the IPD and swagent.log after the
 * session, findings with their phase, fileset and line, the example
 * packages' upgrade over an HP-UX binary whose stand-in daemon witnesses
 * the kill, one container per session, and a session directory judged
 * again by analyze.
 */
import t from 'tap';
import type { Test } from 'tap';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { quietIo } from '../../harness/app/io.js';
import { runPackage, type RunPackageOptions } from '../../harness/app/run-package.js';
import { analyzeRunDir } from '../../harness/app/analyze-run.js';
import type { ContainerClient } from '../../harness/engine/container-client.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import type { Report } from '../../harness/report/report.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';
import { sessionPackage } from '../fixtures/sd/session-package.js';
import { ROOT } from '../fixtures/sd/paths.js';

const skip = await dockerSkipReason();
const EXAMPLES = path.join(ROOT, 'examples', 'packages');
const session = newSession();

/** The real client, counting the containers it creates. */
function countingClient(): { client: ContainerClient; created: () => number } {
  const real = new DockerContainerClient();
  let n = 0;
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'createContainer') return (...args: Parameters<ContainerClient['createContainer']>) => (n++, target.createContainer(...args));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { client, created: () => n };
}

async function run(t: Test, options: Omit<RunPackageOptions, 'outDir'>) {
  const image = await testImage();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-session-test-'));
  t.teardown(() => rm(tmp, { recursive: true, force: true }));
  const out = path.join(tmp, 'session');
  const { client, created } = countingClient();
  const outcome = await runPackage({ format: 'json', ...options, outDir: out }, { io: quietIo(ROOT), client, session, image, log: () => {} });
  const report = outcome.report!;
  // SD wraps its messages at 72 columns: continuation lines (indented to column 10) read as one line here.
  const sw = (rel: string) => readFile(path.join(out, 'inactive', 'var', 'adm', 'sw', rel), 'utf8').then((text) => text.replace(/\n {9}(?=\S)/g, ' '));
  const exists = (rel: string) =>
    stat(path.join(out, 'inactive', 'var', 'adm', 'sw', rel)).then(
      () => true,
      () => false,
    );
  /** What each script that ran wrote, by step id. */
  const said = async (id: string): Promise<string> => {
    const p = report.phases.find((x) => x.step === id);
    if (p?.runDir === undefined) return '';
    return readFile(path.join(out, p.runDir, 'stdout.txt'), 'utf8');
  };
  const ran = report.phases.filter((p) => p.outcome === 'ran').map((p) => p.step);
  const outcome_ = (id: string) => report.phases.find((p) => p.step === id)?.outcome;
  return { outcome, report, out, sw, exists, said, ran, step: outcome_, containers: created() };
}

t.test("install: SD's order, each script's environment, an ERROR checkinstall drops its fileset; IPD and swagent.log after", { skip }, async (t) => {
  const psf = sessionPackage(t, { codes: { 'B/checkinstall': 1 }, extra: { 'A/postinstall': 'ls -ln /opt/p/bin/tool' } });
  const s = await run(t, { target: psf });
  t.same(
    s.ran,
    [
      'analysis:checkinstall:P',
      'analysis:checkinstall:P.A',
      'analysis:checkinstall:P.B',
      'load:preinstall:P',
      'load:preinstall:P.A',
      'load:load-payload:P.A',
      'load:postinstall:P.A',
      'load:postinstall:P',
    ],
    'checkinstalls first, then per product: product preinstall, fileset preinstall, load, postinstall, product postinstall',
  );
  t.equal(s.step('load:preinstall:P.B'), 'skipped', 'B dropped: none of its later scripts run');
  t.equal(s.step('load:load-payload:P.B'), 'skipped');
  t.equal(s.step('configure:configure:P.A'), 'deferred', 'configure runs when the image boots');
  t.equal(s.containers, 1, 'one container for the whole session');
  t.equal(s.outcome.record.exitCode, 1, 'SD result error: a checkinstall failed');
  const pre = await s.said('load:preinstall:P.A');
  t.match(
    pre,
    /ran tag=preinstall spec=P\.A,r=1\.0,a=HP-UX_B\.11\.31_IA,v=ACME,l=\/opt\/p dir=\/var\/adm\/sw\/products\/P\/A\/ location=\/opt\/p drd=1 root=\/ path=\/sbin:\/usr\/bin catalog=var\/adm\/sw\/products initial= kernel= lang=C/,
  );
  t.match(pre, /^software=P\.A,r=1\.0/m, 'the session options list what is still selected: A, not B');
  t.notMatch(pre, /P\.B/);
  t.match(
    await s.said('load:postinstall:P.A'),
    /-r-xr-xr-x\s+1 2\s+2 .*\/opt\/p\/bin\/tool/,
    'the payload was loaded before postinstall, mode 0555, owner and group bin (2)',
  );
  t.match(await s.said('analysis:checkinstall:P'), /ran tag=checkinstall spec=P,r=1\.0/, 'a product script gets the product spec');
  t.match(await s.sw('products/P/A/INDEX'), /^state installed$/m, 'the IPD has A, installed (configure deferred)');
  t.notOk(await s.exists('products/P/B/INDEX'), 'and not B');
  t.match(await s.sw('products/P/pfiles/INDEX'), /^tag P$/m);
  const log = await s.sw('swagent.log');
  t.match(log, /\* Running "checkinstall" script for fileset "P\.B"\./);
  t.match(log, /^ERROR: {3}The "checkinstall" script for "P\.B" failed \(exit code "1"\)\./m);
  t.match(log, /\* Running "preinstall" script for fileset "P\.A"\.\nran tag=preinstall/, "the script's output follows its line");
});

t.test('GLOBAL_ERROR (11) from a checkinstall: nothing is installed', { skip }, async (t) => {
  const s = await run(t, { target: sessionPackage(t, { codes: { 'A/checkinstall': 11 } }) });
  t.same(s.ran, ['analysis:checkinstall:P', 'analysis:checkinstall:P.A'], "no later script runs, not even B's checkinstall");
  t.ok(s.report.phases.filter((p) => p.group === 'load').every((p) => p.outcome === 'skipped'));
  t.notOk(await s.exists('products/P'), 'no IPD entry, and no control files left in the IPD');
  t.equal(s.outcome.record.exitCode, 1);
  t.match(s.outcome.record.globalError, /GLOBAL_ERROR/);
});

t.test('remove: the product installed first; an EXCLUDE checkremove stops its preremove; IPD entries removed', { skip }, async (t) => {
  const s = await run(t, { target: sessionPackage(t, { codes: { 'B/checkremove': 3 } }), operation: 'remove' });
  t.same(
    s.ran,
    [
      'analysis:checkremove:P',
      'analysis:checkremove:P.B',
      'analysis:checkremove:P.A',
      'unconfigure:unconfigure:P',
      'unconfigure:unconfigure:P.A',
      'remove:preremove:P',
      'remove:preremove:P.A',
      'remove:remove-payload:P.A',
      'remove:postremove:P.A',
      'remove:postremove:P',
    ],
    'reverse prerequisite order; unconfigure runs under runcmd; B excluded',
  );
  t.equal(s.step('remove:preremove:P.B'), 'excluded');
  t.match(await s.said('remove:preremove:P.A'), /drd=1/);
  t.notOk(await s.exists('products/P/A'), 'A left the IPD');
  t.ok(await s.exists('products/P/B/INDEX'), 'B, excluded, stays installed');
  t.match(await s.sw('swagent.log'), /NOTE: {4}The "checkremove" script for "P\.B" excluded the fileset from this session \(exit code "3"\)\./);
  t.equal(s.outcome.record.exitCode, 0, 'an EXCLUDE is no error');
  t.match(s.outcome.record.baseline, [{ why: /removed from a system where it is installed/ }]);
});

t.test('verify: verify scripts run on what is installed', { skip }, async (t) => {
  const s = await run(t, { target: sessionPackage(t, { codes: { 'A/verify': 2 } }), operation: 'verify' });
  t.same(s.ran, ['verify:verify:P', 'verify:verify:P.A', 'verify:verify:P.B']);
  t.equal(s.outcome.record.exitCode, 2, "a WARNING verify: drd runcmd's exit 2");
});

t.test('upgrade over an HP-UX binary: its stand-in daemon runs, the new preinstall kills it, found on its line and witnessed', { skip }, async (t) => {
  const s = await run(t, {
    target: path.join(EXAMPLES, 'upgrade', 'v2', 'acmeupg.psf'),
    operation: 'upgrade',
    from: path.join(EXAMPLES, 'upgrade', 'v1', 'acmeupg.psf'),
  });
  t.equal(s.report.summary.verdict, 'unsafe');
  t.match(s.outcome.record.standIns, [{ name: 'acmeupgd', pidFile: '/var/run/acmeupgd.pid', running: true, why: /HP-UX Itanium/ }]);
  const kill = s.report.findings.find((f) => f.rule === 'illegal-kill');
  t.match(kill, {
    step: { name: 'preinstall', product: 'ACMEUPG', fileset: 'ACMEUPG-RUN' },
    location: { file: '/var/adm/sw/products/ACMEUPG/ACMEUPG-RUN/preinstall', line: 12 },
  });
  const index = s.report.findings.indexOf(kill!);
  t.match(s.report.groundTruth?.confirmations.find((c) => c.finding === index)?.evidence, /acmeupgd got SIGTERM/, 'the stand-in witnessed it');
  t.match(await s.sw('products/ACMEUPG/pfiles/INDEX'), /^revision 2\.0$/m, 'the IPD says 2.0 after the upgrade');
  t.match(await s.said('load:preinstall:ACMEUPG.ACMEUPG-RUN'), /acmeupgd stopped/, "1.0's init script found the pid file the stand-in wrote");
});

t.test('the HP-UX binary package installs and removes', { skip }, async (t) => {
  const install = await run(t, { target: path.join(EXAMPLES, 'upgrade', 'v1', 'acmeupg.psf') });
  t.equal(install.report.summary.verdict, 'safe');
  t.match(await install.sw('products/ACMEUPG/ACMEUPG-RUN/INFO'), /path \/opt\/acmeupg\/bin\/acmeupgd\ntype f\nmode 0555/);
  const remove = await run(t, { target: path.join(EXAMPLES, 'upgrade', 'v1', 'acmeupg.psf'), operation: 'remove' });
  t.equal(remove.step('remove:remove-payload:ACMEUPG.ACMEUPG-RUN'), 'ran');
  t.notOk(await remove.exists('products/ACMEUPG'));
  t.match(remove.outcome.record.standIns, [{ name: 'acmeupgd', running: true }]);
});

t.test('a session directory is judged again by analyze, to the same verdict', { skip }, async (t) => {
  const s = await run(t, { target: path.join(EXAMPLES, 'unsafe', 'acmebad.psf') });
  const again = await analyzeRunDir(s.out, { format: 'json', print: false }, quietIo(ROOT));
  t.equal(again.report.summary.verdict, 'unsafe');
  t.same(
    again.report.findings.map((f) => `${f.rule}@${f.step?.name}`),
    s.report.findings.map((f) => `${f.rule}@${f.step?.name}`),
  );
  const phases = await readdir(path.join(s.out, 'phases'));
  t.same(
    phases,
    s.report.phases.filter((p) => p.runDir !== undefined).map((p) => path.basename(p.runDir!)),
    'one run directory per script that ran',
  );
  t.same(phases.slice(0, 3), ['00-checkinstall-ACMEBAD', '01-preinstall-ACMEBAD.ACMEBAD-RUN', '03-postinstall-ACMEBAD.ACMEBAD-RUN']);
  for (const p of s.report.phases.filter((p) => p.runDir !== undefined)) {
    const phaseReport = JSON.parse(await readFile(path.join(s.out, p.runDir!, 'report.json'), 'utf8')) as Report;
    t.equal(phaseReport.summary.verdict, p.verdict, `${p.runDir} has its own report, with the verdict the session shows for it`);
  }
  t.ok(
    s.report.phases.some((p) => p.verdict === 'unsafe'),
    'some phase is unsafe',
  );

  // Waivers of a session: each finding's fingerprint names its own phase's script.
  const errors = again.report.findings.filter((f) => f.severity === 'error');
  t.ok(
    errors.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint ?? '')),
    'every finding has a fingerprint',
  );
  t.equal(new Set(errors.map((f) => f.fingerprint)).size, errors.length, 'no two findings share one');
  const waiver = (f: (typeof errors)[number], i: number) => ({
    rule: f.rule,
    fingerprint: f.fingerprint!,
    reason: 'accepted',
    owner: 'qa',
    expires: '2099-01-01',
    file: 'w.yaml',
    line: 1 + i,
  });
  const all = await analyzeRunDir(s.out, { format: 'json', print: false, waivers: { file: 'w.yaml', waivers: errors.map(waiver) } }, quietIo(ROOT));
  t.equal(all.report.summary.verdict, 'safe', 'every error finding waived: safe');
  t.equal(all.report.summary.waived, errors.length);
  t.same(all.report.waivers?.stale, [], 'no waiver stale');
  // Each phase's own report shows the waivers of its findings, none of another phase's as stale.
  for (const p of all.report.phases.filter((p) => p.runDir !== undefined)) {
    const phaseReport = JSON.parse(await readFile(path.join(s.out, p.runDir!, 'report.json'), 'utf8')) as Report;
    const own = errors.filter((f) => f.step?.runDir === p.runDir);
    t.same(
      phaseReport.findings.filter((f) => f.severity === 'error' && f.waived === undefined).map((f) => f.rule),
      [],
      `${p.runDir}: every error finding waived there too`,
    );
    t.equal(phaseReport.summary.waived ?? 0, own.length, `${p.runDir}: ${own.length} waived`);
    t.same(phaseReport.waivers?.stale ?? [], [], `${p.runDir}: no waiver of another phase called stale`);
    t.equal(phaseReport.summary.verdict, p.verdict, `${p.runDir}: the verdict the session shows for it`);
  }
  const one = await analyzeRunDir(s.out, { format: 'json', print: false, waivers: { file: 'w.yaml', waivers: [waiver(errors[0]!, 0)] } }, quietIo(ROOT));
  t.equal(one.report.summary.verdict, 'unsafe', 'one waived, the others still count');
  t.same(
    one.report.findings.filter((f) => f.waived).map((f) => f.fingerprint),
    [errors[0]!.fingerprint],
  );
  for (const p of one.report.phases.filter((p) => p.runDir !== undefined)) {
    const phaseReport = JSON.parse(await readFile(path.join(s.out, p.runDir!, 'report.json'), 'utf8')) as Report;
    const holds = errors[0]!.step?.runDir === p.runDir;
    t.same(
      phaseReport.findings.filter((f) => f.waived).map((f) => f.fingerprint),
      holds ? [errors[0]!.fingerprint] : [],
      `${p.runDir}: ${holds ? 'the one waived finding is here' : 'nothing waived here'}`,
    );
    t.equal(phaseReport.waivers === undefined, !holds, `${p.runDir}: ${holds ? 'lists the waiver it applied' : 'no waiver section'}`);
  }
});

t.test('a malformed package: file, line and problem, exit 2, and no container', async (t) => {
  const dir = t.testdir({ 'bad.psf': 'product\n  tag P\n  fileset\n    is_drd_safe maybe\n' });
  const { client, created } = countingClient();
  await t.rejects(runPackage({ target: path.join(dir, 'bad.psf') }, { io: quietIo(dir), client, session, log: () => {} }), {
    code: 'INPUT_INVALID',
    exitCode: 2,
    message: /bad\.psf:4:\d+: .*is_drd_safe/,
  });
  t.equal(created(), 0, 'nothing ran');
});
