import t from 'tap';
import { CoverageRecorder, firstWord } from '../../harness/model/coverage-recorder.js';

t.test('the command word of a traced command', async (t) => {
  t.equal(firstWord('kill -9 57'), 'kill');
  t.equal(firstWord("[ 1 '!=' 1 ]"), '[');
  t.equal(firstWord('PID=57'), 'PID=', 'an assignment, whatever its value');
  t.equal(firstWord('a[3]=x'), 'a=');
  t.equal(firstWord("'my cmd' arg"), 'my cmd', 'ksh93 quotes a word with blanks');
  t.equal(firstWord('exit'), 'exit');
});

t.test("a line's markers: words counted, expansions and the first trace line kept", async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 4, expanded: '[ -f /x ]' }, 10);
  r.saw({ file: '/s', line: 4, expanded: '[ -f /y ]' }, 12);
  r.saw({ file: '/s', line: 5, expanded: 'kill -0 7' }, 12);
  t.same([...(r.lines.get(4)?.words ?? [])], [['[', 2]]);
  t.same(r.lines.get(4)?.expansions, ['[ -f /x ]', '[ -f /y ]']);
  t.equal(r.lines.get(4)?.traceLine, 10);
  t.equal(r.markers, 3);
  r.failed({ scriptLine: 3, path: '/var/run/x.pid', syscall: 'openat', errno: 'ENOENT', traceLine: 9, raw: 'raw' });
  t.match(r.probes, [{ scriptLine: 3, path: '/var/run/x.pid', errno: 'ENOENT', traceLine: 9 }]);
});

t.test('the paths a traced test asks about, with every operator asked', async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 3, expanded: '[ -f /var/run/acmeagt.pid ]' }, 20);
  r.saw({ file: '/s', line: 4, expanded: '[ -x /sbin/init.d/acmeagt ]' }, 21);
  r.saw({ file: '/s', line: 9, expanded: '[[ -f /var/run/acmeagt.pid ]]' }, 30);
  r.saw({ file: '/s', line: 10, expanded: 'test -d /opt/acme' }, 31);
  r.saw({ file: '/s', line: 11, expanded: '[ -n 1 ]' }, 32);
  r.saw({ file: '/s', line: 12, expanded: 'echo -f /not/a/test' }, 33);
  t.same([...r.tested.keys()].sort(), ['/opt/acme', '/sbin/init.d/acmeagt', '/var/run/acmeagt.pid'], 'operands of path tests only');
  t.same([...(r.tested.get('/var/run/acmeagt.pid')?.ops ?? [])], ['-f']);
  t.match(r.tested.get('/sbin/init.d/acmeagt'), { line: 4, traceLine: 21, expanded: '[ -x /sbin/init.d/acmeagt ]' });
  t.same([...(r.tested.get('/sbin/init.d/acmeagt')?.ops ?? [])], ['-x']);
});
