import t from 'tap';
import { scanArgs } from '../../harness/trace/scan-args.js';

/** The arguments of one real call line (text after `name(`). */
const argsOf = (line: string) => {
  const start = line.indexOf('(') + 1;
  return scanArgs(line, start, line.length);
};

t.test('openat: fd with cwd decoration, string, flag set, octal mode', async (t) => {
  const r = argsOf('openat(AT_FDCWD</tmp/st>, "/tmp/st/we>ird\\nname", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/st/we\\76ird\\nname>');
  t.equal(r.closed, true);
  t.equal(r.complete, true);
  t.same(r.args, [
    { t: 'fd', fd: -100, decoration: { kind: 'path', path: '/tmp/st' } },
    { t: 'str', value: '/tmp/st/we>ird\nname', truncated: false },
    { t: 'flags', names: ['O_WRONLY', 'O_CREAT', 'O_TRUNC'] },
    { t: 'num', value: 0o666, text: '0666' },
  ]);
  t.equal(r.names, undefined);
});

t.test('execve: argv array and the env pointer with its comment', async (t) => {
  const r = argsOf('execve("/bin/sh", ["/bin/sh", "-c", "ulimit -c unlimited; kill -SEGV $$"], 0x55b13d044908 /* 7 vars */) = 0');
  t.equal(r.complete, true);
  t.same(r.args[0], { t: 'str', value: '/bin/sh', truncated: false });
  t.match(r.args[1], { t: 'array', truncated: false, items: [{ value: '/bin/sh' }, { value: '-c' }, { value: 'ulimit -c unlimited; kill -SEGV $$' }] });
  t.same(r.args[2], { t: 'other', text: '0x55b13d044908 /* 7 vars */' });
});

t.test('kill under --decode-pids=pidns gives a PidArg with the tracer pid', async (t) => {
  const r = argsOf("kill(2 /* 28128 in strace's PID NS */, SIGTERM) = 0");
  t.same(r.args, [
    { t: 'pid', value: 2, tracerValue: 28128 },
    { t: 'other', text: 'SIGTERM', name: 'SIGTERM' },
  ]);
  t.same(argsOf('kill(28115, SIGKILL) = 0').args[0], { t: 'num', value: 28115, text: '28115' });
});

t.test('sockaddr structs: AF_UNIX paths and abstract names, AF_INET, AF_INET6, netlink', async (t) => {
  t.same(argsOf('connect(17<UNIX:[9354]>, {sa_family=AF_UNIX, sun_path="/dev/log"}, 110) = -1').args[1], {
    t: 'struct',
    truncated: false,
    fields: [
      ['sa_family', { t: 'other', text: 'AF_UNIX', name: 'AF_UNIX' }],
      ['sun_path', { t: 'str', value: '/dev/log', truncated: false }],
    ],
  });
  t.match(argsOf('bind(11<UNIX-STREAM:[9348]>, {sa_family=AF_UNIX, sun_path=@"abstract-drd"}, 15) = 0').args[1], {
    fields: [[], ['sun_path', { t: 'str', value: '@abstract-drd', abstract: true }]],
  });
  const inet = argsOf('connect(6<UDP:[9344]>, {sa_family=AF_INET, sin_port=htons(69), sin_addr=inet_addr("127.0.0.1")}, 16) = 0').args[1];
  t.match(inet, {
    t: 'struct',
    fields: [
      ['sa_family', { name: 'AF_INET' }],
      ['sin_port', { t: 'other', name: 'htons', text: 'htons(69)', callArgs: [{ t: 'num', value: 69 }] }],
      ['sin_addr', { t: 'other', name: 'inet_addr', callArgs: [{ t: 'str', value: '127.0.0.1' }] }],
    ],
  });
  const v6 = argsOf(
    'bind(14<TCPv6:[9351]>, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  );
  t.equal(v6.complete, true);
  t.match(v6.args[1], {
    fields: [[], [], [], ['#3', { name: 'inet_pton', callArgs: [{ name: 'AF_INET6' }, { value: '::1' }, { t: 'other', text: '&sin6_addr' }] }], []],
  });
  t.match(argsOf('bind(16<NETLINK:[9353]>, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0').args[1], {
    fields: [[], ['nl_pid', { value: 0 }], ['nl_groups', { t: 'num', value: 0, text: '00000000' }]],
  });
});

t.test('sendmsg: msghdr with its destination and iov strings', async (t) => {
  const r = argsOf(
    String.raw`sendmsg(3<UNIX:[29463]>, {msg_name={sa_family=AF_UNIX, sun_path="/tmp/st/r.sock"}, msg_namelen=110, msg_iov=[{iov_base="hello\tworld\0\177\1\"\\>", iov_len=17}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 17`,
  );
  t.equal(r.complete, true);
  t.match(r.args[1], {
    t: 'struct',
    fields: [
      ['msg_name', { t: 'struct', fields: [[], ['sun_path', { value: '/tmp/st/r.sock' }]] }],
      ['msg_namelen', { value: 110 }],
      [
        'msg_iov',
        {
          t: 'array',
          items: [
            {
              t: 'struct',
              fields: [
                ['iov_base', { value: 'hello\tworld\0\x7f\x01"\\>' }],
                ['iov_len', { value: 17 }],
              ],
            },
          ],
        },
      ],
    ],
  });
});

t.test('stat structs with elision, makedev, and truncated strings', async (t) => {
  const r = argsOf('newfstatat(0</dev/null<char 1:3>>, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0');
  t.match(r.args[0], { t: 'fd', fd: 0, decoration: { kind: 'path', path: '/dev/null', device: 'char 1:3' } });
  t.match(r.args[2], {
    t: 'struct',
    truncated: true,
    fields: [
      ['st_mode', { t: 'flags', names: ['S_IFCHR', '0666'] }],
      ['st_rdev', { t: 'other', name: 'makedev', callArgs: [{ value: 1, text: '0x1' }, { value: 3 }] }],
    ],
  });
  const read = argsOf('read(3</tmp/locale.alias>, "# Locale name alias data base.\\n# Copyright (C) 1996-2022 Free So"..., 4096) = 2996');
  t.match(read.args[1], { t: 'str', truncated: true, value: '# Locale name alias data base.\n# Copyright (C) 1996-2022 Free So' });
});

t.test("clone's named arguments keep their names by position", async (t) => {
  const r = argsOf('clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f42c305ea10) = 4392');
  t.same(r.names, ['child_stack', 'flags', 'child_tidptr']);
  t.same(r.args[0], { t: 'null' });
  t.same(r.args[1], { t: 'flags', names: ['CLONE_CHILD_CLEARTID', 'CLONE_CHILD_SETTID', 'SIGCHLD'] });
  const mixed = argsOf('clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7feae4083000, stack_size=0x9000}, 88) = 17660');
  t.equal(mixed.names, undefined);
  t.match(mixed.args[0], { t: 'struct', fields: [['flags', { t: 'flags' }], ['exit_signal', { name: 'SIGCHLD' }], [], []] });
});

t.test('forms kept as text: wait status, value changes, sigsets, unavailable', async (t) => {
  const wait = argsOf('wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WSTOPPED|WCONTINUED, NULL) = 4393');
  t.equal(wait.complete, true);
  t.same(wait.args[0], { t: 'num', value: -1, text: '-1' });
  t.match(wait.args[1], { t: 'array', items: [{ t: 'struct', fields: [['#0', { t: 'other', text: 'WIFEXITED(s) && WEXITSTATUS(s) == 0' }]] }] });
  t.match(argsOf('accept4(3<TCP:[1]>, {sa_family=AF_INET}, [4096 => 16], SOCK_CLOEXEC) = 5').args[2], {
    t: 'array',
    items: [{ t: 'other', text: '4096 => 16' }],
  });
  t.same(argsOf('rt_sigprocmask(SIG_BLOCK, ~[KILL STOP], [], 8) = 0').args[1], { t: 'other', text: '~[KILL STOP]' });
  t.match(argsOf('rt_sigprocmask(SIG_UNBLOCK, [ALRM CHLD], NULL, 8) = 0').args[1], { t: 'array', items: [{ t: 'other', text: 'ALRM CHLD' }] });
  t.same(argsOf('read(3, <unavailable>, 10) = 3').args[1], { t: 'other', text: '<unavailable>' });
});

t.test('deleted files, pidfds, pipes, and AT_FDCWD without -y', async (t) => {
  t.same(argsOf('write(5</tmp/st/del.txt>(deleted), "x", 1) = 1').args[0], {
    t: 'fd',
    fd: 5,
    decoration: { kind: 'path', path: '/tmp/st/del.txt', deleted: true },
  });
  t.same(argsOf('pidfd_send_signal(5<pid:17881>, 0, NULL, 0) = 0').args[0], { t: 'fd', fd: 5, decoration: { kind: 'other', text: 'pid:17881' } });
  t.same(argsOf('openat(AT_FDCWD, "/etc/x", O_RDONLY) = 3').args[0], { t: 'fd', fd: -100, decoration: { kind: 'none' } });
  t.same(argsOf('dup2(3<pipe:[123]>, 1) = 1').args[0], { t: 'fd', fd: 3, decoration: { kind: 'other', text: 'pipe:[123]' } });
});

t.test('a range without a closer reads to its end; garbage marks the list incomplete, never throws', async (t) => {
  const text = 'SIGINT, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8';
  const r = scanArgs(text, 0, text.length, 0);
  t.equal(r.closed, true);
  t.equal(r.complete, true);
  t.equal(r.args.length, 4);
  t.equal(r.end, text.length);
  for (const bad of ['"unterminated, 3)', '1, , 2)', '{{{{', ']]), 1)', '[1, 2', '#$%^, 4)', '3<open']) {
    const g = scanArgs(bad, 0, bad.length);
    t.equal(g.complete, false, bad);
  }
  const deep = `${'['.repeat(5000)}1${']'.repeat(5000)})`;
  const d = scanArgs(deep, 0, deep.length);
  t.equal(d.closed, true, 'deep nesting is kept as text, not a stack overflow');
});

t.test('futex operations with shifts are text, not broken decorations', async (t) => {
  const r = argsOf('futex(0x7f, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7e, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 1');
  t.equal(r.complete, true);
  t.same(r.args[5], { t: 'other', text: 'FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1' });
});

t.test('repeated argument texts share one read-only value; different texts never do', async (t) => {
  const a = argsOf('read(3</usr/lib/libc.so.6>, "x", 832) = 832').args;
  const b = argsOf('close(3</usr/lib/libc.so.6>) = 0').args;
  const c = argsOf('close(3</usr/lib/libm.so.6>) = 0').args;
  t.equal(a[0], b[0], 'same fd text, same object');
  t.not(a[0], c[0]);
  t.match(c[0], { decoration: { path: '/usr/lib/libm.so.6' } });
  const f1 = argsOf('openat(AT_FDCWD, "/a", O_RDONLY|O_CLOEXEC) = 3').args[2];
  const f2 = argsOf('openat(AT_FDCWD, "/b", O_RDONLY|O_CLOEXEC) = 3').args[2];
  const f3 = argsOf('openat(AT_FDCWD, "/b", O_RDONLY|O_CLOFORK) = 3').args[2];
  t.equal(f1, f2);
  t.same(f3, { t: 'flags', names: ['O_RDONLY', 'O_CLOFORK'] });
});
