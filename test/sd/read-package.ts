import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { detectInput } from '../../harness/sd/detect-input.js';
import { readPackage } from '../../harness/sd/read-package.js';
import { readControlScript, readScriptDirectory } from '../../harness/sd/script-inputs.js';
import { FIXTURES, ROOT } from '../fixtures/sd/paths.js';

t.test('detectInput tells the five kinds apart by content', async (t) => {
  const dir = t.testdir({
    'scripts-only': { preinstall: '#!/sbin/sh\nexit 0\n', 'common.sh': 'x=1\n' },
    'not-a-package': { README: 'hello\n' },
    'noext-psf': '# a comment first\n\nproduct\n  tag P\n',
    'plain.sh': 'echo no shebang\n',
    'shebang.psf': '#!/sbin/sh\nexit 0\n',
  });
  const depotTape = path.join(dir, 'acme.depot');
  execFileSync('tar', ['-cf', depotTape, '-C', path.join(FIXTURES, 'depot-acme'), 'catalog', 'ACME']);
  const kind = async (p: string) => (await detectInput(p)).kind;
  t.equal(await kind(path.join(FIXTURES, 'depot-acme')), 'depot-dir');
  t.equal(await kind(depotTape), 'depot-tape');
  t.equal(await kind(path.join(FIXTURES, 'psf-hp', 'acme.psf')), 'psf');
  t.equal(await kind(path.join(dir, 'noext-psf')), 'psf', 'first definition `product`');
  t.equal(await kind(path.join(dir, 'scripts-only')), 'script-dir');
  t.equal(await kind(path.join(dir, 'plain.sh')), 'script');
  t.equal(await kind(path.join(dir, 'shebang.psf')), 'script', '#! wins over the name');
  t.equal(await kind(path.join(ROOT, 'examples', 'seed-examples', 's01-kill-9-pid', 'script')), 'script');
  await t.rejects(detectInput(path.join(dir, 'not-a-package')), { code: 'INPUT_INVALID', exitCode: 2 });
  await t.rejects(detectInput(path.join(dir, 'absent')), { code: 'INPUT_NOT_FOUND', exitCode: 2 });
});

t.test("a single control script is today's input: one fileset, the phase from --phase", async (t) => {
  const script = path.join(ROOT, 'examples', 'seed-examples', 's01-kill-9-pid', 'script');
  const pkg = await readPackage(script, { phase: 'preinstall' });
  t.equal(pkg.kind, 'script');
  const p = pkg.products[0]!;
  t.same([p.tag, p.filesets[0]!.tag], ['DRDSAFE-TEST', 'payload'], 'the product and fileset `drdsafe run` has always used');
  const f = p.filesets[0]!;
  t.same([f.isDrdSafe, f.assumed], [true, ['is_drd_safe']]);
  t.same(
    f.scripts.map((s) => [s.tag, s.path, s.source.file]),
    [['preinstall', 'preinstall', script]],
  );
  t.match(f.scripts[0]!.content.toString(), /kill -9 \$PID/);
  await t.rejects(readPackage(script), { code: 'USAGE', exitCode: 2 }, 'no --phase for a single script');
  await t.rejects(readControlScript(script, 'postinstal'), { code: 'USAGE' });
});

t.test('a folder of scripts with a payload folder laid out from /', async (t) => {
  const dir = t.testdir({
    checkremove: '#!/sbin/sh\nexit 3\n',
    preinstall: '#!/sbin/sh\n. ${SW_CONTROL_DIRECTORY}funcs\nexit 0\n',
    funcs: 'f() { :; }\n',
    '.hidden': 'skipped',
    payload: { opt: { acme: { bin: { acmed: 'daemon\n' } } }, sbin: { 'init.d': { acmed: '#!/sbin/sh\n' } } },
  });
  symlinkSync('/opt/acme/bin/acmed', path.join(dir, 'payload', 'opt', 'acme', 'acmed-link'));
  const pkg = await readScriptDirectory(dir, { product: 'ACME', fileset: 'RUN' });
  t.equal(pkg.kind, 'script-dir');
  const f = pkg.products[0]!.filesets[0]!;
  t.same([pkg.products[0]!.tag, f.tag], ['ACME', 'RUN']);
  t.same(
    f.scripts.map((s) => s.tag),
    ['checkremove', 'funcs', 'preinstall'],
    'every file is a control file; funcs is a subscript',
  );
  t.same(
    f.payload.map((e) => [e.path, e.type, e.linkSource ?? null, e.source.file]),
    [
      ['/opt', 'd', null, path.join(dir, 'payload', 'opt')],
      ['/opt/acme', 'd', null, path.join(dir, 'payload', 'opt', 'acme')],
      ['/opt/acme/acmed-link', 's', '/opt/acme/bin/acmed', path.join(dir, 'payload', 'opt', 'acme', 'acmed-link')],
      ['/opt/acme/bin', 'd', null, path.join(dir, 'payload', 'opt', 'acme', 'bin')],
      ['/opt/acme/bin/acmed', 'f', null, path.join(dir, 'payload', 'opt', 'acme', 'bin', 'acmed')],
      ['/sbin', 'd', null, path.join(dir, 'payload', 'sbin')],
      ['/sbin/init.d', 'd', null, path.join(dir, 'payload', 'sbin', 'init.d')],
      ['/sbin/init.d/acmed', 'f', null, path.join(dir, 'payload', 'sbin', 'init.d', 'acmed')],
    ],
  );
});

t.test('a script folder with a stray folder and no control script: both problems', async (t) => {
  const dir = t.testdir({ notes: 'x', payloads: { a: 'a' } });
  await t.rejects(readScriptDirectory(dir), {
    code: 'INPUT_INVALID',
    problems: [
      {
        file: path.join(dir, 'payloads'),
        message: 'unexpected folder: a script folder holds control scripts and `payload/` (the files to install, laid out from /)',
      },
      { file: dir, message: /^no control script: name files after their tags/ },
    ],
  });
});

t.test('readPackage dispatches every kind', async (t) => {
  t.equal((await readPackage(path.join(FIXTURES, 'psf-hp', 'acme.psf'))).kind, 'psf');
  t.equal((await readPackage(path.join(FIXTURES, 'depot-acme'))).kind, 'depot-dir');
  t.equal((await readPackage(path.join(FIXTURES, 'depot-acme'), { kind: 'depot-dir' })).products[0]!.tag, 'ACME');
});
