import path from 'node:path';
import t from 'tap';
import { baselineInstall } from '../../harness/sd/baseline-install.js';
import { readPackagePayload } from '../../harness/sd/payload-ops.js';
import { readPackage } from '../../harness/sd/read-package.js';
import { standInDaemons } from '../../harness/sd/standin-daemons.js';
import { ROOT } from '../fixtures/sd/paths.js';

const EXAMPLES = path.join(ROOT, 'examples', 'packages');

t.test("what is installed before: control files, then SD's install steps on /, its IPD entry configured", async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'drd-safe', 'acmesafe.psf'));
  const bytes = await readPackagePayload(pkg);
  const steps = baselineInstall([{ pkg, bytes, why: 'test' }], new Date(0), '/drdsafe/in');
  const ops = steps.flatMap((s) => (s.kind === 'ops' ? s.ops : []));
  t.ok(
    ops.some((o) => o.op === 'file' && o.path === '/var/adm/sw/products/ACMESAFE/ACMESAFE-RUN/preinstall'),
    'control files in their control directory',
  );
  t.ok(
    ops.some((o) => o.op === 'file' && o.path === '/opt/acmesafe/bin/acmesafed'),
    'the payload',
  );
  t.ok(
    ops.some((o) => o.op === 'text' && o.path.endsWith('ACMESAFE-RUN/INDEX') && o.text.includes('state configured')),
    'configured: its configure ran',
  );
  const order = steps.map((s) =>
    s.kind === 'script'
      ? s.label.split(' (')[0]
      : s.change !== undefined
        ? `load ${s.ops.find((o) => o.op === 'text' && o.path.endsWith('/INDEX') && !o.path.includes('pfiles'))?.path}`
        : 'files',
  );
  t.same(
    order.filter((o) => o !== 'files'),
    [
      'checkinstall of ACMESAFE',
      'preinstall of ACMESAFE.ACMESAFE-RUN',
      'load /var/adm/sw/products/ACMESAFE/ACMESAFE-RUN/INDEX',
      'postinstall of ACMESAFE.ACMESAFE-RUN',
      'load /var/adm/sw/products/ACMESAFE/ACMESAFE-BOOT/INDEX',
      'configure of ACMESAFE.ACMESAFE-RUN',
    ],
    "in SD's order, configure too: swinstall on / runs it",
  );
  const configure = steps.find((s) => s.kind === 'script' && s.label.startsWith('configure'));
  t.match(configure, { kind: 'script', path: '/var/adm/sw/products/ACMESAFE/ACMESAFE-RUN/configure', env: { SW_CONTROL_TAG: 'configure' } });
  t.equal(configure?.kind === 'script' ? configure.env['SW_SESSION_IS_DRD'] : 'x', undefined, 'installed on /, not under runcmd');
  t.notOk(
    ops.some((o) => o.op === 'stand-in'),
    'shell-script daemons run as they are',
  );
});

t.test('an HP-UX binary in the payload gets a stand-in daemon, with the pid file its init script names', async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'upgrade', 'v1', 'acmeupg.psf'));
  const bytes = new Map(await readPackagePayload(pkg));
  const binary = [...bytes.keys()].find((e) => e.path === '/opt/acmeupg/bin/acmeupgd')!;
  const elf = Buffer.alloc(64);
  elf.write('\x7fELF\x02\x02\x01', 0, 'latin1');
  elf.writeUInt16BE(50, 18);
  bytes.set(binary, elf);
  const standIns = baselineInstall([{ pkg, bytes, why: 'test' }], new Date(0), '/drdsafe/in').flatMap((s) =>
    s.kind === 'ops' ? s.ops.filter((o) => o.op === 'stand-in') : [],
  );
  t.equal(standIns.length, 1, 'the stand-in takes its place once the fileset is loaded');
  t.same(standInDaemons(pkg, bytes), [
    {
      path: '/opt/acmeupg/bin/acmeupgd',
      name: 'acmeupgd',
      pidFile: '/var/run/acmeupgd.pid',
      why: '/opt/acmeupg/bin/acmeupgd is an HP-UX Itanium (ELF IA-64) executable, which cannot run in the sandbox',
    },
  ]);
});
