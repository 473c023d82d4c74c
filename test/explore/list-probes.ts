import t from 'tap';
import { CoverageRecorder } from '../../harness/model/coverage-recorder.js';
import type { FailedProbe } from '../../harness/model/coverage-recorder.js';
import { daemonName, listProbes } from '../../harness/explore/list-probes.js';

const failed = (r: CoverageRecorder, p: Partial<FailedProbe> & Pick<FailedProbe, 'path' | 'syscall'>): void =>
  r.failed({ errno: 'ENOENT', traceLine: 10, raw: 'raw', ...p });

t.test('a path the script names or tests is a probe; what a program looks for on its own is not', async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 3, expanded: '[ -f /var/run/acmeagt.pid ]' }, 20);
  failed(r, { path: '/var/run/acmeagt.pid', jailPath: '/var/run/acmeagt.pid', syscall: 'newfstatat', traceLine: 19 });
  failed(r, { path: '/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6', syscall: 'openat', traceLine: 5 });
  failed(r, { path: '/sbin/crontab', syscall: 'newfstatat', traceLine: 30 });
  failed(r, { path: '/sbin/init.d/acmeagt', syscall: 'execve', named: true, scriptLine: 7, traceLine: 40 });
  failed(r, { path: '/etc/rc.config.d/acmeagt', syscall: 'openat', scriptLine: 2, traceLine: 8 });
  failed(r, { path: '/proc/1234/status', syscall: 'openat', named: true });
  const probes = listProbes({ recorder: r, scriptText: '. /etc/rc.config.d/acmeagt\n', run: 0 });
  t.same(
    probes.map((p) => [p.kind, p.path, p.subject]),
    [
      ['pid-file', '/var/run/acmeagt.pid', 'acmeagt'],
      ['init-script', '/sbin/init.d/acmeagt', 'acmeagt'],
      ['config', '/etc/rc.config.d/acmeagt', 'acmeagt'],
    ],
    'the library, the PATH lookup of crontab and /proc are no probes of the script',
  );
  t.match(probes[0], { call: 'newfstatat', answer: 'ENOENT', line: 3, tests: ['-f'], run: 0 }, "a test's line comes from its xtrace");
  t.match(probes[1], { call: 'execve', line: 7 });
});

t.test('classified by what the path is and how it was asked', async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 1, expanded: '[ -x /opt/acme/bin/acmectl ]' }, 1);
  r.saw({ file: '/s', line: 2, expanded: '[ -d /var/opt/acme/data ]' }, 2);
  r.saw({ file: '/s', line: 3, expanded: '[ -f /tmp/acme.lock ]' }, 3);
  r.saw({ file: '/s', line: 4, expanded: '[ -r /etc/opt/acme/acme.conf ]' }, 4);
  r.saw({ file: '/s', line: 5, expanded: '[ -f /var/opt/acme/run/pid ]' }, 5);
  r.saw({ file: '/s', line: 6, expanded: '[ -x /sbin/rc3.d/S900acmeagt ]' }, 6);
  for (const path of [
    '/opt/acme/bin/acmectl',
    '/var/opt/acme/data',
    '/tmp/acme.lock',
    '/etc/opt/acme/acme.conf',
    '/var/opt/acme/run/pid',
    '/sbin/rc3.d/S900acmeagt',
  ]) {
    failed(r, { path, jailPath: path, syscall: path.endsWith('.conf') ? 'access' : 'newfstatat' });
  }
  const probes = listProbes({ recorder: r, run: 0 });
  t.same(
    probes.map((p) => [p.kind, p.subject]),
    [
      ['program', 'acme'],
      ['directory', 'acme'],
      ['file', '/tmp/acme.lock'],
      ['config', 'acme'],
      ['pid-file', 'acme'],
      ['init-script', 'acmeagt'],
    ],
  );
  t.equal(daemonName('pid-file', '/var/run/acmeagt.pid'), 'acmeagt');
  t.equal(daemonName('init-script', '/sbin/rc2.d/K100acmeagt'), 'acmeagt', 'an rc link names its script');
  t.equal(daemonName('pid-file', '/var/opt/acme/run/pid'), 'acme', 'a generic name: the first directory that names something');
  t.equal(daemonName('pid-file', '/var/run/pid'), undefined);
});

t.test('a refusal is listed as a probe exploration cannot make true', async (t) => {
  const r = new CoverageRecorder();
  failed(r, { path: '/etc/opt/acme/secret', jailPath: '/etc/opt/acme/secret', syscall: 'openat', errno: 'EACCES', named: true });
  const [p] = listProbes({ recorder: r, run: 0 });
  t.match(p, { kind: 'config', answer: 'EACCES', unplannable: /EACCES/ });
});

t.test('process searches that found nothing: grep after ps, pgrep, the [a]cme idiom, grep -v grep', async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 5, expanded: 'ps -ef' }, 50);
  r.saw({ file: '/s', line: 5, expanded: 'grep -q [a]cmeagt' }, 51);
  r.searched({ argv: ['grep', '-q', '[a]cmeagt'], scriptLine: 5, traceLine: 52, raw: '+++ exited with 1 +++' });
  r.searched({ argv: ['pgrep', '-x', 'acmed'], scriptLine: 6, traceLine: 60, raw: '+++ exited with 1 +++' });
  // A grep on a line that ran no ps searched a file, not the process list.
  r.searched({ argv: ['grep', '-q', 'enabled', '/etc/opt/acme/acme.conf'], scriptLine: 7, traceLine: 70, raw: 'x' });
  r.saw({ file: '/s', line: 8, expanded: 'ps -ef' }, 80);
  r.saw({ file: '/s', line: 8, expanded: 'grep acmemon' }, 81);
  r.saw({ file: '/s', line: 8, expanded: 'grep -v grep' }, 82);
  r.searched({ argv: ['grep', '-v', 'grep'], scriptLine: 8, traceLine: 83, raw: 'x' });
  r.saw({ file: '/s', line: 9, expanded: 'ps -e' }, 90);
  r.searched({ argv: ['grep', '-E', 'acme(agt|mon)'], scriptLine: 9, traceLine: 91, raw: 'x' });
  const probes = listProbes({ recorder: r, run: 1 });
  t.same(
    probes.map((p) => [p.kind, p.name, p.call, p.line, p.unplannable === undefined]),
    [
      ['process', 'acmeagt', 'grep', 5, true],
      ['process', 'acmed', 'pgrep', 6, true],
      ['process', 'acmemon', 'grep', 8, true],
      ['process', 'acme(agt|mon)', 'grep', 9, false],
    ],
  );
  t.equal(probes[0]?.run, 1);
});

t.test('signal 0 answered ESRCH is listed, and cannot be made true', async (t) => {
  const r = new CoverageRecorder();
  r.noProcess({ pid: 4242, scriptLine: 3, traceLine: 33, raw: 'kill(4242, 0) = -1 ESRCH' });
  const [p] = listProbes({ recorder: r, run: 0 });
  t.match(p, { kind: 'pid', pid: 4242, call: 'kill', answer: 'ESRCH', line: 3, unplannable: /pid/ });
});

t.test('a program that exists nowhere gets no stand-in', async (t) => {
  const r = new CoverageRecorder();
  failed(r, { path: '/usr/sbin/no_such_tool', jailPath: '/usr/sbin/no_such_tool', syscall: 'execve', named: true });
  failed(r, { path: '/opt/acme/bin/acmectl', jailPath: '/opt/acme/bin/acmectl', syscall: 'execve', named: true });
  const probes = listProbes({ recorder: r, run: 0, nowhere: new Set(['/usr/sbin/no_such_tool']) });
  t.match(probes, [
    { kind: 'program', path: '/usr/sbin/no_such_tool', unplannable: /exists nowhere/ },
    { kind: 'program', path: '/opt/acme/bin/acmectl' },
  ]);
  t.equal(probes[1]?.unplannable, undefined, "a product's program does: it exists where the product is installed");
});
