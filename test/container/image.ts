/**
 * The image itself: make-rootfs.sh's guard rails, what the Dockerfile
 * assembled (sizes measured and reported), run-phase's refusals, and a booted
 * tree sent as booted.tar, all through the harness's own sandbox.
 */
import t from 'tap';
import { execa } from 'execa';
import path from 'node:path';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL } from '../../harness/engine/labels.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { IMAGES_DIR, testImage } from '../fixtures/sandbox/test-image.js';
import { request, TestSession } from '../fixtures/sandbox/test-session.js';

const skip = await dockerSkipReason();
const MAKE_ROOTFS = path.join(IMAGES_DIR, 'rootfs', 'make-rootfs.sh');

t.test('make-rootfs.sh', async (t) => {
  const usage = await execa('sh', [MAKE_ROOTFS], { reject: false });
  t.equal(usage.exitCode, 1);
  t.match(usage.stderr, /^make-rootfs: usage: make-rootfs\.sh OUTDIR$/m);

  const dir = t.testdir({ foreign: { 'keep-me': 'data' }, done: { '.drdsafe-rootfs-ok': '' } });
  const foreign = await execa('sh', [MAKE_ROOTFS, path.join(dir, 'foreign')], { reject: false, env: { DRDSAFE_MIRROR: 'http://archive.invalid/debian' } });
  t.equal(foreign.exitCode, 1);
  t.match(foreign.stderr, /is not empty and was not made by make-rootfs\.sh; refusing to overwrite it/);

  const done = await execa('sh', [MAKE_ROOTFS, path.join(dir, 'done')], { reject: false, env: { DRDSAFE_MIRROR: 'http://archive.invalid/debian' } });
  t.equal(done.exitCode, 0, 'a finished root file system is kept');
  t.match(done.stderr, /is already complete/);

  const mirror = await execa('sh', ['-c', `. '${path.join(IMAGES_DIR, 'rootfs', 'debian-mirror.sh')}'; SUITE=bookworm; host_mirror`], { reject: false });
  const configured = await execa('sh', ['-c', "cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -E '^(URIs:|deb )' | head -1"], {
    reject: false,
  });
  if (configured.stdout.trim() !== '') {
    t.equal(mirror.exitCode, 0, 'the host has a Debian archive configured');
    t.ok(configured.stdout.includes(mirror.stdout.trim()), `and make-rootfs finds it: ${mirror.stdout.trim()}`);
  } else {
    t.not(mirror.exitCode, 0, 'no archive configured on this host: make-rootfs finds none');
  }
});

t.test('build-strace.sh', async (t) => {
  const usage = await execa('sh', [path.join(IMAGES_DIR, 'strace', 'build-strace.sh')], { reject: false });
  t.equal(usage.exitCode, 1);
  t.match(usage.stderr, /^build-strace: usage: build-strace\.sh OUTDIR$/m);
});

t.test('the image', { skip }, async (t) => {
  const image = await testImage();
  const inspect = await new DockerContainerClient().inspectImage(image.ref);
  t.equal(inspect?.labels[LABEL.inputsHash], image.inputsHash, 'the image is labelled with the hash of its inputs');
  const size = inspect?.sizeBytes ?? Infinity;
  t.comment(`image size: ${(size / 1e6).toFixed(1)} MB`);
  t.ok(size < 400e6, 'the image stays small');

  const s = await TestSession.start();
  t.teardown(() => s.stop());
  const tree = await s.sh(`cd /opt/drdsafe/booted && du -sb --apparent-size . | cut -f1 && find . | wc -l &&
    stat -c '%i %h' sbin/init usr/sbin/comsec usr/sbin/vxdctl | sort -u | wc -l &&
    while read f; do [ -e "$f" ] || [ -L "$f" ] || echo "missing $f"; done < /opt/drdsafe/booted.runtime-files`);
  const [bytes, entries, inodes, ...missing] = tree.stdout.trim().split('\n');
  t.comment(`booted tree: ${(Number(bytes) / 1e6).toFixed(1)} MB in ${entries} entries`);
  t.ok(Number(bytes) < 32e6, 'the booted tree stays small (it is copied and hashed on every run)');
  t.equal(inodes, '1', 'the stand-ins are one program under many names');
  t.same(missing, [], 'every runtime file listed exists');
  const bin = await s.sh('test -x /opt/drdsafe/bin/run-phase && test -x /opt/drdsafe/bin/assemble-booted && ls /images /drdsafe');
  t.equal(bin.exitCode, 0, bin.stderr);

  await t.test('run-phase refuses a bad request with every problem at once', async (t) => {
    const bad = { phase: 'pre install', timeoutSeconds: -1, shared: ['relative'], traceSyscalls: [] };
    const r = await s.sh('cat > /drdsafe/in/bad.json && /opt/drdsafe/bin/run-phase /drdsafe/in/bad.json', { input: JSON.stringify(bad) });
    t.equal(r.exitCode, 1);
    t.match(r.stderr, /^run-phase: invalid request/);
    t.match(r.stderr, /phase: expected a control script tag/);
    t.match(r.stderr, /timeoutSeconds: expected a positive number/);
    t.match(r.stderr, /shared: expected a list of absolute paths/);

    const noScript = await s.sh('rm -f /drdsafe/in/script; cat > /drdsafe/in/r.json && /opt/drdsafe/bin/run-phase /drdsafe/in/r.json', {
      input: JSON.stringify(request('preinstall')),
    });
    t.equal(noScript.exitCode, 1);
    t.match(noScript.stderr, /run-phase: no control script: \/drdsafe\/in\/script is missing/);
    const left = await s.sh('for p in /proc/[0-9]*; do r=$(readlink $p/root 2>/dev/null); case $r in /images/*) echo $p;; esac; done');
    t.equal(left.stdout.trim(), '', 'a failed run leaves no booted system running');
  });

  await t.test('booted.tar (the overlay the harness packs) goes over the template; the runtime stays runnable', async (t) => {
    // A booted tree as a user might send one: cron switched off, a file of its own, and an HP-UX /sbin/sh that cannot run here.
    const dir = t.testdir({
      etc: { 'rc.config.d': { cron: 'CRON=0\n' }, motd: 'HP-UX hpux1 B.11.31\n' },
      sbin: { sh: '\x7fELF not really\n' },
    });
    const out = await s.run('#!/sbin/sh\ncat /etc/motd\n', request('checkinstall', { bootedArchive: true }), { bootedDir: dir });
    t.equal(out.scriptStdout, 'HP-UX hpux1 B.11.31\n', "the archive's file reached the clone");
    t.same(out.result.daemons.map((d) => d.name).sort(), ['comsec', 'inetd', 'swagentd', 'syslogd', 'tftpd', 'vxconfigd'], 'cron is off');
    t.equal(out.result.exitCode, 0, "and /sbin/sh is the template's ksh again");
  });
});
