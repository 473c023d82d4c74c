import t from 'tap';
import { ScriptCaveats } from '../../harness/model/script-caveats.js';

t.test('an exec that moves fd 2 may hide the lines after it', async (t) => {
  const c = new ScriptCaveats([]);
  // As ksh93 traces them (redirections joined to their exec by the xtrace reader).
  for (const expanded of ['exec 2> /dev/null', 'exec 1> /dev/null 2>& 1', 'exec 2>& -', 'exec 2>> /var/adm/log', 'exec 3> /x 2>& 3']) {
    t.match(c.caveat(4, expanded), /stderr goes to \/dev\/null or is closed/, expanded);
  }
  for (const expanded of ['exec 1> /dev/null', 'exec 3> /tmp/x', 'exec /usr/bin/foo 2', 'execute 2> /dev/null', 'kill -HUP 11 2> /dev/null']) {
    t.equal(c.caveat(4, expanded), undefined, expanded);
  }
});

t.test('set +x on the traced line or the next command line', async (t) => {
  const text = ['#!/sbin/sh', 'echo start', '', '# quiet from here', 'set +x', 'echo a; set +ex', 'echo b', 'set -o xtrace', 'set -', 'echo c'].join('\n');
  const c = new ScriptCaveats(text.split('\n'));
  t.equal(c.caveat(2, 'echo start'), 'the shell stops tracing at line 5 (`set +x`): the event may come from a later line', 'past blank and comment lines');
  t.match(c.caveat(6, 'echo a'), /line 6 \(`set \+ex`\)/, 'on the line itself');
  t.equal(c.caveat(7, 'echo b'), undefined, 'the next command line does not turn it off');
  t.match(c.caveat(8, 'set -o xtrace'), /line 9 \(`set -`\)/, '`set -` turns -x off in ksh');
  t.equal(c.caveat(10, 'echo c'), undefined, 'the last line');
  t.equal(new ScriptCaveats(['set -e', 'set -o errexit', 'set +e', '']).caveat(1, 'set -e'), undefined, 'other options are not xtrace');
});

t.test('a call of a ksh function names it; POSIX functions are traced and need nothing', async (t) => {
  const text = ['#!/sbin/sh', 'function stop_it {', '  kill $1', '}', 'start_it() {', '  true', '}', '  function nested.name', 'stop_it 11', 'start_it'].join(
    '\n',
  );
  const c = new ScriptCaveats(text.split('\n'));
  t.equal(
    c.caveat(9, 'stop_it 11'),
    '`stop_it` is a ksh function (`function stop_it`, line 2), whose body ksh93 does not trace: the event comes from inside it',
  );
  t.match(c.caveat(9, 'nested.name x'), /line 8/, 'an indented definition and a dotted name');
  t.equal(c.caveat(10, 'start_it'), undefined);
  t.equal(c.caveat(9, 'stop_itx'), undefined, 'a whole word');
});
