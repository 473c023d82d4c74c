import t from 'tap';
import type { ModelEvent } from '../../harness/model/model-event.js';
import { resolveFrom } from '../../harness/model/resolve-path.js';
import { lineOf, ofClass, recordedNames, runcmd, runRecorded } from '../fixtures/model/run-model.js';

const SCENARIOS = recordedNames();
const fsEvents = (events: readonly ModelEvent[]) => events.filter((e) => e.class === 'fs-write' || e.class === 'fs-read');

t.test('file changes and reads, with the real path and its tree', async (t) => {
  const { events, meta } = await runRecorded('fork-exec');
  const writes = runcmd(ofClass(events, 'fs-write'));
  const byPath = (p: string) => writes.find((e) => e.fs?.target.path === p);
  t.match(byPath('/tmp/motd.copy'), {
    syscall: 'openat',
    fs: { op: 'create', target: { real: `${meta.trees.inactive}/tmp/motd.copy`, tree: 'inactive', resolvedBy: 'decoration' } },
    location: { line: 7 },
  });
  t.match(
    byPath('/var/opt/shared/written-by-script'),
    { fs: { op: 'create', target: { tree: 'shared' } }, location: { line: 11 } },
    'a write through the shared bind mount',
  );
  t.match(byPath('/tmp/in-subshell'), { syscall: 'openat', fs: { op: 'create' } });
  const unlink = writes.find((e) => e.syscall === 'unlinkat' && e.fs?.target.path === '/tmp/in-subshell');
  t.match(
    unlink,
    { fs: { op: 'unlink', target: { real: `${meta.trees.inactive}/tmp/in-subshell`, tree: 'inactive', resolvedBy: 'reconstructed' } } },
    'no fd comes back: rebuilt from the root',
  );
  const relative = runcmd(ofClass(events, 'fs-read')).find((e) => e.fs?.target.path === 'motd');
  t.match(
    relative,
    { fs: { op: 'open-read', target: { real: `${meta.trees.inactive}/etc/motd`, resolvedBy: 'decoration' } }, process: { cwd: `${meta.trees.inactive}/etc` } },
    'after `cd /etc`',
  );
  for (const e of runcmd(fsEvents(events))) t.equal(e.process.root, meta.trees.inactive, `${e.syscall} line ${e.line}: rooted in the jail`);
});

t.test("root and cwd tracking agree with strace's decorations", async (t) => {
  // For an absolute path without symlinks or /proc, rebuilding it from the
  // tracked root must give what strace read from the kernel.
  let checked = 0;
  for (const name of SCENARIOS) {
    const { events } = await runRecorded(name);
    for (const e of fsEvents(events)) {
      const target = e.fs?.target;
      if (
        target === undefined ||
        e.syscall !== 'openat' ||
        target.resolvedBy !== 'decoration' ||
        !target.path.startsWith('/') ||
        target.path.startsWith('/proc/') ||
        !e.ok
      )
        continue;
      if (target.path.startsWith('/dev/') || target.path.startsWith('/etc/ld.so') || target.path.startsWith('/usr/lib/locale')) continue;
      if (e.process.root === '/') continue;
      t.equal(resolveFrom(e.process.root, e.process.root, target.path), target.real, `${name} line ${e.line}`);
      checked++;
    }
  }
  t.ok(checked > 50, `${checked} opens checked`);
});

t.test('through /proc/1/root and the chroot("..") trick', async (t) => {
  const { events, meta } = await runRecorded('jail-escape');
  const { booted, inactive } = meta.trees;
  const jail = runcmd(ofClass(events, 'jail'));
  const viaProc = jail.filter((e) => e.subject?.kind === 'proc-root');
  t.same(
    viaProc.map((e) => [e.syscall, e.subject?.detail, e.subject?.tree]),
    [
      ['openat', '/proc/1/root/etc/motd', 'booted'],
      ['chdir', '/proc/1/root/var/run', 'booted'],
      ['openat', '/proc/1/root/tmp/through-proc', 'booted'],
    ],
  );
  // ksh runs the `cd` builtin before it flushes that line's xtrace output: the marker of
  // line 4 comes after the chdir in the trace, and the chdir still gets line 4 (shell-lines.ts).
  const marker4 = await lineOf('jail-escape', ':4] cd /proc/1/root/var/run');
  t.ok(marker4 > (viaProc[1]?.line ?? Infinity), 'the marker follows the chdir');
  t.same(
    viaProc.map((e) => e.location?.line),
    [3, 4, 7],
  );
  t.equal(viaProc[1]?.location?.caveat, undefined, 'the cd names the path: the line is exact');
  for (const e of viaProc) t.match(e.subject?.target, { kind: 'process', nsPid: 1, name: 'init', origin: 'booted' });
  const cwdRead = runcmd(ofClass(events, 'fs-read')).find((e) => e.fs?.target.path === 'fixtured.pid');
  t.match(
    cwdRead,
    { process: { cwd: `${booted}/var/run` }, fs: { target: { real: `${booted}/var/run/fixtured.pid`, tree: 'booted' } } },
    'a relative open from a cwd outside the jail',
  );
  t.ok(
    jail.some((e) => e.subject?.kind === 'escape' && e.line === cwdRead?.line),
    'and it is an escape',
  );

  const chroots = jail.filter((e) => e.syscall === 'chroot');
  t.same(
    chroots.map((e) => e.subject?.detail),
    [`${inactive}/escape.d`, '/'],
    'into a subdirectory, then "." after walking up',
  );
  const walk = jail.filter((e) => e.syscall === 'chdir' && e.subject?.kind === 'escape' && e.process.argv[1] === 'escape');
  t.equal(walk.length, 32, 'every chdir("..") leaves the root');
  t.equal(walk[0]?.subject?.detail, inactive.slice(0, inactive.lastIndexOf('/')), 'the first step goes above the old root');
  const escaped = runcmd(ofClass(events, 'fs-write')).find((e) => e.fs?.target.real === `${booted}/tmp/escaped`);
  t.match(escaped, { ok: true, fs: { op: 'create', target: { tree: 'booted', resolvedBy: 'decoration' } }, process: { root: '/' }, location: { line: 6 } });
  const touched = runcmd(ofClass(events, 'fs-write')).find((e) => e.fs?.target.path === '/proc/1/root/tmp/through-proc');
  t.match(touched, { fs: { op: 'create', target: { real: `${booted}/tmp/through-proc`, tree: 'booted' } } });
});

t.test('a write under /proc/sys changes the kernel, not a file', async (t) => {
  const { events } = await runRecorded('kernel');
  const sysctl = ofClass(events, 'kernel').find((e) => e.subject?.kind === 'sysctl');
  t.match(sysctl, { syscall: 'openat', ok: true, subject: { detail: '/proc/sys/kernel/hostname' }, location: { line: 3 } });
  t.notOk(fsEvents(events).some((e) => e.fs?.target.path === '/proc/sys/kernel/hostname' && e.class === 'fs-write'));
});

t.test('cut strings: argv is a gap, paths are printed whole', async (t) => {
  const { events, gaps } = await runRecorded('truncated');
  t.ok(gaps.length > 0);
  t.same([...new Set(gaps.map((g) => g.kind))], ['truncated-string']);
  t.ok(gaps.every((g) => /exec path or argv/.test(g.message)));
  const created = runcmd(ofClass(events, 'fs-write')).find((e) => e.syscall === 'openat');
  t.match(created?.fs?.target.path, /a-file-name-longer-than-the-string-limit-of-strace$/);
  t.equal(runcmd(events).filter((e) => e.location !== undefined).length, 0, 'the markers themselves were cut: no script lines');
});
