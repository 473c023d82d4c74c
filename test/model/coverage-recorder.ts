import t from 'tap';
import { CoverageRecorder, firstWord } from '../../harness/model/coverage-recorder.js';

t.test('the command word of a traced command', async (t) => {
  t.equal(firstWord('kill -9 57'), 'kill');
  t.equal(firstWord('[ 1 \'!=\' 1 ]'), '[');
  t.equal(firstWord('PID=57'), 'PID=', 'an assignment, whatever its value');
  t.equal(firstWord('a[3]=x'), 'a=');
  t.equal(firstWord("'my cmd' arg"), 'my cmd', 'ksh93 quotes a word with blanks');
  t.equal(firstWord('exit'), 'exit');
});

t.test('a line\'s markers: words counted, expansions and the first trace line kept', async (t) => {
  const r = new CoverageRecorder();
  r.saw({ file: '/s', line: 4, expanded: '[ -f /x ]' }, 10);
  r.saw({ file: '/s', line: 4, expanded: '[ -f /y ]' }, 12);
  r.saw({ file: '/s', line: 5, expanded: 'kill -0 7' }, 12);
  t.same([...(r.lines.get(4)?.words ?? [])], [['[', 2]]);
  t.same(r.lines.get(4)?.expansions, ['[ -f /x ]', '[ -f /y ]']);
  t.equal(r.lines.get(4)?.traceLine, 10);
  t.equal(r.markers, 3);
  r.failed(3, '/var/run/x.pid', 'openat', 'ENOENT', 9, 'raw');
  t.match(r.probes, [{ scriptLine: 3, path: '/var/run/x.pid', errno: 'ENOENT', traceLine: 9 }]);
});
