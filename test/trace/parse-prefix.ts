import t from 'tap';
import { parsePrefix } from '../../harness/trace/parse-prefix.js';

t.test('-o with -f: pid then time', async (t) => {
  const line = '4391  1795321492.354075 fcntl(0, F_GETFL) = 0x8000';
  const p = parsePrefix(line);
  t.equal(p?.pid, 4391);
  t.equal(p?.time, 1795321492.354075);
  t.equal(line.slice(p?.body), 'fcntl(0, F_GETFL) = 0x8000');
  t.same(parsePrefix('17860 exit_group(0) = ?'), { pid: 17860, time: undefined, body: 6 });
});

t.test('stderr: [pid N] with padding, or nothing', async (t) => {
  t.same(parsePrefix('[pid  4392] 1795322133.756925 getpid() = 4392'), { pid: 4392, time: 1795322133.756925, body: 30 });
  t.same(parsePrefix('[pid 17658] mmap(NULL) = 0x1'), { pid: 17658, time: undefined, body: 12 });
  t.same(parsePrefix('1795322133.753497 execve("/usr/bin/ksh") = 0'), { pid: undefined, time: 1795322133.753497, body: 18 });
  t.same(parsePrefix('execve("/usr/bin/ksh") = 0'), { pid: undefined, time: undefined, body: 0 });
  t.equal(parsePrefix('[pid x] foo'), undefined);
  t.equal(parsePrefix('[pid 12 foo'), undefined);
});

t.test('-tt and -t clock times are seconds since midnight', async (t) => {
  t.equal(parsePrefix('28175 04:54:05.976969 execve("/usr/bin/ksh") = 0')?.time, 4 * 3600 + 54 * 60 + 5.976969);
  t.equal(parsePrefix('28182 04:54:06 execve("/usr/bin/ksh") = 0')?.time, 4 * 3600 + 54 * 60 + 6);
  t.equal(parsePrefix('28182     0.000123 execve("/usr/bin/ksh") = 0')?.time, 0.000123, '-r relative time');
});

t.test('a number not followed by a space is not a timestamp', async (t) => {
  const p = parsePrefix('123 1.5x foo');
  t.equal(p?.pid, 123);
  t.equal(p?.time, undefined);
  t.equal(p?.body, 4);
});
