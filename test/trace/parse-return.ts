import t from 'tap';
import { durationAt, durationStart, parseReturn } from '../../harness/trace/parse-return.js';
import { findCallClose } from '../../harness/trace/skip-value.js';

/** Return value of a real line: from its `) = ` to its duration. */
const retOf = (line: string) => {
  const close = findCallClose(line, line.indexOf('(') + 1, line.length);
  return parseReturn(line, close + 1, durationStart(line));
};

t.test('plain values, pointers and unknown results', async (t) => {
  t.match(retOf('close(3</etc/ld.so.cache>) = 0 <0.000010>'), { value: 0, text: '0', errno: undefined, annotation: undefined });
  t.match(retOf('brk(NULL)       = 0x5600ab23a000 <0.000010>'), { value: 0x5600ab23a000, text: '0x5600ab23a000' });
  t.match(retOf('exit_group(0)   = ?'), { value: null, text: '?' });
});

t.test('errors keep errno and its text, also for = ?', async (t) => {
  t.match(retOf('access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000012>'), {
    value: -1,
    errno: 'ENOENT',
    errnoText: 'No such file or directory',
    annotation: undefined,
  });
  t.match(retOf('clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=920233}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal) <0.000135>'), {
    value: null,
    errno: 'ERESTART_RESTARTBLOCK',
    errnoText: 'Interrupted by signal',
  });
});

t.test('returned fds carry their decoration; pidns returns their tracer pid', async (t) => {
  t.match(retOf('openat(AT_FDCWD</tmp/st>, "/dev/null", O_RDONLY) = 4</dev/null<char 1:3>> <0.000016>'), {
    value: 4,
    text: '4</dev/null<char 1:3>>',
    decoration: { kind: 'path', path: '/dev/null', device: 'char 1:3' },
  });
  t.match(retOf('accept4(3<TCP:[1]>, NULL, NULL, SOCK_CLOEXEC) = 5<TCP:[127.0.0.1:51899->127.0.0.1:44110]> <0.000037>'), {
    decoration: { kind: 'socket', socket: { local: '127.0.0.1:51899', remote: '127.0.0.1:44110' } },
  });
  t.match(retOf("clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7fd61da9ea10) = 2 /* 4509 in strace's PID NS */ <0.000106>"), {
    value: 2,
    tracerValue: 4509,
    annotation: undefined,
  });
});

t.test('annotations after the value are kept as printed', async (t) => {
  t.match(retOf('fcntl(0</dev/null<char 1:3>>, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE) <0.000011>'), {
    value: 0x8000,
    annotation: '(flags O_RDONLY|O_LARGEFILE)',
  });
  t.match(retOf('poll([{fd=3, events=POLLIN}], 1, 100) = 0 (Timeout)'), { value: 0, annotation: '(Timeout)' });
  t.match(retOf('exit(0) = ? <unavailable>'), { value: null, annotation: '<unavailable>' });
});

t.test('durations: -T seconds, absent otherwise', async (t) => {
  const line = 'wait4(-1, NULL, 0, NULL) = 4393 <0.100935>';
  const at = durationStart(line);
  t.equal(line.slice(at), ' <0.100935>');
  t.equal(durationAt(line, at), 0.100935);
  t.equal(durationAt('x <605.130609>', 1), 605.130609);
  t.equal(durationStart('exit(0) = ? <unavailable>'), 'exit(0) = ? <unavailable>'.length);
  t.equal(durationStart('close(3) = 0'), 'close(3) = 0'.length);
});

t.test('no `= ` means no return value', async (t) => {
  t.equal(parseReturn('x) 0', 1), undefined);
  t.equal(parseReturn('x) = zz', 1), undefined);
  t.equal(parseReturn('x) =', 1), undefined);
});
