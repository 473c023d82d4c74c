import path from 'node:path';
import t from 'tap';
import { readDirectoryDepot } from '../../harness/sd/directory-depot.js';
import { SdInputError } from '../../harness/sd/sd-input-error.js';
import { FIXTURES } from '../fixtures/sd/paths.js';

const DEPOT = path.join(FIXTURES, 'depot-acme');

t.test('a directory depot: catalog/INDEX, pfiles and fileset INFO, scripts, contents', async (t) => {
  const pkg = await readDirectoryDepot(DEPOT);
  t.equal(pkg.kind, 'depot-dir');
  t.same([pkg.distribution.tag, pkg.distribution.layoutVersion], ['ACME_DEPOT', '1.0']);
  t.same(
    pkg.vendors.map((v) => [v.tag, v.title]),
    [['ACME', 'Acme Inc.']],
  );
  const p = pkg.products[0]!;
  t.same([p.tag, p.revision, p.directory, p.isLocatable, p.vendorTag], ['ACME', 'B.01.00', '/opt/acme', false, 'ACME']);
  t.same(p.attributes.get('description'), ['The widget daemon\nand its library.'], 'a quoted INDEX value spans lines');
  t.same(
    p.scripts.map((s) => [s.tag, s.path, s.origin]),
    [
      ['checkinstall', 'checkinstall', path.join(DEPOT, 'catalog/ACME/pfiles/checkinstall')],
      ['postremove', 'postremove', path.join(DEPOT, 'catalog/ACME/pfiles/postremove')],
    ],
  );
  const [lib, run] = p.filesets;
  t.same([lib!.tag, run!.tag], ['ACME-LIB', 'ACME-RUN']);
  t.same([run!.isDrdSafe, run!.isKernel, run!.isReboot], [true, false, true]);
  t.same(
    run!.dependencies.map((d) => d.spec),
    ['ACME.ACME-LIB,r>=B.01.00'],
  );
  t.same(
    run!.scripts.map((s) => [s.tag, s.path, s.interpreter ?? null]),
    [
      ['preinstall', 'preinstall', null],
      ['postinstall', 'postinstall', null],
      ['checkremove', 'checkremove', '/sbin/sh'],
      ['configure', 'config', null],
      ['unconfigure', 'config', null],
    ],
    'one file can serve two tags (SW_CONTROL_TAG tells them apart)',
  );
  t.match(run!.scripts[2]!.content.toString(), /exit 3/);
  t.same(
    run!.payload.map((e) => [
      e.path,
      e.type,
      e.mode?.toString(8) ?? null,
      e.owner ?? null,
      e.uid ?? null,
      e.linkSource ?? null,
      e.isVolatile,
      e.data?.kind ?? null,
    ]),
    [
      ['/opt/acme', 'd', '755', 'bin', null, null, false, null],
      ['/opt/acme/bin/acmed', 'f', '555', 'bin', 2, null, false, 'file'],
      ['/etc/opt/acme/acmed.conf', 'f', '644', 'root', null, null, true, 'file'],
      ['/usr/bin/acmed', 's', null, null, null, '/opt/acme/bin/acmed', false, null],
    ],
  );
  t.same(
    run!.payload[1]!.data,
    { kind: 'file', path: path.join(DEPOT, 'ACME/ACME-RUN/opt/acme/bin/acmed') },
    'contents stored under <product>/<fileset>/<path>',
  );
});

t.test('a malformed depot: every problem of INDEX, INFO and contents at once', async (t) => {
  const dir = t.testdir({
    catalog: {
      INDEX: `distribution
layout_version 1.0
fileset
tag EARLY
product
tag P
is_locatable sometimes
file
path /x
fileset
tag F
fileset
tag G
`,
      P: {
        F: {
          INFO: `control_file
tag preinstall
control_file
tag postinstall
path postinstall
file
path /opt/p/a
type f
mode 0x755
file
path relative/b
type f
file
path /opt/p/link
type s
file
path /opt/p/../../etc/passwd
type f
file
path /opt/p/c
type q
file
path /opt/p/missing
type f
`,
        },
      },
    },
    P: { F: { opt: { p: { a: 'a' } } } },
  });
  const error = await readDirectoryDepot(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(error instanceof SdInputError);
  const problems = (error as SdInputError).problems.map((p) => `${path.relative(dir, p.file)}:${p.line ?? ''}:${p.col ?? ''}: ${p.message}`);
  t.same(problems, [
    'catalog/INDEX:3:1: `fileset` before any `product`',
    'catalog/INDEX:8:1: `file` does not belong in an INDEX (sd(4): INDEX files hold no files or scripts; they are in INFO)',
    'catalog/INDEX:9:1: attribute `path` outside any object',
    'catalog/P/F/INFO:1:1: `control_file` has no `path` (sd(4): it is required)',
    'catalog/P/F/INFO:3:1: control file `postinstall` names ' + path.join(dir, 'catalog/P/F/postinstall') + ', which is missing',
    'catalog/P/F/INFO:9:6: mode: Expected an octal number, got `0x755`',
    'catalog/P/F/INFO:11:6: file path: Expected an absolute path without `..`, got `relative/b`',
    'catalog/P/F/INFO:13:1: file /opt/p/link: a link needs `link_source` (sd(4))',
    'catalog/P/F/INFO:17:6: file path: Expected an absolute path without `..`, got `/opt/p/../../etc/passwd`',
    'catalog/P/F/INFO:21:6: file type: Expected one of f, d, h, s, p, c, b, got `q`',
    'catalog/P/F/INFO:22:1: file /opt/p/missing: its contents ' + path.join(dir, 'P/F/opt/p/missing') + ' are missing',
    'catalog/INDEX:12:1: no ' + path.join(dir, 'catalog/P/G/INFO') + " (sd(4): every fileset's catalog directory has an INFO listing its files and scripts)",
    'catalog/INDEX:7:14: is_locatable: Expected `true` or `false`, got `sometimes`',
  ]);
});

t.test('a depot without catalog/INDEX is named as such', async (t) => {
  const dir = t.testdir({ catalog: {} });
  await t.rejects(readDirectoryDepot(dir), {
    code: 'INPUT_INVALID',
    problems: [{ file: path.join(dir, 'catalog/INDEX'), message: 'missing: every depot has a catalog/INDEX (sd(4))' }],
  });
});
