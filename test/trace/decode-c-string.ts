import t from 'tap';
import { readQuotedString, unescapeC } from '../../harness/trace/decode-c-string.js';

t.test('strings without escapes are sliced whole', async (t) => {
  const text = 'write(1, "hello world", 11)';
  const q = readQuotedString(text, text.indexOf('"'));
  t.same(q, { value: 'hello world', end: text.indexOf(',', 10), closed: true });
});

t.test('escapes strace prints decode to their bytes', async (t) => {
  // From a real sendmsg iov: "hello\tworld\0\177\1\"\\>"
  const text = String.raw`"hello\tworld\0\177\1\"\\>"`;
  const q = readQuotedString(text, 0);
  t.equal(q.closed, true);
  t.equal(q.end, text.length);
  t.equal(q.value, 'hello\tworld\x00\x7f\x01"\\>');
  t.equal(readQuotedString(String.raw`"a\nb\rc\vd\fe\x41\x7e"`, 0).value, 'a\nb\rc\vd\fe\x41\x7e');
});

t.test('octal escapes of non-ASCII bytes give one code point per byte (latin1)', async (t) => {
  t.equal(readQuotedString(String.raw`"utf8-\303\251"`, 0).value, 'utf8-\u00c3\u00a9');
  t.equal(Buffer.from(readQuotedString(String.raw`"\303\251"`, 0).value, 'latin1').toString('utf8'), 'é');
});

t.test('an unterminated string reports where the range ended', async (t) => {
  const q = readQuotedString('"abc\\', 0);
  t.equal(q.closed, false);
  t.equal(q.end, 5);
  t.equal(readQuotedString('"abc', 0, 3).closed, false);
});

t.test('unescapeC decodes -y paths (which escape < > " and \\ but not spaces or parens)', async (t) => {
  t.equal(unescapeC(String.raw`/tmp/st/we\76ird\nname`), '/tmp/st/we>ird\nname');
  t.equal(unescapeC(String.raw`/tmp/wp/a\74b`), '/tmp/wp/a<b');
  t.equal(unescapeC(String.raw`/tmp/wp/q\"r`), '/tmp/wp/q"r');
  t.equal(unescapeC(String.raw`/tmp/wp/s\\t`), '/tmp/wp/s\\t');
  t.equal(unescapeC('/tmp/wp/c)d,e f'), '/tmp/wp/c)d,e f');
  t.equal(unescapeC('xx/a\\tb yy', 2, 7), '/a\tb');
});

t.test('a lone backslash at the end of a range is kept', async (t) => {
  t.equal(unescapeC('ab\\'), 'ab\\');
  t.equal(unescapeC(String.raw`\xZZ`), 'xZZ');
});
