import t from 'tap';
import { parseExitBody, parseSignalBody, parseStraceMessage } from '../../harness/trace/parse-status-line.js';

const signal = (line: string) => parseSignalBody(line, line.indexOf('--- ') + 4);
const exit = (line: string) => parseExitBody(line, line.indexOf('+++ ') + 4);

t.test('signal deliveries keep siginfo fields as text', async (t) => {
  t.same(signal('--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4393, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---'), {
    kind: 'signal',
    signal: 'SIGCHLD',
    info: { si_signo: 'SIGCHLD', si_code: 'CLD_EXITED', si_pid: '4393', si_uid: '0', si_status: '0', si_utime: '0', si_stime: '0' },
    siPid: { t: 'pid', value: 4393 },
  });
  t.same(signal('--- SIGHUP {si_signo=SIGHUP, si_code=SI_KERNEL} ---'), {
    kind: 'signal',
    signal: 'SIGHUP',
    info: { si_signo: 'SIGHUP', si_code: 'SI_KERNEL' },
  });
});

t.test('a sender in another PID namespace: si_pid keeps its number, siPid both', async (t) => {
  const s = signal("--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1 /* 4508 in strace's PID NS */, si_uid=0} ---");
  t.equal(s?.info.si_pid, '1');
  t.same(s?.siPid, { t: 'pid', value: 1, tracerValue: 4508 });
});

t.test('stopped by SIGSTOP', async (t) => {
  t.same(signal('--- stopped by SIGSTOP ---'), { kind: 'signal', signal: 'SIGSTOP', info: {}, stopped: true });
  t.equal(signal('--- SIGCHLD {si_signo=SIGCHLD'), undefined);
});

t.test('exits, kills, core dumps, execve in a thread', async (t) => {
  t.same(exit('+++ exited with 3 +++'), { kind: 'exit', code: 3 });
  t.same(exit('+++ killed by SIGKILL +++'), { kind: 'exit', signal: 'SIGKILL' });
  t.same(exit('+++ killed by SIGSEGV (core dumped) +++'), { kind: 'exit', signal: 'SIGSEGV', coreDumped: true });
  t.same(exit('+++ superseded by execve in pid 1234 +++'), { kind: 'exit', supersededBy: 1234 });
  t.equal(exit('+++ exited with x +++'), undefined);
  t.equal(exit('+++ something else +++'), undefined);
  t.equal(exit('+++ exited with 0'), undefined);
});

t.test("strace's own messages", async (t) => {
  t.same(parseStraceMessage('strace: Process 17659 attached'), { kind: 'strace', message: 'Process 17659 attached', action: 'attached', subject: 17659 });
  t.same(parseStraceMessage('strace: Process 17659 detached'), { kind: 'strace', message: 'Process 17659 detached', action: 'detached', subject: 17659 });
  t.same(parseStraceMessage('strace: Process 12 suspended'), { kind: 'strace', message: 'Process 12 suspended', action: 'suspended', subject: 12 });
  t.same(parseStraceMessage('strace: Exit of unknown pid 1234 ignored'), { kind: 'strace', message: 'Exit of unknown pid 1234 ignored', action: 'other' });
});
