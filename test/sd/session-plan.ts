import t from 'tap';
import type { PlanStep } from '../../harness/sd/session-plan.js';
import { planSession } from '../../harness/sd/session-plan.js';
import { psfPackage, scripts } from '../fixtures/sd/psf-package.js';

const ALL = ['checkinstall', 'preinstall', 'postinstall', 'configure', 'unconfigure', 'checkremove', 'preremove', 'postremove', 'verify'];

/**
 * Product B (listed first) needs A.LIB; A.RUN (listed before A.LIB) needs A.LIB too.
 * Prerequisite order is therefore A before B, and LIB before RUN.
 */
const twoProducts = `depot
product
tag B
revision 2.0
${scripts(...ALL)}
fileset
tag X
is_drd_safe true
prerequisite A.LIB
${scripts(...ALL)}
product
tag A
revision 1.0
${scripts(...ALL)}
fileset
tag RUN
is_drd_safe true
prerequisite A.LIB
${scripts(...ALL)}
fileset
tag LIB
is_drd_safe true
${scripts(...ALL)}
`;

const ids = (steps: readonly PlanStep[], status?: PlanStep['planned']) => steps.filter((s) => status === undefined || s.planned === status).map((s) => s.id);

t.test('install: every checkinstall first, then per product preinstall, per fileset pre/load/post, product postinstall; configure deferred', async (t) => {
  const plan = planSession(await psfPackage(t, twoProducts), 'install');
  t.equal(plan.runcmd, true, 'runcmd by default');
  t.same(ids(plan.steps), [
    'analysis:checkinstall:A',
    'analysis:checkinstall:A.LIB',
    'analysis:checkinstall:A.RUN',
    'analysis:checkinstall:B',
    'analysis:checkinstall:B.X',
    'load:preinstall:A',
    'load:preinstall:A.LIB',
    'load:load-payload:A.LIB',
    'load:postinstall:A.LIB',
    'load:preinstall:A.RUN',
    'load:load-payload:A.RUN',
    'load:postinstall:A.RUN',
    'load:postinstall:A',
    'load:preinstall:B',
    'load:preinstall:B.X',
    'load:load-payload:B.X',
    'load:postinstall:B.X',
    'load:postinstall:B',
    'configure:configure:A',
    'configure:configure:A.LIB',
    'configure:configure:A.RUN',
    'configure:configure:B',
    'configure:configure:B.X',
  ]);
  t.same(
    ids(plan.steps, 'deferred'),
    ids(plan.steps).filter((id) => id.startsWith('configure:')),
  );
  t.match(plan.steps.find((s) => s.planned === 'deferred')!.why, /drd runcmd does not run configure: it runs when the inactive image is booted/);
  t.same(
    plan.steps.map((s) => s.index),
    plan.steps.map((_, i) => i),
  );
  t.same(
    plan.selected.map((s) => `${s.product.tag}.${s.fileset.tag}`),
    ['A.LIB', 'A.RUN', 'B.X'],
  );
  t.equal(plan.baseline, undefined, 'a fresh install starts from a system without the product');
});

t.test('install with --boot-phase runs configure afterwards as the boot would; without runcmd it is part of the session', async (t) => {
  const pkg = await psfPackage(t, twoProducts);
  const boot = planSession(pkg, 'install', { bootPhase: true });
  const configure = boot.steps.filter((s) => s.kind === 'script' && s.tag === 'configure');
  t.same([...new Set(configure.map((s) => `${s.group}/${s.planned}`))], ['boot/run']);
  const plain = planSession(pkg, 'install', { runcmd: false });
  t.same([...new Set(plain.steps.filter((s) => s.kind === 'script' && s.tag === 'configure').map((s) => `${s.group}/${s.planned}`))], ['configure/run']);
  const alt = planSession(pkg, 'install', { runcmd: false, alternateRoot: true });
  t.same([...new Set(alt.steps.filter((s) => s.kind === 'script' && s.tag === 'configure').map((s) => s.planned))], ['not-run']);
});

t.test('remove: checkremove, unconfigure, then preremove / remove / postremove in reverse prerequisite order', async (t) => {
  const plan = planSession(await psfPackage(t, twoProducts), 'remove');
  t.same(ids(plan.steps), [
    'analysis:checkremove:B',
    'analysis:checkremove:B.X',
    'analysis:checkremove:A',
    'analysis:checkremove:A.RUN',
    'analysis:checkremove:A.LIB',
    'unconfigure:unconfigure:B',
    'unconfigure:unconfigure:B.X',
    'unconfigure:unconfigure:A',
    'unconfigure:unconfigure:A.RUN',
    'unconfigure:unconfigure:A.LIB',
    'remove:preremove:B',
    'remove:preremove:B.X',
    'remove:remove-payload:B.X',
    'remove:postremove:B.X',
    'remove:postremove:B',
    'remove:preremove:A',
    'remove:preremove:A.RUN',
    'remove:preremove:A.LIB',
    'remove:remove-payload:A.RUN',
    'remove:remove-payload:A.LIB',
    'remove:postremove:A.RUN',
    'remove:postremove:A.LIB',
    'remove:postremove:A',
  ]);
  t.same(ids(plan.steps, 'run'), ids(plan.steps));
  t.match(plan.baseline, { why: /installed/ });
  const alt = planSession(await psfPackage(t, twoProducts), 'remove', { alternateRoot: true });
  t.same(
    alt.steps.filter((s) => s.group === 'unconfigure').map((s) => s.planned),
    ['not-run', 'not-run', 'not-run', 'not-run', 'not-run'],
  );
  t.match(alt.steps.find((s) => s.group === 'unconfigure')!.why, /only for software in \/ \(not an alternate root\)/);
});

t.test('remove leaves out what staying software needs; install selects what the selection needs', async (t) => {
  const pkg = await psfPackage(t, twoProducts);
  const remove = planSession(pkg, 'remove', { selections: ['A.LIB', 'A.RUN'] });
  t.same(
    remove.selected.map((s) => `${s.product.tag}.${s.fileset.tag}`),
    ['A.RUN'],
  );
  t.same(remove.notes, ['A.LIB is not removed: B.X needs it and stays installed']);
  const install = planSession(pkg, 'install', { selections: ['B'] });
  t.same(
    install.selected.map((s) => [`${s.product.tag}.${s.fileset.tag}`, s.reason, s.neededBy ?? null]),
    [
      ['A.LIB', 'dependency', 'B.X'],
      ['B.X', 'selected', null],
    ],
  );
});

t.test('verify runs verify scripts; fix is refused under runcmd and run without it', async (t) => {
  const pkg = await psfPackage(t, twoProducts.replace(/verify s\/verify\n/g, 'verify s/verify\nfix s/fix\n'));
  const plan = planSession(pkg, 'verify', { selections: ['A'], fix: true });
  t.same(ids(plan.steps), ['verify:verify:A', 'verify:fix:A', 'verify:verify:A.LIB', 'verify:fix:A.LIB', 'verify:verify:A.RUN', 'verify:fix:A.RUN']);
  t.same(
    plan.steps.filter((s) => s.kind === 'script' && s.tag === 'fix').map((s) => s.planned),
    ['refused', 'refused', 'refused'],
  );
  t.match(plan.steps[1]!.why, /drd runcmd refuses swverify -F/);
  const plain = planSession(pkg, 'verify', { selections: ['A'], fix: true, runcmd: false });
  t.same([...new Set(plain.steps.map((s) => s.planned))], ['run']);
  t.same(ids(planSession(pkg, 'verify', { selections: ['A.LIB'] }).steps), ['verify:verify:A', 'verify:verify:A.LIB']);
});

t.test('upgrade: install steps, with the earlier revision as the baseline', async (t) => {
  const v2 = await psfPackage(t, twoProducts);
  const v1 = await psfPackage(t, twoProducts.replace('revision 1.0', 'revision 0.9'));
  const plan = planSession(v2, 'upgrade', { from: v1 });
  t.equal(plan.baseline?.package, v1);
  t.same(ids(plan.steps), ids(planSession(v2, 'install').steps));
  t.equal(planSession(v2, 'upgrade').baseline?.package, v2, 'without --from, the same package');
});

t.test('under runcmd a fileset whose is_drd_safe is not true is refused, with what needs it', async (t) => {
  const pkg = await psfPackage(
    t,
    `product
tag P
${scripts('checkinstall', 'preinstall')}
fileset
tag SAFE
is_drd_safe true
${scripts('preinstall')}
fileset
tag UNSET
${scripts('preinstall', 'verify')}
fileset
tag NEEDY
is_drd_safe true
prerequisite P.UNSET
${scripts('preinstall')}
product
tag Q
${scripts('preinstall')}
fileset
tag NO
is_drd_safe false
${scripts('checkinstall')}
`,
  );
  const plan = planSession(pkg, 'install');
  t.same(
    plan.refused.map((r) => [`${r.product.tag}.${r.fileset.tag}`, r.why]),
    [
      ['P.UNSET', 'is_drd_safe is not set (its default is false): drd runcmd excludes the fileset from the session'],
      ['Q.NO', 'is_drd_safe is false: drd runcmd excludes the fileset from the session'],
      ['P.NEEDY', 'its prerequisite P.UNSET is refused by drd runcmd'],
    ],
  );
  t.same(
    plan.selected.map((s) => s.fileset.tag),
    ['SAFE'],
  );
  t.same(
    plan.steps.map((s) => `${s.id} ${s.planned}`),
    [
      'analysis:checkinstall:P run',
      'analysis:checkinstall:Q.NO refused',
      'load:preinstall:P run',
      'load:preinstall:P.SAFE run',
      'load:load-payload:P.SAFE run',
      'load:preinstall:P.UNSET refused',
      'load:load-payload:P.UNSET refused',
      'load:preinstall:P.NEEDY refused',
      'load:load-payload:P.NEEDY refused',
      'load:preinstall:Q refused',
      'load:load-payload:Q.NO refused',
    ],
  );
  t.equal(plan.steps.find((s) => s.id === 'load:preinstall:Q')!.why, 'every selected fileset of the product is refused by drd runcmd');
  t.same(planSession(pkg, 'install', { runcmd: false }).refused, [], 'plain swinstall has no such rule');
  t.same(planSession(pkg, 'verify').refused, [], 'swverify may run on any package under runcmd (seed: runcmd notes)');
});

t.test('an 11i v2 patch without is_drd_safe is DRD-safe; an 11i v3 one is not', async (t) => {
  const patch = (release: string) => `product
tag PHCO_12345
is_patch true
os_release ${release}
fileset
tag CMDS
is_patch true
${scripts('postinstall')}
`;
  t.same(planSession(await psfPackage(t, patch('B.11.23')), 'install').refused, []);
  t.same(
    planSession(await psfPackage(t, patch('B.11.31')), 'install').refused.map((r) => r.fileset.tag),
    ['CMDS'],
  );
});

t.test('request and recovery scripts are listed as not run, with why', async (t) => {
  const pkg = await psfPackage(t, `product\ntag P\nfileset\ntag F\nis_drd_safe true\n${scripts('request', 'unpreinstall', 'unpostinstall')}`);
  const plan = planSession(pkg, 'install');
  t.same(
    plan.steps.map((s) => [s.id, s.planned]),
    [
      ['load:load-payload:P.F', 'run'],
      ['load:request:P.F', 'not-run'],
      ['load:unpreinstall:P.F', 'not-run'],
      ['load:unpostinstall:P.F', 'not-run'],
    ],
  );
});

t.test('selections: patterns, revision qualifiers, and selections matching nothing', async (t) => {
  const pkg = await psfPackage(t, twoProducts);
  t.same(
    planSession(pkg, 'verify', { selections: ['*.R*'] }).selected.map((s) => s.fileset.tag),
    ['RUN'],
  );
  t.same(
    planSession(pkg, 'verify', { selections: ['A,r>=1.0'] }).selected.map((s) => s.fileset.tag),
    ['LIB', 'RUN'],
  );
  t.same(
    planSession(pkg, 'verify', { selections: ['B,r=2.0'] }).selected.map((s) => s.fileset.tag),
    ['X'],
  );
  t.throws(
    () => planSession(pkg, 'verify', { selections: ['B,r<2.0'] }),
    { code: 'USAGE' },
    'B is r=2.0: a qualifier that excludes everything matches nothing',
  );
  t.throws(() => planSession(pkg, 'install', { selections: ['NOPE', 'A.NOPE'] }), {
    code: 'USAGE',
    message:
      'bad software selection: `NOPE` matches no product or fileset in ' +
      pkg.path +
      ' (it has B, A); `A.NOPE` matches no product or fileset in ' +
      pkg.path +
      ' (it has B, A)',
  });
});

t.test('a kernel or reboot fileset is noted: drd runcmd suppresses the reboot', async (t) => {
  const pkg = await psfPackage(t, 'product\ntag K\nfileset\ntag KRN\nis_drd_safe true\nis_kernel true\nis_reboot true\n');
  t.same(planSession(pkg, 'install').notes, ['a selected fileset is a kernel or reboot fileset: drd runcmd suppresses the reboot (-x autoreboot is ignored)']);
});
