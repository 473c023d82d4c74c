import t from 'tap';
import { findArgsClose, findCallClose, findDecorationEnd, findStringEnd, skipString, skipToTerminator } from '../../harness/trace/skip-value.js';

t.test('findStringEnd skips escaped quotes and counts backslashes', async (t) => {
  const s = String.raw`"a\"b\\" rest`;
  t.equal(findStringEnd(s, 0, s.length), s.indexOf(' ') - 1);
  t.equal(findStringEnd('"abc', 0, 4), -1);
  t.equal(findStringEnd('"ab" "c"', 0, 3), -1, 'a close past the limit does not count');
  t.equal(skipString('"ab"x', 0, 5), 4);
  t.equal(skipString('"ab', 0, 3), 3);
});

t.test('findDecorationEnd: paths end at the first raw >, sockets skip -> and quoted paths', async (t) => {
  const path = '3</tmp/x->, 4';
  t.equal(findDecorationEnd(path, 1), path.indexOf(','), 'a path ending in - is not an arrow');
  const dev = '0</dev/null<char 1:3>>, 1';
  t.equal(findDecorationEnd(dev, 1), dev.indexOf(','));
  const sock = '5<TCP:[127.0.0.1:51899->127.0.0.1:44110]>, 2';
  t.equal(findDecorationEnd(sock, 1), sock.indexOf(','));
  const quoted = String.raw`3<UNIX-STREAM:[32332,"/tmp/s>o\"c)k"]>, 1`;
  t.equal(findDecorationEnd(quoted, 1), quoted.indexOf(', 1'));
  t.equal(findDecorationEnd('3</tmp/open', 1), -1);
});

t.test('skipToTerminator stops at a top-level comma or closer, skipping nested text', async (t) => {
  const s = '{a=[1, 2], b="x,)"}, next';
  t.equal(skipToTerminator(s, 0, s.length), s.indexOf(', next'));
  t.equal(skipToTerminator('3</a,b)>, x', 0, 11), 8);
  t.equal(skipToTerminator('FUTEX_OP_SET<<28|0<<12, x', 0, 25), 22, '<< is a shift, not a decoration');
  t.equal(skipToTerminator('abc', 0, 3), 3);
});

t.test('findCallClose finds the ) before = that is not in a string or decoration', async (t) => {
  const line = '28141 1.0 openat(AT_FDCWD</tmp/x) = 0>, "/tmp/y) = 1", O_RDONLY) = 3</tmp/y) = 1> <0.000011>';
  const open = line.indexOf('(') + 1;
  t.equal(findCallClose(line, open, line.length), line.indexOf(') = 3'));
  const wait = '4391 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WSTOPPED|WCONTINUED, NULL) = 4393 <0.100935>';
  t.equal(findCallClose(wait, wait.indexOf('(') + 1, wait.length), wait.indexOf(') = 4393'));
  const padded = 'exit_group(0)   = ?';
  t.equal(findCallClose(padded, 11, padded.length), 12);
  t.equal(findCallClose('read(3, "abc', 5, 12), -1, 'an unterminated string has no end');
  t.equal(findCallClose('getpid(', 7, 7), -1);
});

t.test('findArgsClose agrees on balanced text and reports a missing close', async (t) => {
  const s = 'a, {b=(1)}, "c)")';
  t.equal(findArgsClose(s, 0, s.length), s.length - 1);
  t.equal(findArgsClose('a, b', 0, 4), -1);
});
