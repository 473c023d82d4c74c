import t from 'tap';
import { controlDirectory, scriptEnvironment, sessionOptions, softwareSpec } from '../../harness/sd/script-environment.js';
import { planSession, type ScriptStep, type SessionPlan } from '../../harness/sd/session-plan.js';
import { SessionRun } from '../../harness/sd/session-run.js';
import { psfPackage, scripts } from '../fixtures/sd/psf-package.js';

const PSF = `product
tag ACME
revision B.01.00
architecture HP-UX_B.11.31_IA
vendor_tag ACME
directory /opt/acme
${scripts('checkinstall', 'preinstall', 'configure', 'verify', 'preremove')}
fileset
tag RUN
is_drd_safe true
${scripts('checkinstall', 'preinstall', 'configure', 'verify', 'preremove')}
fileset
tag KRN
is_drd_safe true
is_kernel true
is_reboot true
${scripts('checkinstall', 'preinstall')}
`;

const step = (plan: SessionPlan, id: string): ScriptStep => {
  const s = plan.steps.find((x) => x.id === id);
  if (s?.kind !== 'script') throw new Error(`no script step ${id}`);
  return s;
};

t.test('a fileset preinstall under drd runcmd', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install', { selections: ['ACME.RUN'] });
  t.same(scriptEnvironment({ plan, step: step(plan, 'load:preinstall:ACME.RUN') }), {
    LANG: 'C',
    SW_ROOT_DIRECTORY: '/',
    SW_PATH: '/sbin:/usr/bin',
    SW_CATALOG: 'var/adm/sw/products',
    SW_CONTROL_DIRECTORY: '/var/adm/sw/products/ACME/RUN/',
    SW_CONTROL_TAG: 'preinstall',
    SW_LOCATION: '/opt/acme',
    SW_SOFTWARE_SPEC: 'ACME.RUN,r=B.01.00,a=HP-UX_B.11.31_IA,v=ACME,l=/opt/acme',
    SW_SESSION_OPTIONS: '/var/adm/sw/products/ACME/RUN/session_options',
    SW_SESSION_IS_DRD: '1',
    SW_KERNEL_PATH: '/stand/vmunix',
    SW_SYSTEM_FILE_PATH: '/stand/system',
  });
});

t.test('SW_INITIAL_INSTALL is unset on a first install: SD sets it only behind a cold install', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install', { selections: ['ACME.RUN'] });
  const s = step(plan, 'load:preinstall:ACME.RUN');
  t.notOk('SW_INITIAL_INSTALL' in scriptEnvironment({ plan, step: s }));
  t.equal(scriptEnvironment({ plan, step: s, coldInstall: true })['SW_INITIAL_INSTALL'], '1');
});

t.test('product-level scripts: the pfiles control directory and a product spec', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install');
  const env = scriptEnvironment({ plan, step: step(plan, 'analysis:checkinstall:ACME'), sessionOptionsPath: '/var/tmp/session' });
  t.same(
    [env['SW_CONTROL_DIRECTORY'], env['SW_SOFTWARE_SPEC'], env['SW_CONTROL_TAG'], env['SW_SESSION_OPTIONS']],
    ['/var/adm/sw/products/ACME/pfiles/', 'ACME,r=B.01.00,a=HP-UX_B.11.31_IA,v=ACME,l=/opt/acme', 'checkinstall', '/var/tmp/session'],
  );
});

t.test('SW_SESSION_IS_KERNEL and SW_SESSION_IS_REBOOT follow the kernel filesets still selected', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install');
  const run = new SessionRun(plan);
  const envs: Record<string, Record<string, string>> = {};
  for (let s = run.next(); s !== undefined; s = run.next()) {
    if (s.kind === 'script') envs[s.id] = scriptEnvironment({ plan, step: s, selected: run.selected() });
    run.record(s, s.id === 'analysis:checkinstall:ACME.KRN' ? 1 : 0);
  }
  const flags = (id: string) => [envs[id]!['SW_SESSION_IS_KERNEL'] ?? null, envs[id]!['SW_SESSION_IS_REBOOT'] ?? null];
  t.same(flags('analysis:checkinstall:ACME.KRN'), ['TRUE', 'TRUE'], 'a kernel fileset is selected');
  t.same(flags('load:preinstall:ACME.RUN'), [null, null], 'after its checkinstall failed, no kernel build is scheduled');
  t.notOk(
    'SW_SESSION_IS_KERNEL' in
      scriptEnvironment({ plan, step: step(plan, 'load:preinstall:ACME.RUN'), selected: plan.selected.filter((s) => s.fileset.tag === 'RUN') }),
  );
});

t.test('configure at boot: no SW_SESSION_IS_DRD, SW_CONFIG_AFTER_REBOOT set', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install', { bootPhase: true });
  const env = scriptEnvironment({ plan, step: step(plan, 'boot:configure:ACME.RUN') });
  t.notOk('SW_SESSION_IS_DRD' in env);
  t.equal(env['SW_CONFIG_AFTER_REBOOT'], '1');
  t.equal(env['SW_CONTROL_TAG'], 'configure');
});

t.test('verify and remove: the swinstall-only variables are absent', async (t) => {
  const pkg = await psfPackage(t, PSF);
  const verify = planSession(pkg, 'verify', { selections: ['ACME.RUN'] });
  const v = scriptEnvironment({ plan: verify, step: step(verify, 'verify:verify:ACME.RUN') });
  t.same([v['SW_IS_COMPATIBLE'], v['SW_KERNEL_PATH'] ?? null, v['SW_SESSION_IS_DRD']], ['true', null, '1']);
  const remove = planSession(pkg, 'remove', { selections: ['ACME.RUN'] });
  const r = scriptEnvironment({ plan: remove, step: step(remove, 'remove:preremove:ACME.RUN') });
  t.same([r['SW_CONTROL_TAG'], r['SW_KERNEL_PATH'] ?? null, r['SW_SESSION_IS_KERNEL'] ?? null], ['preremove', null, null]);
});

t.test('the session options file names the selection and the one target', async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'remove');
  const text = sessionOptions(plan);
  t.match(text, /^logfile=\/var\/adm\/sw\/swremove\.log$/m);
  t.match(text, /^targets=\/$/m);
  t.match(text, /^software=ACME\.RUN,r=B\.01\.00,a=HP-UX_B\.11\.31_IA,v=ACME,l=\/opt\/acme ACME\.KRN,r=B\.01\.00/m);
  t.ok(text.endsWith('\n'));
});

t.test('helpers: controlDirectory and softwareSpec with empty version fields', async (t) => {
  const pkg = await psfPackage(t, 'product\ntag P\nfileset\ntag F\ncontrol_directory fdir\n');
  const p = pkg.products[0]!;
  t.equal(controlDirectory(p, p.filesets[0]), '/var/adm/sw/products/P/fdir/');
  t.equal(softwareSpec(p, p.filesets[0]), 'P.F,r=,a=,v=,l=/');
});
