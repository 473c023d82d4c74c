import t from 'tap';
import { AT_FDCWD, argvOf, fdArg, fdPath, flagNames, pidArg, returnTracerPid, stringArg, structField, succeeded } from '../../harness/model/trace-args.js';
import { loadMeta, parseCalls, recordedCall, tracedLines } from '../fixtures/model/run-model.js';

t.test('pids decoded by --decode-pids=pidns, and plain ones', async (t) => {
  const probe = await recordedCall('kill-targets', 'kill', /in strace's PID NS/);
  const daemon = (await loadMeta('kill-targets')).daemons[0];
  t.same(pidArg(probe.args[0]), { value: daemon?.nsPid, tracerValue: daemon?.pid }, 'the daemon by its pid in the jail and in strace');
  t.same(pidArg((await recordedCall('kill-targets', 'kill', /kill\(-1,/)).args[0]), { value: -1 });
  // Other spellings a parser may hand over.
  t.same(pidArg({ t: 'other', text: "-10 /* 16654 in strace's PID NS */" }), { value: -10, tracerValue: 16654 });
  t.same(pidArg({ t: 'num', value: 57, text: '57' }), { value: 57 });
  t.equal(pidArg({ t: 'null' }), undefined);
});

t.test('pids returned across namespaces', async (t) => {
  const getpid = await recordedCall('fork-exec', 'getpid', /in strace's PID NS/);
  t.equal(getpid.ret.value, 5, 'the shell is pid 5 in the booted namespace');
  t.equal(returnTracerPid(getpid.ret, getpid.raw), getpid.pid, 'and its own strace pid outside');
  const [resumed] = parseCalls(await tracedLines('fork-exec', /clone3\(|clone3 resumed/).then((l) => l.slice(0, 2)));
  t.ok(resumed !== undefined && resumed.ret.value !== null && resumed.ret.value < 100, 'a clone3 inside the namespace returns a small pid');
  if (resumed) t.ok((returnTracerPid(resumed.ret, resumed.raw) ?? 0) > 100, 'strace adds the child pid in its own namespace');
  const outer = await recordedCall('fork-exec', 'clone', /\) = \d+ </);
  t.equal(returnTracerPid(outer.ret, outer.raw), undefined, "nsenter's clone happens outside the namespace: no translation");
  // Without the parser's field, the comment in the raw text still gives it.
  t.equal(returnTracerPid({ value: 3, text: '3' }, "x(...) = 3 /* 1234 in strace's PID NS */ <0.1>"), 1234);
});

t.test('fds with and without decoration', async (t) => {
  const open = await recordedCall('fork-exec', 'openat', /"motd", O_RDONLY/);
  const dirfd = fdArg(open.args[0]);
  t.equal(dirfd?.fd, AT_FDCWD);
  t.match(fdPath(dirfd), /\/inactive\/etc$/, 'AT_FDCWD carries the cwd as strace sees it');
  t.match(open.ret.decoration, { kind: 'path', path: /\/inactive\/etc\/motd$/ });
  t.same(fdArg({ t: 'num', value: 3, text: '3' }), { t: 'fd', fd: 3, decoration: { kind: 'none' } });
  t.equal(fdArg({ t: 'other', text: 'AT_FDCWD' })?.fd, AT_FDCWD);
  t.equal(fdPath(fdArg({ t: 'num', value: 3, text: '3' })), undefined);
});

t.test('flags, strings, argv, struct fields and success', async (t) => {
  const create = await recordedCall('fork-exec', 'openat', /written-by-script/);
  t.same(flagNames(create.args[2]), ['O_WRONLY', 'O_CREAT', 'O_TRUNC']);
  t.same(stringArg(create.args[1]), { t: 'str', value: '/var/opt/shared/written-by-script', truncated: false });
  t.same(flagNames({ t: 'other', text: 'O_RDONLY' }), ['O_RDONLY']);

  const exec = await recordedCall('truncated', 'execve', /"dgram".* = 0 /);
  const argv = argvOf(exec.args[1]);
  t.same(argv.argv.slice(0, 2), ['fixture-tool', 'dgram']);
  t.equal(argv.truncated, true, 'strace cut the long argument at -s 40');

  const sendmsg = await recordedCall('sockets', 'sendmsg');
  t.match(structField(sendmsg.args[1], 'msg_name'), { t: 'struct' });
  t.equal(structField(sendmsg.args[1], 'no_such_field'), undefined);
  t.equal(succeeded(sendmsg), false, 'ECONNREFUSED');
  t.equal(succeeded(create), true);
  t.equal(succeeded({ ...create, ret: { value: null, text: '?' } }), true, 'a call that never returned may have taken effect');
});
