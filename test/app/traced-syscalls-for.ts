import t from 'tap';
import { tracedSyscallsFor } from '../../harness/app/traced-syscalls-for.js';

t.test('the built-in policy set covers signals, sockets, process tree and xtrace writes, and is sorted', async (t) => {
  const set = await tracedSyscallsFor([]);
  for (const s of ['kill', 'tgkill', 'connect', 'sendto', 'execve', 'clone', 'openat', 'unlinkat', 'write']) t.ok(set.includes(s), s);
  t.same(set, [...set].sort());
  t.equal(new Set(set).size, set.length);
});

t.test('a broken policy file fails before anything runs', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'rules: [\n' });
  await t.rejects(tracedSyscallsFor([`${dir}/bad.yaml`]), { code: 'POLICY_INVALID' });
});
