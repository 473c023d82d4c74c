import t from 'tap';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { baseImageRef, imageHashes, isImageInput, listImageInputs, sandboxImageRef } from '../../harness/image/image-inputs.js';

const tree = () => ({
  Dockerfile: 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n',
  'README.md': 'docs',
  rootfs: { 'make-rootfs.sh': '#!/bin/sh\n' },
  standins: { 'daemon.c': 'int main(){}', Makefile: 'all:\n' },
  runtime: { 'run-phase': '#!/usr/bin/python3\n', runphase: { '__init__.py': '', __pycache__: { '__init__.cpython-311.pyc': 'x' } } },
  '.build': { rootfs: { big: 'x' }, 'rootfs.inputs-hash': 'abc' },
});

t.test('inputs: everything under images/ except dot-paths and docs, sorted', async (t) => {
  const dir = t.testdir(tree());
  const names = (await listImageInputs(dir)).map((f) => f.name);
  t.same(names, ['Dockerfile', 'rootfs/make-rootfs.sh', 'runtime/run-phase', 'runtime/runphase/__init__.py', 'standins/Makefile', 'standins/daemon.c']);
  t.equal(isImageInput('booted/etc/.profile'), false);
  t.equal(isImageInput('booted/sbin/init.d/comsec'), true);
  t.equal(isImageInput('runtime/runphase/__pycache__/procs.cpython-311.pyc'), false, "Python's byte-code caches stay out");
});

t.test('the hash changes with a content, an exec bit or a rootfs setting, and not with docs or build output', async (t) => {
  const dir = t.testdir(tree());
  const base = await imageHashes(dir, {});
  t.match(base.sandbox, /^[0-9a-f]{64}$/);
  t.same(await imageHashes(dir, {}), base, 'stable');

  await writeFile(path.join(dir, 'README.md'), 'other docs');
  await writeFile(path.join(dir, '.build/rootfs/big'), 'y');
  t.equal((await imageHashes(dir, {})).sandbox, base.sandbox, 'docs and build output do not count');

  await chmod(path.join(dir, 'runtime/run-phase'), 0o755);
  const exec = await imageHashes(dir, {});
  t.not(exec.sandbox, base.sandbox, 'exec bit counts');
  t.equal(exec.rootfs, base.rootfs, 'a runtime change leaves the base alone');

  await writeFile(path.join(dir, 'standins/daemon.c'), 'int main(){return 1;}');
  const source = await imageHashes(dir, {});
  t.not(source.sandbox, exec.sandbox, 'stand-in sources count');
  t.equal(source.rootfs, base.rootfs);

  const suite = await imageHashes(dir, { DRDSAFE_SUITE: 'trixie' });
  t.not(suite.rootfs, source.rootfs, 'the suite changes the base');
  t.not(suite.sandbox, source.sandbox, 'and so the sandbox image');

  await writeFile(path.join(dir, 'rootfs/make-rootfs.sh'), '#!/bin/sh\n# changed\n');
  const rootfs = await imageHashes(dir, {});
  t.not(rootfs.rootfs, source.rootfs);
  t.not(rootfs.sandbox, source.sandbox);
});

t.test('refs carry the first 12 hex digits', async (t) => {
  t.equal(sandboxImageRef('0123456789abcdef'), 'drdsafe-sandbox:0123456789ab');
  t.equal(baseImageRef('fedcba9876543210'), 'drdsafe-base:fedcba987654');
});
