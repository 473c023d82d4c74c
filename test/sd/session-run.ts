import t from 'tap';
import { InternalError } from '../../harness/errors.js';
import { planSession, type Operation, type PlanOptions } from '../../harness/sd/session-plan.js';
import { interpretExitCode, SessionRun, type SessionResult } from '../../harness/sd/session-run.js';
import type { Package } from '../../harness/sd/package.js';
import { psfPackage, scripts } from '../fixtures/sd/psf-package.js';

const ALL = ['checkinstall', 'preinstall', 'postinstall', 'configure', 'unconfigure', 'checkremove', 'preremove', 'postremove'];

/** P has RUN (needs LIB), LIB and DOC; Q has one fileset. */
const PSF = `product
tag P
${scripts(...ALL)}
fileset
tag LIB
is_drd_safe true
${scripts(...ALL)}
fileset
tag RUN
is_drd_safe true
prerequisite P.LIB
${scripts(...ALL)}
fileset
tag DOC
is_drd_safe true
${scripts(...ALL)}
product
tag Q
fileset
tag ONE
is_drd_safe true
${scripts(...ALL)}
`;

/** Runs the plan, answering each script with `codes[id]` (default 0); returns the result and the ids that ran. */
function drive(pkg: Package, operation: Operation, codes: Record<string, number>, options: PlanOptions = {}): { result: SessionResult; ran: string[] } {
  const run = new SessionRun(planSession(pkg, operation, options));
  const ran: string[] = [];
  for (let step = run.next(); step !== undefined; step = run.next()) {
    ran.push(step.id);
    run.record(step, codes[step.id] ?? 0);
  }
  return { result: run.result(), ran };
}

const outcome = (r: SessionResult, id: string) => {
  const o = r.outcomes.find((x) => x.step.id === id);
  if (o === undefined) throw new Error(`no outcome for ${id}`);
  return [o.outcome, o.exitCode ?? null, o.result ?? null, o.why ?? null];
};

t.test('all scripts succeed: every step ran, status success, configure deferred', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', {});
  t.equal(result.status, 'success');
  t.equal(ran.length, result.outcomes.filter((o) => o.outcome === 'ran').length);
  t.same([...new Set(result.outcomes.filter((o) => o.outcome !== 'ran').map((o) => o.outcome))], ['deferred']);
  t.same(
    result.outcomes.map((o) => o.step.index),
    result.outcomes.map((_, i) => i),
    'one outcome per step, in plan order',
  );
});

t.test('an ERROR checkinstall drops its fileset, and what needs it; the rest installs; status error', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P.LIB': 1 });
  t.equal(result.status, 'error');
  t.same(outcome(result, 'analysis:checkinstall:P.LIB'), ['ran', 1, 'error', 'ERROR: the fileset is not installed']);
  t.same(outcome(result, 'analysis:checkinstall:P.RUN'), [
    'skipped',
    null,
    null,
    'its prerequisite P.LIB is not installed (checkinstall of P.LIB failed (exit 1))',
  ]);
  for (const id of ['load:preinstall:P.LIB', 'load:load-payload:P.LIB', 'load:postinstall:P.LIB', 'load:preinstall:P.RUN', 'load:load-payload:P.RUN']) {
    t.equal(outcome(result, id)[0], 'skipped', id);
    t.notOk(ran.includes(id), `${id} did not run`);
  }
  for (const id of ['load:preinstall:P', 'load:preinstall:P.DOC', 'load:load-payload:P.DOC', 'load:postinstall:P', 'load:preinstall:Q.ONE'])
    t.ok(ran.includes(id), `${id} ran`);
  t.same(
    result.dropped.map((d) => d.key),
    ['P.LIB', 'P.RUN'],
  );
});

t.test('an ERROR product checkinstall drops the product: none of its scripts or filesets', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P': 1 });
  t.notOk(ran.some((id) => /:P(\.|$)/.test(id) && id !== 'analysis:checkinstall:P'));
  t.same(outcome(result, 'load:postinstall:P'), ['skipped', null, null, 'checkinstall of P failed (exit 1)']);
  t.ok(ran.includes('load:load-payload:Q.ONE'));
  t.equal(result.status, 'error');
});

t.test('11 (GLOBAL_ERROR) from a checkinstall: nothing is installed', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P.RUN': 11 });
  t.same(ran, ['analysis:checkinstall:P', 'analysis:checkinstall:P.LIB', 'analysis:checkinstall:P.RUN']);
  t.equal(result.globalError, 'checkinstall of P.RUN returned GLOBAL_ERROR (exit 11)');
  t.equal(result.status, 'error');
  t.same(outcome(result, 'load:load-payload:Q.ONE'), ['skipped', null, null, 'nothing is installed: checkinstall of P.RUN returned GLOBAL_ERROR (exit 11)']);
  t.ok(result.outcomes.slice(3).every((o) => o.outcome === 'skipped' || o.outcome === 'deferred'));
});

t.test('12 from a fileset checkinstall notes a reboot, suppressed under runcmd; the fileset installs', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P.DOC': 12 });
  t.same(outcome(result, 'analysis:checkinstall:P.DOC'), ['ran', 12, 'reboot', 'REBOOT: the fileset needs a reboot']);
  t.same([result.rebootRequested, result.rebootSuppressed, result.status], [['P.DOC'], true, 'success']);
  t.ok(ran.includes('load:load-payload:P.DOC'));
  const plain = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P.DOC': 12 }, { runcmd: false }).result;
  t.equal(plain.rebootSuppressed, false);
  const product = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:P': 12 }).result;
  t.same(outcome(product, 'analysis:checkinstall:P'), ['ran', 12, 'error', 'exit code 12 is not one checkinstall may return: treated as an error']);
});

t.test('3 (EXCLUDE) from a checkinstall deselects the fileset without failing the session', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'analysis:checkinstall:Q.ONE': 3 });
  t.equal(result.status, 'success');
  t.same(outcome(result, 'load:preinstall:Q.ONE'), ['excluded', null, null, 'checkinstall of Q.ONE excluded it (exit 3)']);
  t.notOk(ran.some((id) => id.includes('Q.ONE') && !id.startsWith('analysis')));
  t.same(result.excluded, [{ key: 'Q.ONE', why: 'checkinstall of Q.ONE excluded it (exit 3)' }]);
});

t.test('an EXCLUDE checkremove stops its unconfigure, preremove, removal and postremove; others are removed', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'remove', { 'analysis:checkremove:P.DOC': 3 });
  t.equal(result.status, 'success');
  for (const id of ['unconfigure:unconfigure:P.DOC', 'remove:preremove:P.DOC', 'remove:remove-payload:P.DOC', 'remove:postremove:P.DOC']) {
    t.same(outcome(result, id), ['excluded', null, null, 'checkremove of P.DOC excluded it (exit 3)'], id);
  }
  for (const id of ['remove:preremove:P', 'remove:preremove:P.RUN', 'remove:remove-payload:P.LIB', 'remove:postremove:P']) t.ok(ran.includes(id), `${id} ran`);
});

t.test('an excluded product-level checkremove takes every fileset of the product with it', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'remove', { 'analysis:checkremove:P': 3 });
  t.same(
    ran.filter((id) => id.includes(':P')),
    ['analysis:checkremove:P'],
  );
  t.same(outcome(result, 'remove:remove-payload:P.RUN'), ['excluded', null, null, 'checkremove of P excluded it (exit 3)']);
  t.same(outcome(result, 'remove:postremove:P'), ['excluded', null, null, 'checkremove of P excluded it (exit 3)']);
  t.ok(ran.includes('remove:remove-payload:Q.ONE'));
});

t.test('a failing checkremove keeps its fileset, and what it needs, installed', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'remove', { 'analysis:checkremove:P.RUN': 1 });
  t.equal(result.status, 'error');
  t.notOk(ran.includes('remove:remove-payload:P.RUN'));
  t.same(outcome(result, 'remove:remove-payload:P.LIB'), ['skipped', null, null, 'P.RUN needs it and stays installed']);
  t.ok(ran.includes('remove:remove-payload:P.DOC'));
});

t.test('errors and warnings outside check scripts are logged and the session goes on', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'load:preinstall:P.LIB': 1, 'load:postinstall:Q.ONE': 2 });
  t.ok(ran.includes('load:load-payload:P.LIB'), 'preinstall failure: swinstall loads the files regardless');
  t.ok(ran.includes('load:postinstall:P.LIB'));
  t.same(outcome(result, 'load:preinstall:P.LIB'), ['ran', 1, 'error', 'ERROR: logged; the session goes on']);
  t.equal(result.status, 'error');
  const warn = drive(await psfPackage(t, PSF), 'install', { 'load:postinstall:Q.ONE': 2 }).result;
  t.equal(warn.status, 'warning');
  const odd = drive(await psfPackage(t, PSF), 'remove', { 'remove:preremove:P.DOC': 3, 'unconfigure:unconfigure:Q.ONE': 7 }).result;
  t.same(outcome(odd, 'remove:preremove:P.DOC')[2], 'error', '3 means EXCLUDE only from a check script');
  t.same(outcome(odd, 'unconfigure:unconfigure:Q.ONE'), ['ran', 7, 'error', 'exit code 7 is not one unconfigure may return: treated as an error']);
  t.ok(odd.outcomes.find((o) => o.step.id === 'remove:remove-payload:P.DOC')?.outcome === 'ran');
});

t.test('a failed payload step is an error and the session goes on', async (t) => {
  const { result, ran } = drive(await psfPackage(t, PSF), 'install', { 'load:load-payload:P.DOC': 1 });
  t.same(outcome(result, 'load:load-payload:P.DOC'), ['ran', 1, 'error', 'load-payload failed']);
  t.ok(ran.includes('load:postinstall:P.DOC'));
  t.equal(result.status, 'error');
});

t.test('selected() follows the session: dropped and excluded filesets leave it', async (t) => {
  const run = new SessionRun(planSession(await psfPackage(t, PSF), 'install'));
  const seen: string[][] = [];
  for (let step = run.next(); step !== undefined; step = run.next()) {
    run.record(step, step.id === 'analysis:checkinstall:P.DOC' ? 3 : 0);
    if (step.id === 'analysis:checkinstall:P.DOC' || step.id === 'analysis:checkinstall:P') seen.push(run.selected().map((s) => s.fileset.tag));
  }
  t.same(seen, [
    ['LIB', 'RUN', 'DOC', 'ONE'],
    ['LIB', 'RUN', 'ONE'],
  ]);
});

t.test('the runner cannot get out of step with the state machine', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install');
  const run = new SessionRun(plan);
  const first = run.next()!;
  t.throws(() => run.next(), InternalError, 'next() before record()');
  t.throws(() => run.record(plan.steps[5]!, 0), InternalError, 'record() of another step');
  t.throws(() => run.result(), InternalError, 'result() mid-session');
  run.record(first, 0);
});

t.test('interpretExitCode: the table', async (t) => {
  const r = (tag: Parameters<typeof interpretExitCode>[0], level: 'product' | 'fileset', code: number) => interpretExitCode(tag, level, code).result;
  t.same(
    [
      r('checkinstall', 'fileset', 0),
      r('checkinstall', 'fileset', 1),
      r('checkinstall', 'fileset', 2),
      r('checkinstall', 'fileset', 3),
      r('checkinstall', 'fileset', 11),
      r('checkinstall', 'fileset', 12),
    ],
    ['success', 'error', 'warning', 'excluded', 'global-error', 'reboot'],
  );
  t.same(
    [
      r('checkremove', 'product', 3),
      r('checkremove', 'fileset', 11),
      r('checkremove', 'fileset', 12),
      r('postinstall', 'fileset', 3),
      r('verify', 'fileset', 2),
    ],
    ['excluded', 'error', 'error', 'error', 'warning'],
  );
});
