import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { readDirectoryDepot } from '../../harness/sd/directory-depot.js';
import { readPayloadData } from '../../harness/sd/payload-data.js';
import { readTapeDepot } from '../../harness/sd/tape-depot.js';
import { FIXTURES } from '../fixtures/sd/paths.js';

const DEPOT = path.join(FIXTURES, 'depot-acme');

/** A tape depot made with the system's tar, members in the order given (as swpackage writes them: catalog/INDEX first). */
const tape = (t: Test, order: string[]): string => {
  const out = path.join(t.testdir({}), 'acme.depot');
  execFileSync('tar', ['-cf', out, '-C', DEPOT, ...order]);
  return out;
};

t.test('a tape depot made with tar reads as the directory depot it came from', async (t) => {
  const file = tape(t, ['catalog/INDEX', 'catalog/dfiles', 'catalog/ACME', 'ACME']);
  const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
  t.equal(listing[0], 'catalog/INDEX', 'tar wrote catalog/INDEX first');
  const fromTape = await readTapeDepot(file);
  const fromDir = await readDirectoryDepot(DEPOT);
  t.equal(fromTape.kind, 'depot-tape');
  t.same(fromTape.warnings, []);
  const shape = (pkg: typeof fromDir) =>
    pkg.products.map((p) => ({
      tag: p.tag,
      scripts: p.scripts.map((s) => [s.tag, s.path, s.content.toString()]),
      filesets: p.filesets.map((f) => ({
        tag: f.tag,
        safe: f.isDrdSafe,
        scripts: f.scripts.map((s) => [s.tag, s.path, s.interpreter ?? null, s.content.toString()]),
        payload: f.payload.map((e) => [e.path, e.type, e.mode, e.owner, e.linkSource, e.size]),
      })),
    }));
  t.same(shape(fromTape), shape(fromDir));
  t.equal(fromTape.products[0]!.filesets[1]!.scripts[0]!.origin, `${file}:catalog/ACME/ACME-RUN/preinstall`);

  const acmed = fromTape.products[0]!.filesets[1]!.payload.find((e) => e.path === '/opt/acme/bin/acmed')!;
  t.same(acmed.data, { kind: 'archive', archive: path.resolve(file), member: 'ACME/ACME-RUN/opt/acme/bin/acmed' });
  t.equal((await readPayloadData(acmed.data!)).toString(), '#!/sbin/sh\n# acmed: an HP-UX binary in a real depot\n');
});

t.test('./-prefixed member names (tar -cf x.depot .) read the same', async (t) => {
  const out = path.join(t.testdir({}), 'dot.depot');
  execFileSync('tar', ['-cf', out, '-C', DEPOT, './catalog/INDEX', './catalog', './ACME']);
  const pkg = await readTapeDepot(out);
  t.same(
    pkg.products[0]!.filesets.map((f) => f.tag),
    ['ACME-LIB', 'ACME-RUN'],
  );
});

t.test('contents before the catalog: SD could not read it; one problem names the first late member', async (t) => {
  const file = tape(t, ['ACME', 'catalog']);
  await t.rejects(readTapeDepot(file), {
    code: 'INPUT_INVALID',
    exitCode: 2,
    problems: [
      {
        file: `${file}:catalog`,
        message: /^catalog member after the depot contents \(ACME\) \(and \d+ more catalog members\): sd\(4\) puts the entire catalog first/,
      },
    ],
  });
});

t.test('catalog/INDEX not first, but the catalog before the contents: read, with a warning', async (t) => {
  const file = tape(t, ['catalog/dfiles', 'catalog/ACME', 'catalog/INDEX', 'ACME']);
  const pkg = await readTapeDepot(file);
  t.same(pkg.warnings, [
    {
      file: `${file}:catalog/dfiles/INFO`,
      message: 'the first file of a tape depot is catalog/INDEX (swbis sw(5); HP swpackage writes it first); read anyway',
    },
  ]);
});

t.test('gzip, cpio and non-archive files are named for what they are', async (t) => {
  const dir = t.testdir({});
  const gz = path.join(dir, 'acme.depot.gz');
  writeFileSync(gz, gzipSync(Buffer.from('x')));
  await t.rejects(readTapeDepot(gz), { code: 'INPUT_INVALID', problems: [{ message: /gzip-compressed/ }] });
  const cpio = path.join(dir, 'acme.cpio');
  // An odc ("070707") cpio header, as `cpio -o -H odc` writes.
  writeFileSync(
    cpio,
    Buffer.concat([Buffer.from('0707070000000000000000000000000000000000010000000000000000000000000000600000000000catalog'), Buffer.alloc(600)]),
  );
  await t.rejects(readTapeDepot(cpio), {
    code: 'INPUT_INVALID',
    problems: [{ message: /^a cpio tape depot: SD reads cpio tapes, drdsafe reads tar tape depots only/ }],
  });
  const text = path.join(dir, 'notes.depot');
  writeFileSync(text, 'just text\n');
  await t.rejects(readTapeDepot(text), {
    code: 'INPUT_INVALID',
    problems: [{ file: text, message: 'not a tar archive (a tape depot is the depot tree as a tar archive, sd(4))' }],
  });
});

t.test('a tar archive that is not a depot: no catalog/INDEX', async (t) => {
  const dir = t.testdir({ junk: { a: 'a' } });
  const file = path.join(dir, 'junk.tar');
  execFileSync('tar', ['-cf', file, '-C', dir, 'junk']);
  await t.rejects(readTapeDepot(file), {
    code: 'INPUT_INVALID',
    problems: [{ file: `${file}:catalog/INDEX`, message: 'missing: every depot has a catalog/INDEX (sd(4))' }],
  });
});

t.test('a truncated archive is a problem, not a crash', async (t) => {
  const file = tape(t, ['catalog', 'ACME']);
  const cut = path.join(path.dirname(file), 'cut.depot');
  writeFileSync(cut, readFileSync(file).subarray(0, 1300));
  await t.rejects(readTapeDepot(cut), { code: 'INPUT_INVALID' });
});
