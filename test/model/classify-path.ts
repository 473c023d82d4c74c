import t from 'tap';
import { classifyPath, isUnder, PathClassifier, trimSlash } from '../../harness/model/classify-path.js';
import type { TreeLayout } from '../../harness/contract/run-metadata.js';
import { loadMeta } from '../fixtures/model/run-model.js';

const layout: TreeLayout = {
  booted: '/images/booted',
  inactive: '/images/inactive/',
  shared: [{ jailPath: '/var/opt/shared', inactivePath: '/images/inactive/var/opt/shared', bootedPath: '/images/booted/var/opt/shared' }],
  sandbox: ['/drdsafe', '/opt/drdsafe'],
};

t.test('prefixes match whole path components only', async (t) => {
  t.ok(isUnder('/images/booted', '/images/booted'));
  t.ok(isUnder('/images/booted/etc/motd', '/images/booted'));
  t.notOk(isUnder('/images/booted2/etc', '/images/booted'));
  t.notOk(isUnder('/images/boot', '/images/booted'));
  t.ok(isUnder('/anything', '/'));
  t.equal(trimSlash('/images/inactive//'), '/images/inactive');
  t.equal(trimSlash('/'), '/');
});

t.test('each tree of the layout', async (t) => {
  t.equal(classifyPath('/images/booted/etc/motd', layout), 'booted');
  t.equal(classifyPath('/images/inactive/etc/motd', layout), 'inactive');
  t.equal(classifyPath('/images/inactive', layout), 'inactive', 'the root itself, given with a trailing slash in the layout');
  t.equal(classifyPath('/drdsafe/out/trace.txt', layout), 'sandbox');
  t.equal(classifyPath('/opt/drdsafe/bin/run-phase', layout), 'sandbox');
  t.equal(classifyPath('/etc/passwd', layout), 'other');
  t.equal(classifyPath('/images/booted-copy/etc', layout), 'other');
  t.equal(classifyPath('/drdsafe-other/x', layout), 'other');
});

t.test("a shared mount point's own name is an entry of the tree it is mounted on", async (t) => {
  const c = new PathClassifier(layout);
  t.equal(c.classifyEntry('/images/inactive/var/opt/shared'), 'inactive', 'mkdir or rmdir of the mount point changes its parent');
  t.equal(c.classifyEntry('/images/inactive/var/opt/shared/app'), 'shared', 'a name inside it is on the shared file system');
  t.equal(c.classifyEntry('/images/inactive/etc/motd'), 'inactive');
  t.equal(c.classifyEntry('/images/booted/etc/motd'), 'booted');
  t.equal(c.classify('/images/inactive/var/opt/shared'), 'shared', 'while the directory itself (chmod, chown) is shared');
});

t.test('shared mounts win over the inactive tree they sit in', async (t) => {
  t.equal(classifyPath('/images/inactive/var/opt/shared', layout), 'shared');
  t.equal(classifyPath('/images/inactive/var/opt/shared/data/x', layout), 'shared');
  t.equal(classifyPath('/images/inactive/var/opt/shared2/x', layout), 'inactive');
  t.equal(classifyPath('/images/booted/var/opt/shared/x', layout), 'booted', 'the bind source is booted');
  const c = new PathClassifier(layout);
  t.equal(c.throughShared('/images/inactive/var/opt/shared/x.sock'), '/images/booted/var/opt/shared/x.sock');
  t.equal(c.throughShared('/images/inactive/tmp/x.sock'), '/images/inactive/tmp/x.sock');
});

t.test('a tree nested in another is found by its longer prefix', async (t) => {
  // An HP-UX-like layout: the inactive image mounted under the booted root, the harness's files there too.
  const nested: TreeLayout = { booted: '/', inactive: '/var/opt/drd/mnts/sysimage_001', shared: [], sandbox: ['/var/tmp/drdsafe'] };
  t.equal(classifyPath('/var/opt/drd/mnts/sysimage_001/etc/motd', nested), 'inactive');
  t.equal(classifyPath('/var/tmp/drdsafe/trace.txt', nested), 'sandbox');
  t.equal(classifyPath('/etc/motd', nested), 'booted');
});

t.test('the layout of a recorded run', async (t) => {
  const meta = await loadMeta('fork-exec');
  const c = new PathClassifier(meta.trees);
  t.equal(c.classify(`${meta.trees.inactive}/var/opt/shared/written-by-script`), 'shared');
  t.equal(c.classify(`${meta.trees.booted}/var/run/fixtured.pid`), 'booted');
  t.equal(c.classify(`${meta.trees.sandbox[0]}/stderr.txt`), 'sandbox');
});
