/**
 * The minimum bar: every seed example (the shared corpus when it sits beside
 * the project, else the bundled copy) and every bundled extra case reaches the
 * verdict and rules its expect.yaml names, in the real sandbox, and the booted
 * system's ground truth agrees: unsafe ones are confirmed by the witness, safe
 * ones leave the booted tree unchanged and every daemon alive.
 */
import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../harness/app/io.js';
import { loadCorpus } from '../../harness/corpus/load-corpus.js';
import { checkCase } from '../../harness/corpus/check-case.js';
import type { Report } from '../../harness/report/report.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import { DEFAULT_EXPLORE, runScript } from '../../harness/app/run-script.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';
import { SEED_CORPUS } from '../fixtures/seed-corpus.js';

const skip = await dockerSkipReason();
const client = new DockerContainerClient();
const session = newSession();
const seedDir = SEED_CORPUS;

function quietIo(cwd: string): CliIo {
  return { stdout: new PassThrough().resume(), stderr: new PassThrough().resume(), env: process.env, cwd, signal: new AbortController().signal, interactive: false };
}

async function run(t: { teardown(fn: () => unknown): void }, script: string, phase: string, extra: { shared?: readonly string[]; timeoutSeconds?: number; explore?: number; compare?: boolean } = {}) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-corpus-'));
  t.teardown(() => rm(cwd, { recursive: true, force: true }));
  const out = await runScript(
    { scriptPath: script, phase, format: 'json', ...extra },
    { io: quietIo(cwd), client, session, image: await testImage(), log: () => {} },
  );
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as Report;
  return { out, report };
}

for (const [label, dir] of [
  [`seed examples (${path.relative(PROJECT_ROOT, seedDir)})`, seedDir],
  ['bundled extra cases', path.join(PROJECT_ROOT, 'examples', 'more')],
] as const) {
  t.test(label, { skip }, async (t) => {
    const cases = await loadCorpus(dir);
    t.ok(cases.length >= 11, `${cases.length} cases`);
    for (const c of cases) {
      // Explored as `drdsafe run` and `drdsafe corpus` do, unless the case says otherwise.
      const explore = c.explore ?? DEFAULT_EXPLORE;
      const { out, report } = await run(t, c.script, c.phase, {
        shared: c.shared,
        ...(c.timeoutSeconds ? { timeoutSeconds: c.timeoutSeconds } : {}),
        explore,
        compare: c.compare ?? explore > 0,
      });
      const outcome = checkCase(c, report);
      t.ok(outcome.ok, `${c.name}: expected ${outcome.expected}, got ${outcome.got} ${outcome.problems.join('; ')}`);
      t.equal(out.exitCode, { safe: 0, unsafe: 1, indeterminate: 3 }[c.verdict], `${c.name}: exit code`);
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
        t.same(gt.daemons.filter((d) => d.aliveAfter === false).map((d) => d.name), [], `${c.name}: every daemon alive`);
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
  t.ok(killAll.report.findings.some((f) => f.rule === 'illegal-kill' && f.detail.signal?.target.kind === 'all'), 'kill -9 -1 is an illegal kill of everything');
  t.ok(killAll.report.groundTruth?.confirmations.length, 'and the booted daemons felt it');

  const loop = await run(t, path.join(dir, 'loop'), 'postinstall', { timeoutSeconds: 2 });
  t.equal(loop.report.summary.verdict, 'indeterminate');
  t.equal(loop.report.phases[0]?.limitHit, 'timeout');
  t.ok(loop.report.findings.some((f) => f.rule === 'run-limit' && /timeout/.test(f.message)), 'a finding names the timeout');
  t.equal(loop.out.exitCode, 3);

  const bomb = await run(t, path.join(dir, 'fork-bomb'), 'postinstall', { timeoutSeconds: 20 });
  t.not(bomb.report.summary.verdict, 'safe', `a fork bomb is never safe (${bomb.report.summary.verdict})`);
  t.ok(bomb.report.findings.some((f) => f.rule === 'run-limit' || f.rule === 'unterminated-process'), 'a finding says what stopped it');
  t.ok(bomb.report.parse.lines > 0, 'the trace up to that point was kept and read');

  const after = await run(t, path.join(dir, 'after'), 'postinstall');
  t.equal(after.report.summary.verdict, 'safe', 'the next run works');
});
