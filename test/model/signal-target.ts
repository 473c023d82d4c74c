import t from 'tap';
import type { ProcessOrigin } from '../../harness/model/model-event.js';
import { ProcessState } from '../../harness/model/process-state.js';
import { ProcessTable } from '../../harness/model/process-table.js';
import type { BootedDaemon } from '../../harness/contract/run-metadata.js';
import { TargetResolver } from '../../harness/model/signal-target.js';

const daemons: BootedDaemon[] = [{ name: 'comsec', pid: 123, nsPid: 57, endpoints: ['tcp:127.0.0.1:5000'] }];

function setup(): {
  table: ProcessTable;
  resolver: TargetResolver;
  add: (pid: number, nsPid: number | undefined, origin: ProcessOrigin, argv?: string[]) => ProcessState;
} {
  const table = new ProcessTable();
  const resolver = new TargetResolver(table, daemons);
  const add = (pid: number, nsPid: number | undefined, origin: ProcessOrigin, argv: string[] = ['/sbin/sh']) => {
    const group = { leader: pid, runcmdOnly: false };
    const p = new ProcessState({ pid, origin, fs: { root: '/images/inactive', cwd: '/' }, group, session: group, inPidNs: nsPid !== undefined });
    p.nsPid = nsPid;
    p.argv = argv;
    table.add(p);
    return p;
  };
  return { table, resolver, add };
}

t.test('pids strace translated', async (t) => {
  const { resolver, add } = setup();
  const script = add(1000, 5, 'runcmd');
  add(1001, 6, 'runcmd', ['/usr/bin/sleep', '5']);
  t.same(resolver.process(script, { value: 6, tracerValue: 1001 }), { kind: 'process', pid: 1001, nsPid: 6, name: 'sleep', origin: 'runcmd' });
  t.same(resolver.process(script, { value: 57, tracerValue: 123 }), { kind: 'process', pid: 123, nsPid: 57, name: 'comsec', origin: 'booted' });
  t.same(
    resolver.process(script, { value: 80, tracerValue: 4000 }),
    { kind: 'process', pid: 4000, nsPid: 80, origin: 'outside' },
    'exists, but neither traced nor listed',
  );
  t.same(resolver.process(script, { value: 1, tracerValue: 77 }), { kind: 'process', pid: 77, nsPid: 1, origin: 'booted' }, "the namespace's init");
});

t.test('pids without translation', async (t) => {
  const { resolver, add } = setup();
  const jailed = add(1000, 5, 'runcmd');
  t.same(
    resolver.process(jailed, { value: 57 }),
    { kind: 'process', pid: 123, nsPid: 57, name: 'comsec', origin: 'booted' },
    'by the pid file value, in the jail namespace',
  );
  t.same(resolver.process(jailed, { value: 1 }), { kind: 'process', nsPid: 1, name: 'init', origin: 'booted' });
  t.same(resolver.process(jailed, { value: 99 }), { kind: 'process', nsPid: 99, origin: 'unknown' });
  const host = add(2000, undefined, 'sandbox');
  t.same(
    resolver.process(host, { value: 123 }),
    { kind: 'process', pid: 123, nsPid: 123, name: 'comsec', origin: 'booted' },
    'outside any namespace, by the strace pid',
  );
  t.same(resolver.process(host, { value: 1000 }), { kind: 'process', pid: 1000, nsPid: 1000, name: 'sh', origin: 'runcmd' });
  t.same(resolver.process(host, { value: 1 }), { kind: 'process', nsPid: 1, origin: 'unknown' }, 'pid 1 of the host is no booted init');
});

t.test('groups and everyone', async (t) => {
  const { resolver, add } = setup();
  const script = add(1000, 5, 'runcmd');
  t.same(resolver.signal(script, { value: -1 }), { kind: 'all' });
  t.same(resolver.signal(script, { value: 0 }), { kind: 'group', pgid: 0, containsOutside: true }, "the launcher's group");
  const leader = add(1002, 7, 'runcmd');
  leader.session = { leader: 1002, runcmdOnly: true };
  leader.group = { leader: 1002, runcmdOnly: true };
  const member = add(1003, 8, 'runcmd');
  member.group = leader.group;
  t.same(resolver.signal(member, { value: 0 }), { kind: 'group', pgid: 0, containsOutside: false });
  t.same(resolver.signal(script, { value: -7, tracerValue: 1002 }), { kind: 'group', pgid: 7, containsOutside: false }, 'a group made by a runcmd setsid');
  t.same(resolver.signal(script, { value: -57, tracerValue: 123 }), { kind: 'group', pgid: 57, containsOutside: true });
  t.same(resolver.signal(script, { value: -5 }), { kind: 'group', pgid: 5, containsOutside: true }, "the script's own pgid was never proven closed");
});

t.test('a traced process that exited keeps its pid until another takes it', async (t) => {
  const { table, resolver, add } = setup();
  const script = add(1000, 5, 'runcmd');
  const child = add(1001, 6, 'runcmd', ['/usr/bin/sleep', '30']);
  // ksh93: kill(6, SIGTERM), the child's +++ killed by SIGTERM +++, then kill(6, SIGCONT) to the zombie.
  table.remove(child, true);
  const reached = { kind: 'process', pid: 1001, nsPid: 6, name: 'sleep', origin: 'runcmd' };
  t.same(resolver.signal(script, { value: 6 }), reached, 'by the namespace pid');
  t.same(resolver.signal(script, { value: 6, tracerValue: 1001 }), reached, 'by the pid strace translated');
  const thread = add(1003, 8, 'runcmd');
  table.remove(thread);
  t.same(resolver.signal(script, { value: 8 }), { kind: 'process', nsPid: 8, origin: 'unknown' }, 'a thread an exec replaced is not remembered');
  add(1002, 6, 'outside', ['/usr/sbin/cron']);
  table.remove(table.get(1002) as ProcessState);
  t.same(resolver.signal(script, { value: 6 }), { kind: 'process', nsPid: 6, origin: 'unknown' }, 'the pid was taken again: the old exit is forgotten');
  table.remove(add(1004, 9, 'runcmd'), true);
  const late = add(1005, undefined, 'outside');
  table.setNsPid(late, 9);
  table.remove(late);
  t.same(resolver.signal(script, { value: 9 }), { kind: 'process', nsPid: 9, origin: 'unknown' }, "also when the newcomer's namespace pid is learnt later");
  for (let pid = 2000; pid < 2000 + 1025; pid++) table.remove(add(pid, pid, 'runcmd'), true);
  t.same(
    resolver.signal(script, { value: 2000 }),
    { kind: 'process', nsPid: 2000, origin: 'unknown' },
    'past 1024 exits the oldest is forgotten (fail closed)',
  );
  t.match(resolver.signal(script, { value: 3024 }), { kind: 'process', pid: 3024, origin: 'runcmd' });
});
