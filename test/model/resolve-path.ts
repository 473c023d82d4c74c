import { mkdir, realpath, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { isPlainAbsolute, isProcSys, jailView, procLink, resolveFrom } from '../../harness/model/resolve-path.js';

const root = '/images/inactive';

t.test('absolute paths start at the process root', async (t) => {
  t.equal(resolveFrom(root, `${root}/etc`, '/var/run/x.pid'), `${root}/var/run/x.pid`);
  t.equal(resolveFrom('/', '/tmp', '/etc//motd/'), '/etc/motd');
  t.equal(resolveFrom(root, `${root}/etc`, '/'), root);
});

t.test('relative paths start at the base directory', async (t) => {
  t.equal(resolveFrom(root, `${root}/etc`, 'motd'), `${root}/etc/motd`);
  t.equal(resolveFrom(root, `${root}/etc`, './rc.config.d/../motd'), `${root}/etc/motd`);
  t.equal(resolveFrom(root, `${root}/etc`, '.'), `${root}/etc`);
});

t.test('.. stops at the process root, as the kernel does in a chroot', async (t) => {
  t.equal(resolveFrom(root, root, '..'), root);
  t.equal(resolveFrom(root, `${root}/etc`, '../../../../etc/passwd'), `${root}/etc/passwd`);
  t.equal(resolveFrom(root, `${root}/var`, '/../../images/booted'), `${root}/images/booted`);
  t.equal(resolveFrom('/', '/', '../..'), '/');
});

t.test('.. from a directory outside the root walks up freely (the chroot escape)', async (t) => {
  // chroot("sub") without chdir leaves the cwd (the old root) outside the new root.
  const newRoot = `${root}/escape.d`;
  t.equal(resolveFrom(newRoot, root, '..'), '/images');
  t.equal(resolveFrom(newRoot, root, '../../..'), '/');
  t.equal(resolveFrom(newRoot, root, '../booted/etc/motd'), '/images/booted/etc/motd');
});

t.test('lexical resolution against the real file system', async (t) => {
  const dir = await realpath(t.testdir({ a: { b: { c: 'x' }, d: {} }, d: {} }));
  await mkdir(join(dir, 'a', 'e'));
  await symlink(join(dir, 'a', 'b'), join(dir, 'link'));
  t.equal(resolveFrom('/', dir, 'a/e/../b/./c'), await realpath(join(dir, 'a/e/../b/./c')));
  // Through a symlink the kernel's `..` leaves the link's target: the lexical answer differs,
  // which is why strace's decorations are preferred whenever they exist.
  t.equal(await realpath(`${dir}/link/../d`), join(dir, 'a', 'd'));
  t.equal(resolveFrom('/', dir, 'link/../d'), join(dir, 'd'));
});

t.test('how a process inside a root names a real path', async (t) => {
  t.equal(jailView(root, `${root}/etc/motd`), '/etc/motd');
  t.equal(jailView(root, root), '/');
  t.equal(jailView(root, '/images/booted/etc/motd'), undefined);
  t.equal(jailView('/', '/etc/motd'), '/etc/motd');
});

t.test('/proc/<pid>/root and /proc/<pid>/cwd links', async (t) => {
  t.same(procLink('/proc/1/root/etc/motd'), { who: '1', kind: 'root', rest: '/etc/motd' });
  t.same(procLink('/proc/57/cwd'), { who: '57', kind: 'cwd', rest: '' });
  t.same(procLink('/proc/self/root/dev/log'), { who: 'self', kind: 'root', rest: '/dev/log' });
  t.equal(procLink('/proc/1/rootfs/x'), undefined);
  t.same(procLink('/proc/1/fd/3'), { who: '1', kind: 'fd', fd: 3, rest: '' }, "another process's open file");
  t.same(procLink('/proc/8/fd/4/etc/passwd'), { who: '8', kind: 'fd', fd: 4, rest: '/etc/passwd' }, 'through a directory fd');
  t.equal(procLink('/proc/1/fd'), undefined, 'the fd directory itself names no file');
  t.equal(procLink('/proc/1/fdinfo/3'), undefined);
  t.equal(procLink('/etc/proc/1/root'), undefined);
  t.ok(isProcSys('/proc/sys/kernel/hostname'));
  t.notOk(isProcSys('/proc/sysrq-trigger'));
});

t.test('isPlainAbsolute: absolute paths resolveFrom appends whole', async (t) => {
  for (const p of ['/etc/passwd', '/a', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/a/.b/c..']) {
    t.ok(isPlainAbsolute(p), p);
    t.equal(resolveFrom('/jail', '/jail/x', p), `/jail${p}`, `${p} from a root`);
    t.equal(resolveFrom('/', '/x', p), p, `${p} from /`);
  }
  for (const p of ['', '/', 'etc/passwd', '/etc/', '//etc', '/etc/./passwd', '/etc/../passwd', '/.', '/..']) t.notOk(isPlainAbsolute(p), JSON.stringify(p));
});
