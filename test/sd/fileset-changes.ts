import path from 'node:path';
import t from 'tap';
import type { TreeOp } from '../../harness/contract/session-protocol.js';
import { installChange, removeChange } from '../../harness/sd/fileset-changes.js';
import { unregisterOps } from '../../harness/sd/ipd-ops.js';
import { readPackagePayload } from '../../harness/sd/payload-ops.js';
import { readPackage } from '../../harness/sd/read-package.js';
import { ROOT } from '../fixtures/sd/paths.js';

const EXAMPLES = path.join(ROOT, 'examples', 'packages');
const date = new Date(Date.UTC(2024, 5, 1, 10, 12, 41));
const facts = { date, source: 'localhost:x', state: 'installed' as const };
const ctx = { date, sourceDir: '/drdsafe/in', sourcePrefix: 'steps/4' };
const kinds = (ops: readonly TreeOp[]) => ops.map((o) => `${o.op} ${o.path}`);

t.test('a plain fileset: its files with modes and owners, links, then its IPD entry; removal the other way round', async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'upgrade', 'v1', 'acmeupg.psf'));
  const bytes = await readPackagePayload(pkg);
  const [p, f] = [pkg.products[0]!, pkg.products[0]!.filesets[0]!];
  const install = installChange(p, f, bytes, facts, ctx);
  t.same(kinds(install.ops), [
    'file /opt/acmeupg/bin/acmeupgd',
    'file /sbin/init.d/acmeupgd',
    'file /etc/rc.config.d/acmeupgd',
    'symlink /sbin/rc3.d/S900acmeupgd',
    'symlink /sbin/rc2.d/K100acmeupgd',
    'text /var/adm/sw/products/ACMEUPG/pfiles/INDEX',
    'text /var/adm/sw/products/ACMEUPG/ACMEUPG-RUN/INDEX',
    'text /var/adm/sw/products/ACMEUPG/ACMEUPG-RUN/INFO',
  ]);
  t.match(install.ops[0], { op: 'file', mode: 0o555, owner: 'bin', group: 'bin', source: '/drdsafe/in/steps/4/0' });
  t.match(install.ops[3], { op: 'symlink', target: '/sbin/init.d/acmeupgd' });
  t.equal(install.sources.size, 3, 'the three regular files are sent');
  t.same(install.after(install.ops.map(() => 'done')), { ops: [], log: [], detail: '5 files loaded' });
  const remove = removeChange(p, f, ctx);
  t.same(kinds(remove.ops), [
    'remove /opt/acmeupg/bin/acmeupgd',
    'remove /sbin/init.d/acmeupgd',
    'remove /etc/rc.config.d/acmeupgd',
    'remove /sbin/rc3.d/S900acmeupgd',
    'remove /sbin/rc2.d/K100acmeupgd',
  ]);
  t.notOk(
    remove.ops.some((o) => o.path.startsWith('/var/adm/sw/products')),
    'the IPD entry stays for the postremove scripts; the session removes it at its end',
  );
  const unregister = unregisterOps(p, f);
  t.same(kinds(unregister), ['remove-tree /var/adm/sw/products/ACMEUPG/ACMEUPG-RUN', 'remove-tree /var/adm/sw/products/ACMEUPG']);
  t.match(unregister.at(-1), { ifOnly: ['pfiles'] }, 'the product goes once none of its filesets is left');
});

t.test('a patch: originals saved unless PATCH_NOSAVE, the superseded patch marked, PATCH.log and .SUPERSEDED', async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'patch', 'PHCO_40001', 'PHCO_40001.psf'));
  const bytes = await readPackagePayload(pkg);
  const [p, f] = [pkg.products[0]!, pkg.products[0]!.filesets[0]!];
  const install = installChange(p, f, bytes, facts, ctx);
  t.match(install.ops[0], {
    op: 'copy',
    path: '/opt/acmesafe/bin/acmesafed',
    to: '/var/adm/sw/save/PHCO_40001/ACMESAFE-RUN/opt/acmesafe/bin/acmesafed',
    unless: '/var/adm/sw/patch/PATCH_NOSAVE',
  });
  t.match(install.ops.at(-1), {
    op: 'set-attributes',
    path: '/var/adm/sw/products/PHCO_39999/ACMESAFE-RUN/INDEX',
    set: { patch_state: 'superseded', superseded_by: 'PHCO_40001.ACMESAFE-RUN' },
  });
  const follow = install.after(install.ops.map(() => 'done'));
  t.match(follow.ops, [
    { op: 'text', path: '/var/adm/sw/patch/.SUPERSEDED/PHCO_39999', text: 'PHCO_40001\n' },
    {
      op: 'append',
      path: '/var/adm/sw/patch/PATCH.log',
      text: /^PHCO_39999 Superseded by PHCO_40001 06\/01\/24 10:12:41\nPHCO_40001 Installed 06\/01\/24 10:12:41\n$/,
    },
  ]);
  t.equal(follow.detail, '1 file loaded, 1 original saved; supersedes PHCO_39999');
  // PATCH_NOSAVE: nothing saved, the white paper's warning; PHCO_39999 not installed: nothing superseded.
  const nosave = install.after(install.ops.map((o) => (o.op === 'copy' ? 'skipped' : o.op === 'set-attributes' ? 'absent' : 'done')));
  t.match(
    nosave.log.map((l) => l.trim()).join(' '),
    /^WARNING: the 'NOSAVE' option \(\/var\/adm\/sw\/patch\/PATCH_NOSAVE\) was set to true\. Therefore, the patch 'PHCO_40001' cannot be backed off the system\.$/,
  );
  t.same(
    nosave.ops.map((o) => o.op),
    ['append'],
  );
  const remove = removeChange(p, f, ctx);
  t.match(remove.ops[0], { op: 'copy', path: '/var/adm/sw/save/PHCO_40001/ACMESAFE-RUN/opt/acmesafe/bin/acmesafed', to: '/opt/acmesafe/bin/acmesafed' });
  const undone = remove.after(remove.ops.map(() => 'done'));
  t.match(
    undone.ops.find((o) => o.op === 'append'),
    { text: /^PHCO_39999 Un-Superseded .*\nPHCO_40001 Removed / },
  );
  t.match(undone.ops, [{ op: 'remove', path: '/var/adm/sw/patch/.SUPERSEDED/PHCO_39999' }, { op: 'append' }]);
});
