import path from 'node:path';
import t from 'tap';
import { filesetKey } from '../../harness/sd/package.js';
import { readPackage } from '../../harness/sd/read-package.js';
import { planSession } from '../../harness/sd/session-plan.js';
import { ROOT } from '../fixtures/sd/paths.js';

const EXAMPLES = path.join(ROOT, 'examples', 'packages');
const read = (rel: string) => readPackage(path.join(EXAMPLES, rel));
const scriptText = (pkg: Awaited<ReturnType<typeof read>>, fileset: string, tag: string) =>
  pkg.products[0]!.filesets.find((f) => f.tag === fileset)!
    .scripts.find((s) => s.tag === tag)!
    .content.toString();

t.test('drd-safe: guards, kill_named_procs, configure deferred, an EXCLUDE checkremove', async (t) => {
  const pkg = await read('drd-safe/acmesafe.psf');
  t.same(pkg.warnings, []);
  t.same(
    pkg.products.map((p) => [p.tag, p.revision, p.filesets.map((f) => [f.tag, f.isDrdSafe])]),
    [
      [
        'ACMESAFE',
        '1.0',
        [
          ['ACMESAFE-RUN', true],
          ['ACMESAFE-BOOT', true],
        ],
      ],
    ],
  );
  t.match(scriptText(pkg, 'ACMESAFE-RUN', 'preinstall'), /kill_named_procs acmesafed/);
  t.match(scriptText(pkg, 'ACMESAFE-RUN', 'postinstall'), /if \[\[ \$SW_SESSION_IS_DRD != 1 \]\]/);
  t.match(scriptText(pkg, 'ACMESAFE-BOOT', 'checkremove'), /exit \$EXCLUDE/);
  const install = planSession(pkg, 'install');
  t.same(
    install.steps.filter((s) => s.planned === 'deferred').map((s) => s.id),
    ['configure:configure:ACMESAFE.ACMESAFE-RUN'],
  );
  const remove = planSession(pkg, 'remove');
  t.same(
    remove.steps.filter((s) => s.fileset?.tag === 'ACMESAFE-BOOT').map((s) => s.id),
    ['analysis:checkremove:ACMESAFE.ACMESAFE-BOOT', 'remove:preremove:ACMESAFE.ACMESAFE-BOOT', 'remove:remove-payload:ACMESAFE.ACMESAFE-BOOT'],
  );
  t.same(
    pkg.products[0]!.filesets[0]!.payload.map((e) => [e.path, e.mode?.toString(8)]),
    [
      ['/opt/acmesafe/bin/acmesafed', '555'],
      ['/sbin/init.d/acmesafed', '555'],
      ['/etc/opt/acmesafe/newconfig/acmesafed.conf', '444'],
    ],
  );
});

t.test("unsafe: each of the seed's unsafe examples sits in one script", async (t) => {
  const pkg = await read('unsafe/acmebad.psf');
  const f = pkg.products[0]!.filesets[0]!;
  t.equal(f.isDrdSafe, true, 'the packager claims it is DRD-safe');
  const lines = Object.fromEntries(
    f.scripts.map((s) => [
      s.tag,
      s.content
        .toString()
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#')),
    ]),
  );
  t.same(lines, {
    preinstall: ['PID=$(cat /var/run/comsec.pid)', 'kill -9 $PID', 'exit 0'],
    postinstall: ['/sbin/init.d/comsec start', 'exit 0'],
    unconfigure: ['vxdctl stop >/dev/null 2>&1', 'exit 0'],
    preremove: ['init q', 'exit 0'],
    postremove: ['inetd -c', 'exit 0'],
  });
  t.same(planSession(pkg, 'install').refused, [], 'runcmd takes the claim at its word: every script would run');
});

t.test("upgrade: v2 over v1; v2 preinstall stops the old daemon through v1's init script", async (t) => {
  const v1 = await read('upgrade/v1/acmeupg.psf');
  const v2 = await read('upgrade/v2/acmeupg.psf');
  t.same([v1.products[0]!.revision, v2.products[0]!.revision], ['1.0', '2.0']);
  t.match(scriptText(v2, 'ACMEUPG-RUN', 'preinstall'), /\/sbin\/init\.d\/acmeupgd stop/);
  t.ok(
    v1.products[0]!.filesets[0]!.payload.some((e) => e.path === '/sbin/init.d/acmeupgd'),
    'v1 installs the init script v2 calls',
  );
  t.same(
    v1.products[0]!.filesets[0]!.payload.filter((e) => e.type === 's').map((e) => [e.path, e.linkSource]),
    [
      ['/sbin/rc3.d/S900acmeupgd', '/sbin/init.d/acmeupgd'],
      ['/sbin/rc2.d/K100acmeupgd', '/sbin/init.d/acmeupgd'],
    ],
  );
  const plan = planSession(v2, 'upgrade', { from: v1 });
  t.equal(plan.baseline?.package, v1);
  t.same(
    plan.steps.filter((s) => s.planned === 'run').map((s) => s.id),
    ['load:preinstall:ACMEUPG.ACMEUPG-RUN', 'load:load-payload:ACMEUPG.ACMEUPG-RUN', 'load:postinstall:ACMEUPG.ACMEUPG-RUN'],
  );
});

t.test('patch: PHCO_40001 supersedes PHCO_39999 and patches ACMESAFE.ACMESAFE-RUN', async (t) => {
  const older = await read('patch/PHCO_39999/PHCO_39999.psf');
  const newer = await read('patch/PHCO_40001/PHCO_40001.psf');
  for (const pkg of [older, newer]) {
    const p = pkg.products[0]!;
    const f = p.filesets[0]!;
    t.same([p.isPatch, f.tag, f.isPatch, f.isSparse, f.ancestors, f.isDrdSafe], [true, 'ACMESAFE-RUN', true, true, ['ACMESAFE.ACMESAFE-RUN'], true], p.tag);
  }
  t.same(newer.products[0]!.filesets[0]!.supersedes, ['PHCO_39999.ACMESAFE-RUN,fr=1.0']);
  t.same(older.products[0]!.filesets[0]!.supersedes, []);
  const plan = planSession(newer, 'install');
  t.same(plan.notes, ['PHCO_40001.ACMESAFE-RUN has prerequisite ACMESAFE.ACMESAFE-RUN,fr>=1.0, not in this package: SD looks for it on the target']);
  t.same(
    plan.selected.map((s) => filesetKey(s.product, s.fileset)),
    ['PHCO_40001.ACMESAFE-RUN'],
  );
});
