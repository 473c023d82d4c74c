/**
 * The minimum bar, and the one run of the corpus in containers: every seed
 * example (the shared corpus when it sits beside the project, else the
 * bundled copy) and every bundled extra case reaches the verdict, rules and
 * guarded lines its expect.yaml names, in the real sandbox, and the booted
 * system's ground truth agrees: unsafe ones are confirmed by the witness, safe
 * ones leave the booted tree unchanged and every daemon alive. For the seed
 * examples the first run's own outputs (read through the run contract) are
 * checked too: the script ran in the chroot on the inactive tree beside seven
 * booted daemons, xtrace and strace recorded it whole, and each unsafe example
 * did to the booted system what the specification says it does.
 */
import t from 'tap';
import type { Test } from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { quietIo } from '../../harness/app/io.js';
import { loadCorpus } from '../../harness/corpus/load-corpus.js';
import type { CorpusCase } from '../../harness/corpus/load-corpus.js';
import { checkCase } from '../../harness/corpus/check-case.js';
import type { Report } from '../../harness/report/report.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import { DEFAULT_EXPLORE, runScript } from '../../harness/app/run-script.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';
import { reactions, readRunOutput } from '../fixtures/sandbox/test-session.js';
import type { RunOutput, WitnessLine } from '../fixtures/sandbox/test-session.js';
import { SEED_CORPUS } from '../fixtures/seed-corpus.js';
import { syscallsIn } from '../fixtures/trace/collect.js';

const skip = await dockerSkipReason();
const client = new DockerContainerClient();
const session = newSession();
const seedDir = SEED_CORPUS;

async function run(
  t: { teardown(fn: () => unknown): void },
  script: string,
  phase: string,
  extra: { shared?: readonly string[]; timeoutSeconds?: number; explore?: number; compare?: boolean } = {},
) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-corpus-'));
  t.teardown(() => rm(cwd, { recursive: true, force: true }));
  const out = await runScript(
    { scriptPath: script, phase, format: 'json', ...extra },
    { io: quietIo(cwd), client, session, image: await testImage(), log: () => {} },
  );
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as Report;
  return { out, report };
}

/** What each unsafe example must do to the booted system, checked on the ground truth. */
const UNSAFE: Record<string, (t: Test, out: RunOutput, sender: (w: WitnessLine) => boolean) => void> = {
  's01-kill-9-pid': (t, out) => {
    const comsec = out.result.daemons.find((d) => d.name === 'comsec')!;
    t.equal(comsec.aliveAfter, false, 'comsec was killed');
    t.ok(
      out.witness.some((w) => w.daemon === 'init' && w.event === 'reap' && w.childPid === comsec.nsPid && w.signal === 'SIGKILL'),
      'init reaped comsec, killed by SIGKILL',
    );
  },
  's02-init-script-start': (t, out) => {
    t.ok(
      out.result.leftovers.some((l) => l.argv[0] === '/usr/sbin/comsec'),
      'a second comsec was left running from the inactive tree',
    );
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      'the booted daemons still run',
    );
  },
  's03-vxdctl-stop': (t, out, sender) => {
    const req = out.witness.find((w) => w.daemon === 'vxconfigd' && w.event === 'request');
    t.equal(req?.data, 'stop', 'vxconfigd got the stop request');
    t.equal(req?.endpoint, 'unix:@vxconfigd');
    t.ok(req && sender({ ...req, senderPid: req.peerPid } as WitnessLine), 'from a jail process');
    t.equal(out.result.daemons.find((d) => d.name === 'vxconfigd')?.aliveAfter, false, 'and stopped');
    t.same(out.diff.deleted, ['/var/run/vxconfigd.pid'], 'removing its pid file from the booted tree');
  },
  's04-init-q': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'init' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGHUP', 'the booted init got SIGHUP');
    t.ok(sig && sender(sig), 'from a jail process');
    t.ok(
      out.witness.some((w) => w.daemon === 'init' && w.event === 'reconfigure'),
      'and re-read inittab',
    );
  },
  's05-inetd-c': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'inetd' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGHUP', 'the booted inetd got SIGHUP');
    t.ok(sig && sender(sig), 'from a jail process');
    t.ok(
      out.witness.some((w) => w.daemon === 'inetd' && w.event === 'reconfigure'),
      'and reconfigured',
    );
  },
  's10-unconfigure-comsec-stop': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'comsec' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGTERM', 'the booted comsec got SIGTERM');
    t.ok(sig && sender(sig), 'from a jail process');
    t.equal(out.result.daemons.find((d) => d.name === 'comsec')?.aliveAfter, false, 'and stopped');
    t.same(out.diff.deleted, ['/var/run/comsec.pid']);
  },
  's11-unconfigure-setup-tftp': (t, out, sender) => {
    const req = out.witness.find((w) => w.daemon === 'tftpd' && w.event === 'request');
    t.equal(req?.data, 'remove /opt/ignite/boot', 'tftpd got the request to drop the directory');
    t.equal(req?.endpoint, 'udp:127.0.0.1:69');
    t.ok(req && sender({ ...req, senderPid: req.peerPid } as WitnessLine), 'from a jail process');
  },
};

/** The first run's outputs of a seed example: what run-phase recorded, and the booted system's ground truth. */
function checkSeedRun(t: Test, c: CorpusCase, out: RunOutput): void {
  const name = c.name;
  t.equal(out.result.finished, true, `${name}: the script finished before any limit`);
  t.equal(out.result.limitHit, null, `${name}: no limit hit`);
  t.equal(out.result.scriptJailPath, `/var/adm/sw/products/DRDSAFE-TEST/payload/${c.phase}`, `${name}: the script's jail path`);
  t.equal(out.result.daemons.length, 7, `${name}: seven booted daemons were running`);
  t.ok(
    out.result.daemons.every((d) => d.aliveBefore),
    `${name}: all alive when the script started`,
  );
  t.equal(out.result.init.aliveAfter, true, `${name}: the booted init survives whatever the script does`);
  // Read with the parser: strace may split the chroot into `<unfinished ...>` and `<... chroot resumed>`.
  const chroots = syscallsIn(out.trace, 'chroot').filter((e) => e.argsText === '"/images/inactive"' && e.ret.value === 0);
  t.equal(chroots.length, 1, `${name}: the script ran in the chroot on the inactive tree`);
  // PS4 writes the script's own path as @: it is most of every xtrace line.
  t.equal(out.result.xtraceScriptAlias, '@', `${name}: xtrace writes the script as @ (result.json says so)`);
  t.match(out.scriptStderr, /^\+drdsafe\[@:\d+\] /m, `${name}: xtrace lines name the script line`);
  const first = out.trace.split(' ', 1)[0];
  t.match(
    out.trace,
    new RegExp(`^${first} +[\\d.]+ \\+\\+\\+ exited with ${out.result.exitCode} \\+\\+\\+$`, 'm'),
    `${name}: the trace has the script's exit status, which strace and nsenter pass on`,
  );
  t.equal(out.result.strace?.exitCode, out.result.exitCode, `${name}: strace ended by itself, as the script did`);
  t.notMatch(out.scriptStderr, /^strace: /m, `${name}: strace reported no trouble`);

  // The booted namespace holds init, the seven daemons and the jail: any other sender is the jail.
  const bootedPids = new Set([1, ...out.result.daemons.map((d) => d.nsPid)]);
  const fromJail = (w: WitnessLine): boolean => typeof w.senderPid === 'number' && w.senderPid > 0 && !bootedPids.has(w.senderPid);
  if (c.verdict === 'safe') {
    t.same(reactions(out.witness), [], `${name}: no booted daemon got a signal or a request`);
    t.same(out.diff, { added: [], modified: [], deleted: [] }, `${name}: the booted tree is unchanged`);
    t.ok(
      out.result.daemons.every((d) => d.aliveAfter),
      `${name}: every booted daemon is alive`,
    );
    t.same(out.result.leftovers, [], `${name}: nothing was left running`);
  } else {
    const check = UNSAFE[name];
    t.ok(check, `a ground-truth check exists for ${name}`);
    check?.(t, out, fromJail);
  }
  if (name === 's12-checkremove-exclude') t.equal(out.result.exitCode, 3, 'checkremove returned EXCLUDE');
  else t.equal(out.result.exitCode, 0, `${name}: exit code 0`);
  if (name === 's08-lvlnboot') t.match(out.scriptStdout, /Boot Definitions for Volume Group \/dev\/vg01/);
  if (name === 's13-kill-named-procs') t.notMatch(out.trace, /kill\(\d+/, 'kill_named_procs killed nothing');
}

for (const [label, dir, seeds] of [
  [`seed examples (${path.relative(PROJECT_ROOT, seedDir)})`, seedDir, true],
  ['bundled extra cases', path.join(PROJECT_ROOT, 'examples', 'more'), false],
] as const) {
  t.test(label, { skip }, async (t) => {
    const cases = await loadCorpus(dir);
    t.ok(cases.length >= (seeds ? 13 : 11), `${cases.length} cases`);
    for (const c of cases) {
      // Explored as `drdsafe run` and `drdsafe corpus` do, unless the case says otherwise.
      const { out, report } = await run(t, c.script, c.phase, {
        shared: c.shared,
        ...(c.timeoutSeconds ? { timeoutSeconds: c.timeoutSeconds } : {}),
        explore: c.explore ?? DEFAULT_EXPLORE,
        ...(c.compare !== undefined ? { compare: c.compare } : {}),
      });
      const outcome = checkCase(c, report);
      t.ok(outcome.ok, `${c.name}: expected ${outcome.expected}, got ${outcome.got} ${outcome.problems.join('; ')}`);
      t.equal(out.exitCode, { safe: 0, unsafe: 1, indeterminate: 3 }[c.verdict], `${c.name}: exit code`);
      if (seeds) checkSeedRun(t, c, await readRunOutput(out.runDir));
      const gt = report.groundTruth;
      t.ok(gt, `${c.name}: ground truth present`);
      if (!gt) continue;
      // An attempt the sandbox blocked (a write to a read-only /proc/sys, /proc/1/root
      // without ptrace rights) is still unsafe, but left nothing to witness.
      const landed = report.findings.some((f) => f.severity === 'error' && f.event?.ok === true);
      if (c.verdict === 'unsafe' && landed) {
        t.ok(gt.confirmations.length > 0, `${c.name}: the booted system confirms it (${gt.confirmations.map((x) => x.evidence).join(' | ') || 'nothing'})`);
      } else if (c.verdict !== 'unsafe') {
        const changes = [...gt.bootedDiff.added, ...gt.bootedDiff.modified, ...gt.bootedDiff.deleted];
        t.same(changes, [], `${c.name}: booted tree unchanged`);
        t.same(
          gt.daemons.filter((d) => d.aliveAfter === false).map((d) => d.name),
          [],
          `${c.name}: every daemon alive`,
        );
        t.same(gt.witness, [], `${c.name}: no signal or request reached a daemon`);
      }
    }
  });
}

t.test('hostile scripts: a complete report with the right finding, and the next run works', { skip }, async (t) => {
  const dir = t.testdir({
    'kill-all': '#!/sbin/sh\nkill -9 -1\nsleep 1\nexit 0\n',
    loop: '#!/sbin/sh\n# without xtrace, so the output-size limit does not stop it first\nset +x\nwhile :; do :; done\n',
    'fork-bomb': '#!/sbin/sh\nb() { b | b & }\nb\nwait\n',
    after: '#!/sbin/sh\nexit 0\n',
  });
  const killAll = await run(t, path.join(dir, 'kill-all'), 'preinstall');
  t.equal(killAll.report.summary.verdict, 'unsafe');
  t.ok(
    killAll.report.findings.some((f) => f.rule === 'illegal-kill' && f.detail.signal?.target.kind === 'all'),
    'kill -9 -1 is an illegal kill of everything',
  );
  t.ok(killAll.report.groundTruth?.confirmations.length, 'and the booted daemons felt it');

  const loop = await run(t, path.join(dir, 'loop'), 'postinstall', { timeoutSeconds: 2 });
  t.equal(loop.report.summary.verdict, 'indeterminate');
  t.equal(loop.report.phases[0]?.limitHit, 'timeout');
  t.ok(
    loop.report.findings.some((f) => f.rule === 'run-limit' && /timeout/.test(f.message)),
    'a finding names the timeout',
  );
  t.equal(loop.out.exitCode, 3);

  const bomb = await run(t, path.join(dir, 'fork-bomb'), 'postinstall', { timeoutSeconds: 20 });
  t.not(bomb.report.summary.verdict, 'safe', `a fork bomb is never safe (${bomb.report.summary.verdict})`);
  t.ok(
    bomb.report.findings.some((f) => f.rule === 'run-limit' || f.rule === 'unterminated-process'),
    'a finding says what stopped it',
  );
  t.ok(bomb.report.parse.lines > 0, 'the trace up to that point was kept and read');

  const after = await run(t, path.join(dir, 'after'), 'postinstall');
  t.equal(after.report.summary.verdict, 'safe', 'the next run works');
});
