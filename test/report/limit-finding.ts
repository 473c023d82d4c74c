import t from 'tap';
import path from 'node:path';
import { limitFinding } from '../../harness/report/limit-finding.js';
import { runtimeValue } from '../fixtures/runtime/call-runtime.js';

t.test('names the limit, quotes the last trace line, points at the script process', async (t) => {
  const dir = t.testdir({ 'trace.txt': '50 1.0 execve("/sbin/sh", ["/sbin/sh"], 0x0 /* 1 var */) = 0\n50 2.0 +++ killed by SIGKILL +++\n' });
  const f = await limitFinding('timeout', path.join(dir, 'trace.txt'), 2, { pid: 50, argv: ['/sbin/sh', '-x', '/x/postinstall'], phase: 'postinstall' });
  t.equal(f.rule, 'run-limit');
  t.equal(f.severity, 'warning');
  t.match(f.message, /timeout limit/);
  t.equal(f.target, 'limit timeout');
  t.same(f.event, { seq: -1, syscall: 'exit', line: 2, raw: '50 2.0 +++ killed by SIGKILL +++', ok: true });
  t.equal(f.process.pid, 50);
  t.equal(f.phase, 'postinstall');
});

t.test('an unknown limit and a missing trace still give a finding', async (t) => {
  const f = await limitFinding('gremlins', path.join(t.testdir({}), 'none.txt'), 0, { argv: [] });
  t.match(f.message, /gremlins limit: a sandbox limit was reached/);
  t.equal(f.event.raw, '');
});

t.test('every limit run-phase can record has its own explanation', async (t) => {
  // The container side's list of every limit result.json's limitHit can hold (images/runtime/runphase/watchdog.py).
  const names = (await runtimeValue('watchdog', 'LIMITS')) as string[];
  t.ok(names.length >= 7, names.join(' '));
  const dir = t.testdir({});
  for (const name of names) {
    const f = await limitFinding(name, path.join(dir, 'none.txt'), 0, { argv: [] });
    t.notMatch(f.message, /a sandbox limit was reached/, `${name} is explained`);
  }
});
