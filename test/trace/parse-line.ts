import t from 'tap';
import { NO_PREFIX_PID, parseLine } from '../../harness/trace/parse-line.js';

t.test('a complete call: name, argument text, return, duration', async (t) => {
  const line = '28141 1795323245.811926 write(4<TCP:[127.0.0.1:47330->127.0.0.1:47291]>, "hello\\n", 6) = 6 <0.000046>';
  const r = parseLine(line);
  t.match(r, { kind: 'syscall', pid: 28141, line: 0, time: 1795323245.811926, name: 'write', ret: { value: 6 }, duration: 0.000046 });
  if (r.kind !== 'syscall') return;
  t.equal(r.argsText, '4<TCP:[127.0.0.1:47330->127.0.0.1:47291]>, "hello\\n", 6');
  t.match(r.args, [
    { t: 'fd', fd: 4 },
    { t: 'str', value: 'hello\n' },
    { t: 'num', value: 6 },
  ]);
  t.match(parseLine('close(3) = 0'), { kind: 'syscall', pid: NO_PREFIX_PID, time: undefined, duration: undefined });
});

t.test('unfinished heads keep the argument text before the marker', async (t) => {
  t.same(parseLine('4391  1795321492.356764 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>'), {
    kind: 'unfinished',
    pid: 4391,
    time: 1795321492.356764,
    name: 'clone',
    argsText: 'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD',
    detached: false,
    timeStart: 6,
  });
  t.match(parseLine('[pid 17658] 1795322133.756933 rt_sigprocmask(SIG_BLOCK, ~[],  <unfinished ...>'), {
    kind: 'unfinished',
    pid: 17658,
    argsText: 'SIG_BLOCK, ~[], ',
  });
  t.match(parseLine('4392  1795321492.356696 getpid( <unfinished ...>'), { kind: 'unfinished', argsText: '' });
  t.match(parseLine('1234 wait4(-1,  <detached ...>'), { kind: 'unfinished', name: 'wait4', detached: true });
});

t.test('resumed tails: rest of the arguments and the return; killed inside the call', async (t) => {
  t.match(parseLine('4391  1795321492.458270 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WSTOPPED|WCONTINUED, NULL) = 4393 <0.100935>'), {
    kind: 'resumed',
    pid: 4391,
    name: 'wait4',
    argsText: '[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WSTOPPED|WCONTINUED, NULL',
    ret: { value: 4393 },
    killed: false,
  });
  t.match(parseLine('28115 1795323245.589979 <... clock_nanosleep resumed> <unfinished ...>) = ?'), {
    kind: 'resumed',
    name: 'clock_nanosleep',
    argsText: '',
    ret: { value: null },
    durationStart: -1,
    killed: true,
  });
});

t.test('`???`: a call strace could not read (the process was being killed)', async (t) => {
  t.match(parseLine('52    1796164189.331246 ???( <unfinished ...>'), { kind: 'unfinished', pid: 52, name: '???', argsText: '' });
  t.match(parseLine('51    1796164189.331249 ???()           = ?'), { kind: 'syscall', pid: 51, name: '???', argsText: '', ret: { value: null } });
  t.match(parseLine('51 <... ??? resumed>) = ?'), { kind: 'resumed', name: '???', ret: { value: null } });
  t.match(parseLine('51 ???( <unfinished ...>', new Set(['kill'])), { kind: 'skipped', part: 'unfinished' }, 'skipped like any call nobody reads');
  t.match(parseLine('51 ??(3) = 0'), { kind: 'invalid' }, 'only the three marks strace prints');
  t.match(parseLine('51 ???x(3) = 0'), { kind: 'invalid' });
});

t.test('signals, exits, strace messages, with and without prefixes', async (t) => {
  t.match(parseLine('28119 1795323245.694542 +++ killed by SIGSEGV (core dumped) +++'), { kind: 'exit', pid: 28119, signal: 'SIGSEGV', coreDumped: true });
  t.match(parseLine('1795322133.981821 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=17661} ---'), {
    kind: 'signal',
    pid: undefined,
    signal: 'SIGCHLD',
  });
  t.match(parseLine('strace: Process 17659 attached'), { kind: 'strace', action: 'attached', subject: 17659 });
});

t.test('unreadable lines say why', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['ksh: foo: not found', /expected `\(`/],
    ['4391 1.0 read(3, "abc', /truncated/],
    ['4391 1.0 close(3) 0', /truncated/],
    ['4391 1.0 close(3) = zz', /return value/],
    ['4391 1.0 <... read resumed', /resumed/],
    ['4391 1.0 --- SIGCHLD', /signal/],
    ['4391 1.0 +++ exited', /exit/],
    ['[pid 12', /prefix/],
    ['\x00\x01\x02', /not a strace line/],
  ];
  for (const [line, message] of cases) {
    const r = parseLine(line);
    t.equal(r.kind, 'invalid', JSON.stringify(line));
    if (r.kind === 'invalid') t.match(r.message, message);
  }
});
