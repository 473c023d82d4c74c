import t from 'tap';
import { chmod, lstat, mkdtemp, readFile, readlink, rm, symlink, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { extractTar, packDirectory, packFiles } from '../../harness/engine/tar-archive.js';

t.test('a directory tree survives pack and extract: contents, modes, nesting', async (t) => {
  const dir = t.testdir({
    src: {
      sbin: { 'init.d': { comsec: '#!/sbin/sh\necho start\n' } },
      etc: { 'rc.config.d': { comsec: 'COMSEC=1\n' }, empty: {} },
      'big.bin': Buffer.alloc(300_000, 7),
    },
    dest: {},
  });
  const src = path.join(dir, 'src');
  const dest = path.join(dir, 'dest');
  await chmod(path.join(src, 'sbin/init.d/comsec'), 0o755);
  await symlink('../init.d/comsec', path.join(src, 'sbin/S100comsec'));
  const result = await extractTar(packDirectory(src, { prefix: 'booted' }), dest, { strip: 1 });
  t.same([...result.files].sort(), ['big.bin', 'etc/rc.config.d/comsec', 'sbin/init.d/comsec']);
  t.same(result.skipped, [{ name: 'booted/sbin/S100comsec', reason: 'symlink' }]);
  t.equal(await readFile(path.join(dest, 'sbin/init.d/comsec'), 'utf8'), '#!/sbin/sh\necho start\n');
  t.equal((await stat(path.join(dest, 'sbin/init.d/comsec'))).mode & 0o777, 0o755);
  t.same(await readFile(path.join(dest, 'big.bin')), Buffer.alloc(300_000, 7));
  t.ok((await lstat(path.join(dest, 'etc/empty'))).isDirectory());
});

t.test('packDirectory keeps symlinks as symlinks, owned by root', async (t) => {
  const src = t.testdir({ a: 'x' });
  await symlink('a', path.join(src, 'link'));
  const headers: tar.Header[] = [];
  const extract = tar.extract();
  packDirectory(src).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    headers.push(entry.header);
    entry.resume();
  }
  t.same(
    headers.map((h) => [h.name, h.type, h.linkname ?? null, h.uid]),
    [
      ['a', 'file', null, 0],
      ['link', 'symlink', 'a', 0],
    ],
  );
  t.equal(await readlink(path.join(src, 'link')), 'a');
});

t.test('packFiles archives in-memory files with their modes', async (t) => {
  const dest = t.testdir({});
  const result = await extractTar(
    packFiles([
      { name: 'in/request.json', content: '{"phase":"preinstall"}' },
      { name: 'in/script', content: '#!/sbin/sh\nexit 0\n', mode: 0o755 },
    ]),
    dest,
  );
  t.same(result.files, ['in/request.json', 'in/script']);
  t.equal((await stat(path.join(dest, 'in/script'))).mode & 0o777, 0o755);
  t.equal(await readFile(path.join(dest, 'in/request.json'), 'utf8'), '{"phase":"preinstall"}');
});

t.test('extract refuses names that escape the destination and never writes setuid bits', async (t) => {
  const pack = tar.pack();
  pack.entry({ name: '../escape', mode: 0o644 }, 'no');
  pack.entry({ name: 'out/../../escape2', mode: 0o644 }, 'no');
  pack.entry({ name: '/abs', mode: 0o644 }, 'no');
  pack.entry({ name: 'ok/suid', mode: 0o4755 }, 'yes');
  pack.finalize();
  const parent = t.testdir({ dest: {} });
  const dest = path.join(parent, 'dest');
  const result = await extractTar(Readable.from(pack as AsyncIterable<Buffer>), dest);
  t.same(result.files, ['ok/suid']);
  t.same(
    result.skipped.map((s) => s.reason),
    ['outside the destination', 'outside the destination', 'outside the destination'],
  );
  t.equal((await stat(path.join(dest, 'ok/suid'))).mode & 0o7777, 0o755);
  await t.rejects(stat(path.join(parent, 'escape')), { code: 'ENOENT' });
});

t.test('a broken archive stream rejects', async (t) => {
  const broken = new Readable({
    read() {
      this.destroy(new Error('connection reset'));
    },
  });
  await t.rejects(extractTar(broken, t.testdir({})));
});

t.test('packDirectory refuses sockets with INPUT_INVALID', async (t) => {
  // A unix socket path is limited to 108 bytes and tap's testdir names can be
  // longer than that under a deep checkout, so the socket lives in a short
  // temporary folder of its own.
  const src = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-sock-'));
  t.teardown(() => rm(src, { recursive: true, force: true }));
  await writeFile(path.join(src, 'a'), 'x');
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path.join(src, 'sock'), resolve);
  });
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const stream = packDirectory(src);
  await t.rejects(
    (async () => {
      for await (const chunk of stream) void chunk;
    })(),
    { code: 'INPUT_INVALID' },
  );
});
