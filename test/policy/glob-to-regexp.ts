import t from 'tap';
import { GlobSyntaxError, globsToRegExp, globToRegExp } from '../../harness/policy/glob-to-regexp.js';

const matches = (glob: string, s: string): boolean => globToRegExp(glob).test(s);

t.test('wildcards', async (t) => {
  t.ok(matches('/sbin/init.d/*', '/sbin/init.d/comsec'));
  t.notOk(matches('/sbin/init.d/*', '/sbin/init.d/sub/comsec'), '* stops at /');
  t.notOk(matches('/sbin/init.d/*', '/sbin/init_d/comsec'), '. is literal');
  t.ok(matches('**/init.d/*', '/images/inactive/sbin/init.d/comsec'));
  t.ok(matches('**/init.d/*', 'init.d/comsec'), '**/ may match nothing');
  t.ok(matches('/var/**', '/var/a/b/c'));
  t.ok(matches('/sbin/rc?.d/*', '/sbin/rc2.d/S100comsec'));
  t.notOk(matches('/sbin/rc?.d/*', '/sbin/rc/.d/x'), '? is not /');
  t.notOk(matches('/etc/motd', '/etc/motd2'), 'the whole string must match');
  t.ok(matches('/opt/**', '/opt/acme/../acme/bin/acmed'), '** crosses `..` segments: a path as named may hold them');
  t.ok(matches('/sbin/init.d/*', '/sbin/init.d/.hidden'), '* matches a leading dot');
  t.ok(matches('a**b', 'ax/yb'), '** inside a segment still crosses /');
  t.notOk(matches('/opt/**', '/opt'), '/opt/** does not match /opt itself');
  t.ok(matches('**/sbin/init.d/*', '/images/inactive/sbin/init.d/comsec'), 'a leading **/ over many segments');
  t.notOk(matches('**/sbin/init.d/*', '/images/inactive/sbin/init.d/x/comsec'));
});

t.test('classes, alternatives, escapes', async (t) => {
  t.ok(matches('/sbin/rc[0-9S].d/*', '/sbin/rcS.d/x'));
  t.notOk(matches('/sbin/rc[0-9S].d/*', '/sbin/rcX.d/x'));
  t.ok(matches('rc[!0-9]', 'rcx'));
  t.notOk(matches('rc[^0-9]', 'rc1'));
  t.notOk(matches('a[!b]c', 'a/c'), 'a negated class never matches /');
  t.ok(matches('/etc/{init.d,rc.d/init.d}/*', '/etc/rc.d/init.d/x'));
  t.ok(matches('{a,b{c,d}}', 'bd'), 'nested');
  t.ok(matches('\\*', '*'));
  t.notOk(matches('\\*', 'x'));
  t.ok(matches('a+b(c)|$^', 'a+b(c)|$^'), 'regex characters are literal');
  t.notOk(matches('a+b(c)|$^', '$^'), '| is no alternation');
  t.ok(matches('!a', '!a'), 'a leading ! is the character');
});

t.test('syntax errors', async (t) => {
  t.throws(() => globToRegExp('/sbin/[init'), GlobSyntaxError);
  t.throws(() => globToRegExp('{a,b'), GlobSyntaxError);
  t.throws(() => globToRegExp('a\\'), GlobSyntaxError);
});

t.test('several globs in one RegExp', async (t) => {
  const re = globsToRegExp(['/sbin/init.d/*', '**/etc/init.d/*']);
  t.ok(re.test('/sbin/init.d/a'));
  t.ok(re.test('/x/etc/init.d/b'));
  t.notOk(re.test('/usr/bin/a'));
});
