import path from 'node:path';
import t, { type Test } from 'tap';
import { UserError } from '../../harness/errors.js';
import type { Fileset, Package } from '../../harness/sd/package.js';
import { readPsf } from '../../harness/sd/psf-reader.js';
import { SdInputError } from '../../harness/sd/sd-input-error.js';
import { FIXTURES } from '../fixtures/sd/paths.js';

const ACME = path.join(FIXTURES, 'psf-hp', 'acme.psf');

const fileset = (pkg: Package, tag: string): Fileset => {
  const f = pkg.products.flatMap((p) => p.filesets).find((x) => x.tag === tag);
  if (f === undefined) throw new Error(`no fileset ${tag}`);
  return f;
};

/** The problems `readPsf` throws for a PSF written into a fresh folder with `files`. */
interface Files {
  readonly [name: string]: string | Files;
}

const problemsOf = async (t: Test, psf: string, files: Files = {}) => {
  const dir = t.testdir({ 'x.psf': psf, ...files });
  const error = await readPsf(path.join(dir, 'x.psf')).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SdInputError)) throw new Error(`expected SdInputError, got ${String(error)}`);
  t.equal(error.code, 'INPUT_INVALID');
  t.equal(error.exitCode, 2);
  t.ok(error instanceof UserError);
  return error.problems.map((p) => ({ ...p, file: path.basename(p.file) }));
};

t.test('an HP-style PSF: depot, vendor with end, category, product, filesets, end with comments', async (t) => {
  const pkg = await readPsf(ACME);
  t.equal(pkg.kind, 'psf');
  t.equal(pkg.distribution.tag, 'ACME_DEPOT');
  t.equal(pkg.distribution.layoutVersion, '1.0');
  t.same(
    pkg.vendors.map((v) => [v.tag, v.title, v.attributes.get('description')]),
    [['ACME', 'Acme Inc.', ['Acme Inc., makers of widgets']]],
  );
  t.equal(pkg.products.length, 1);
  const p = pkg.products[0]!;
  t.same(
    [p.tag, p.revision, p.architecture, p.vendorTag, p.title, p.directory, p.isLocatable],
    ['ACME', 'B.01.00', 'HP-UX_B.11.31_IA/PA', 'ACME', 'Acme Widgets', '/opt/acme', false],
  );
  t.same(
    p.filesets.map((f) => f.tag),
    ['ACME-LIB', 'ACME-RUN'],
  );
  t.same(p.source, { file: ACME, line: 19, col: 1 });
});

t.test('< file values are read from the PSF folder', async (t) => {
  const p = (await readPsf(ACME)).products[0]!;
  t.same(p.attributes.get('description'), ['Acme Widgets: the widget daemon and its library.\nSecond line of the description.']);
  t.same(p.attributes.get('copyright'), ['Copyright 2024 Acme Inc.']);
});

t.test('control scripts in both syntaxes, and the control_file object form', async (t) => {
  const pkg = await readPsf(ACME);
  const p = pkg.products[0]!;
  t.same(
    p.scripts.map((s) => [s.tag, s.path, path.basename(s.origin)]),
    [['checkinstall', 'checkinstall', 'checkinstall.sd']],
    'control_file src=tag at product level',
  );
  const run = fileset(pkg, 'ACME-RUN');
  t.same(
    run.scripts.map((s) => [s.tag, s.path, s.interpreter ?? null, path.basename(s.origin), s.source.line]),
    [
      ['preinstall', 'preinstall', null, 'preinstall', 57],
      ['postinstall', 'postinstall', null, 'postinstall', 58],
      ['configure', 'configure', null, 'configure', 59],
      ['unconfigure', 'unconfigure', 'ksh', 'unconfigure', 60],
      ['checkremove', 'checkremove', null, 'checkremove', 64],
      ['acme_funcs', 'acme_funcs', null, 'acme_funcs', 65],
    ],
  );
  t.match(run.scripts[0]!.content.toString(), /kill_named_procs acmed/);
  t.same(
    fileset(pkg, 'ACME-LIB').scripts.map((s) => [s.tag, path.basename(s.origin)]),
    [['checkinstall', 'lib.checkinstall']],
  );
});

t.test('fileset attributes: is_drd_safe, is_kernel, is_reboot, ancestor, prerequisite, corequisite, revision', async (t) => {
  const run = fileset(await readPsf(ACME), 'ACME-RUN');
  t.same([run.isDrdSafe, run.isKernel, run.isReboot, run.isPatch, run.revision], [true, false, false, false, 'B.01.00']);
  t.same(run.ancestors, ['OLDACME.ACME-RUN']);
  t.same(
    run.dependencies.map((d) => [d.kind, d.spec, d.alternatives.map((a) => [a.product, a.fileset, a.qualifiers])]),
    [
      ['prerequisite', 'ACME.ACME-LIB,r>=B.01.00', [['ACME', 'ACME-LIB', [{ letter: 'r', op: '>=', value: 'B.01.00' }]]]],
      ['corequisite', 'ACME.ACME-LIB', [['ACME', 'ACME-LIB', []]]],
    ],
  );
});

t.test('payload: directory mapping, file *, exclude, -m/-o/-g, file_permissions, -t d, -t s, -v, file < list', async (t) => {
  const pkg = await readPsf(ACME);
  const entries = fileset(pkg, 'ACME-RUN').payload.map((e) => [
    e.path,
    e.type,
    e.mode?.toString(8) ?? null,
    e.owner ?? null,
    e.group ?? null,
    e.linkSource ?? null,
    e.isVolatile,
  ]);
  t.same(entries, [
    ['/opt/acme/bin/acmectl', 'f', '4555', 'bin', 'bin', null, false],
    ['/opt/acme/bin/acmed', 'f', '555', 'bin', 'bin', null, false],
    ['/etc/opt/acme/acmed.conf', 'f', '644', 'root', 'sys', null, false],
    ['/var/opt/acme', 'd', '755', 'root', 'sys', null, false],
    ['/usr/bin/acmectl', 's', null, null, null, '/opt/acme/bin/acmectl', false],
    ['/var/opt/acme/acmed.log', 'f', '644', 'bin', 'bin', null, true],
    ['/etc/opt/acme/README.acme', 'f', '444', 'root', 'sys', null, false],
  ]);
  t.notOk(
    fileset(pkg, 'ACME-RUN').payload.some((e) => e.path.endsWith('/core')),
    '`exclude core` took the file `file *` found',
  );
  const acmed = fileset(pkg, 'ACME-RUN').payload.find((e) => e.path === '/opt/acme/bin/acmed')!;
  t.same(acmed.data, { kind: 'file', path: path.join(FIXTURES, 'psf-hp', 'build', 'bin', 'acmed') });
  t.equal(acmed.size, 35);
  t.same(
    fileset(pkg, 'ACME-LIB').payload.map((e) => [e.path, e.mode?.toString(8), e.owner]),
    [['/opt/acme/lib/libacme.sl', '555', 'bin']],
  );
  t.same(pkg.warnings, [], 'files outside /opt/acme are fine for a product that is not locatable');
});

t.test('a locatable product with a mapping outside its directory gets a warning', async (t) => {
  const dir = t.testdir({ 'x.psf': 'product\ntag P\ndirectory /opt/p\nfileset\ntag F\ndirectory ./b=/etc/opt/p\nfile a\n', b: { a: 'a' } });
  const pkg = await readPsf(path.join(dir, 'x.psf'));
  t.same(
    pkg.warnings.map((w) => [w.line, w.col, w.message]),
    [[6, 1, 'destination /etc/opt/p is outside the directory /opt/p of a locatable product (swpackage(4) requires it inside)']],
  );
});

t.test('the swbis sw(5) hypothetical PSF: distribution, control_file object, file object lines, continued file lines', async (t) => {
  const dir = t.testdir({
    'swm.psf': `distribution
  control_directory swm-1.0  #Implementation Extension.
  vendor
    the_term_vendor_is_misleading  false # True or False
    tag greatsoft
    title Greatersoft Corporation
  product
    tag swm
    revision 1.0
    control_directory gsoft_swm
    control_file
    \tpath remove
        source sw/remove.source
    configure sw/configure.source
    fileset
        tag bin
        postinstall sw/bin/postinstall
        file -m 0755 -o root -g root build/bin/swpackage  \\
                     /usr/bin/swpackage
`,
    sw: { 'remove.source': 'echo remove\n', 'configure.source': 'echo configure\n', bin: { postinstall: 'echo post\n' } },
    build: { bin: { swpackage: 'binary\n' } },
  });
  const pkg = await readPsf(path.join(dir, 'swm.psf'));
  const p = pkg.products[0]!;
  t.equal(p.controlDirectory, 'gsoft_swm');
  t.same(
    p.scripts.map((s) => [s.tag, s.path]),
    [
      ['remove.source', 'remove'],
      ['configure', 'configure'],
    ],
    'a control_file object without tag takes the source basename as tag, stored as its path',
  );
  t.same(
    p.filesets[0]!.payload.map((e) => [e.path, e.mode?.toString(8), e.owner]),
    [['/usr/bin/swpackage', '755', 'root']],
  );
});

t.test('layout 0.8 singular dependencies, list form on following lines, and `|` alternatives', async (t) => {
  const dir = t.testdir({
    'x.psf': `product
tag P
fileset
tag A
fileset
tag B
prerequisites
  P.A
  OTHER.X,r>=2.0
corequisite P.A|ALT.Y
`,
  });
  const b = (await readPsf(path.join(dir, 'x.psf'))).products[0]!.filesets[1]!;
  t.same(
    b.dependencies.map((d) => [d.kind, d.spec, d.source.line]),
    [
      ['prerequisite', 'P.A', 8],
      ['prerequisite', 'OTHER.X,r>=2.0', 9],
      ['corequisite', 'P.A|ALT.Y', 10],
    ],
  );
  t.same(
    b.dependencies[2]!.alternatives.map((a) => `${a.product}.${a.fileset}`),
    ['P.A', 'ALT.Y'],
  );
});

t.test('a misspelt keyword is kept but warned about; is_drd_safe left unset is undefined', async (t) => {
  const dir = t.testdir({ 'x.psf': 'product\ntag P\nfileset\ntag F\nis_drd_save true\n' });
  const pkg = await readPsf(path.join(dir, 'x.psf'));
  t.equal(pkg.products[0]!.filesets[0]!.isDrdSafe, undefined);
  t.same(
    pkg.warnings.map((w) => [w.line, w.col, w.message]),
    [[5, 1, 'unknown keyword `is_drd_save` (kept as a vendor attribute); did you mean `is_drd_safe`?']],
  );
});

t.test('malformed PSFs: every problem at once, each with file, line and column', async (t) => {
  const problems = await problemsOf(
    t,
    `depot
product FOO
tag FOO
is_locatable maybe
checkinstall scripts/missing
fileset
revision 1.0
is_drd_safe yes
title "never closed
`,
  );
  t.same(problems, [
    { file: 'x.psf', line: 9, col: 7, message: 'unterminated quoted value: no closing `"`' },
    { file: 'x.psf', line: 2, col: 9, message: '`product` takes no value; give its attributes on the lines below (e.g. `tag FOO`)' },
    { file: 'x.psf', line: 5, col: 14, message: 'cannot read control script source scripts/missing' },
    { file: 'x.psf', line: 6, col: 1, message: 'fileset has no `tag`' },
    { file: 'x.psf', line: 8, col: 13, message: 'is_drd_safe: Expected `true` or `false`, got `yes`' },
    { file: 'x.psf', line: 4, col: 14, message: 'is_locatable: Expected `true` or `false`, got `maybe`' },
  ]);
});

t.test('structure problems: fileset outside a product, files outside a fileset, stray end, no product', async (t) => {
  t.same(await problemsOf(t, 'fileset\ntag F\n'), [
    { file: 'x.psf', line: 1, col: 1, message: '`fileset` outside a product' },
    { file: 'x.psf', line: 2, col: 1, message: 'attribute `tag` outside any object (start with `depot`, `vendor` or `product`)' },
    { file: 'x.psf', message: 'no `product` defined' },
  ]);
  t.same(await problemsOf(t, 'product\ntag P\nfile_permissions -m 644\nfileset\ntag F\nend\nend\nend\n'), [
    { file: 'x.psf', line: 3, col: 1, message: '`file_permissions` outside a fileset (files belong to filesets)' },
    { file: 'x.psf', line: 8, col: 1, message: '`end` with no open object to end' },
  ]);
  t.same(await problemsOf(t, 'product\ntag P\n'), [{ file: 'x.psf', line: 1, col: 1, message: 'product P has no fileset (swpackage requires at least one)' }]);
});

t.test('payload problems: missing sources, bad options, file * without directory, exclude first', async (t) => {
  const problems = await problemsOf(
    t,
    `product
tag P
fileset
tag F
exclude foo
file *
file -m 9999 -o root -x here bin/tool
file nothere /opt/p/nothere
directory ./build=opt/relative
directory ./build=/opt/p
file -t s only-source
file tool ../../escape
file < lists/absent
`,
    { build: { tool: 'x' } },
  );
  t.same(problems, [
    { file: 'x.psf', line: 5, col: 1, message: '`exclude` must follow a file definition (swpackage(4) "PSF Extensions")' },
    { file: 'x.psf', line: 6, col: 1, message: '`file *` needs an active `directory` (swpackage(4) "Recursive File Specification")' },
    { file: 'x.psf', line: 7, col: 9, message: '`-m`: Expected an octal mode like 0755, got `9999`' },
    { file: 'x.psf', line: 7, col: 22, message: 'unknown option `-x` (expected -m, -o, -g, -t, -v, -n)' },
    { file: 'x.psf', line: 7, col: 30, message: 'relative destination `bin/tool` needs an active `directory source=destination`' },
    { file: 'x.psf', line: 8, col: 6, message: `no such source file: ${path.join(t.testdirName, 'nothere')}` },
    { file: 'x.psf', line: 9, col: 11, message: '`directory`: the destination must be an absolute path, got `opt/relative`' },
    { file: 'x.psf', line: 11, col: 11, message: "`file -t s` needs the link source and the link's path" },
    { file: 'x.psf', line: 12, col: 11, message: 'destination `../../escape` leaves the directory /opt/p' },
    { file: 'x.psf', line: 13, col: 8, message: 'cannot read the file list lists/absent' },
  ]);
});

t.test('an included file list reports its own problems under its own name', async (t) => {
  const problems = await problemsOf(t, 'product\ntag P\nfileset\ntag F\ndirectory ./b=/opt/p\nfile < list\n', {
    list: 'file a\ntitle nope\nfile missing\n',
    b: { a: 'a' },
  });
  t.same(problems, [
    {
      file: 'list',
      line: 2,
      col: 1,
      message: '`title` is not a file definition (an included file list holds file, directory, file_permissions and exclude lines)',
    },
    { file: 'list', line: 3, col: 6, message: `no such source file: ${path.join(t.testdirName, 'b', 'missing')}` },
  ]);
});

t.test('two scripts with one tag, and two filesets with one tag, are problems', async (t) => {
  const problems = await problemsOf(t, 'product\ntag P\nfileset\ntag F\npreinstall s\ncontrol_file s=preinstall other\nfileset\ntag F\n', {
    s: '#!/sbin/sh\n',
  });
  t.same(problems, [
    { file: 'x.psf', line: 6, col: 1, message: 'fileset F has two `preinstall` control files (the first at line 5)' },
    { file: 'x.psf', line: 7, col: 1, message: 'product P has two filesets tagged F (the first at line 3)' },
  ]);
});

t.test('a missing PSF is INPUT_NOT_FOUND', async (t) => {
  await t.rejects(readPsf(path.join(t.testdir({}), 'absent.psf')), { code: 'INPUT_NOT_FOUND', exitCode: 2 });
});

t.test('a control_directory must name one directory of the catalog', async (t) => {
  t.same(await problemsOf(t, 'product\ntag P\ncontrol_directory ../up\nfileset\ntag F\ncontrol_directory a/b\n'), [
    { file: 'x.psf', line: 6, col: 19, message: 'control_directory: Expected a directory name without `/`, got `a/b`' },
    { file: 'x.psf', line: 3, col: 19, message: 'control_directory: Expected a directory name without `/`, got `../up`' },
  ]);
});
