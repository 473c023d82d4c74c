import t from 'tap';
import { parseWitness } from '../../harness/contract/witness.js';
import { correlateGroundTruth } from '../../harness/report/ground-truth.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const daemons = [
  { name: 'comsec', pid: 123, nsPid: 57, endpoints: [], aliveBefore: true, aliveAfter: false },
  { name: 'vxconfigd', pid: 124, nsPid: 58, endpoints: ['unix:@vxconfigd'], aliveBefore: true, aliveAfter: true },
];
const base = {
  bootedDiff: { added: [], modified: [], deleted: [] },
  daemons,
  bootedRoot: '/images/booted',
  sharedMounts: [{ inactivePath: '/images/inactive/var/opt/shared', bootedPath: '/images/booted/var/opt/shared' }],
};

t.test('a kill of a booted daemon is confirmed by its death and its witness line', async (t) => {
  const kill = makeFinding('illegal-kill', 'error', {
    signal: { name: 'SIGKILL', number: 9, target: { kind: 'process', nsPid: 57, pid: 123, name: 'comsec', origin: 'booted' } },
  });
  const gt = correlateGroundTruth([kill], {
    ...base,
    witness: parseWitness('{"daemon":"comsec","event":"start"}\n{"daemon":"comsec","event":"signal","signal":"SIGHUP","senderPid":80}\n'),
  });
  t.equal(gt.confirmations.length, 1);
  t.match(gt.confirmations[0]!.evidence, /comsec got SIGHUP from pid 80/);
  t.match(gt.confirmations[0]!.evidence, /comsec is no longer running/);
  t.same(gt.unexplained, []);
  t.equal(gt.witness.length, 1, 'start lines are not signal or request events');
});

t.test('evidence no finding explains is listed as unexplained', async (t) => {
  const gt = correlateGroundTruth([], {
    ...base,
    bootedDiff: { added: ['/tmp/x'], modified: [], deleted: [] },
    witness: parseWitness('{"daemon":"vxconfigd","event":"request","endpoint":"unix:@vxconfigd","data":"stop"}\n'),
  });
  t.same(gt.unexplained.map((u) => u.kind).sort(), ['booted-change', 'daemon-died', 'witness-event']);
});

t.test('a booted write is confirmed by the diff; a shared write maps through the mount', async (t) => {
  const write = makeFinding('shared-write', 'error', {
    class: 'fs-write',
    fs: { op: 'create', target: { path: '/var/opt/shared/f', real: '/images/inactive/var/opt/shared/f', tree: 'shared', resolvedBy: 'decoration' } },
  });
  const gt = correlateGroundTruth([write], {
    ...base,
    daemons: [],
    bootedDiff: { added: ['/var/opt/shared/f'], modified: [], deleted: [] },
    witness: parseWitness(''),
  });
  t.match(gt.confirmations[0]!.evidence, /\/var\/opt\/shared\/f added/);
  t.same(gt.unexplained, []);
});

t.test('a request finding explains the daemon that received it', async (t) => {
  const req = makeFinding('illegal-request', 'error', {
    class: 'socket',
    syscall: 'connect',
    socket: { op: 'connect', endpoint: { family: 'unix', path: '@vxconfigd', servedBy: 'booted', server: 'vxconfigd' } },
  });
  const gt = correlateGroundTruth([req], {
    ...base,
    daemons: [daemons[1]!],
    witness: parseWitness('{"daemon":"vxconfigd","event":"request","endpoint":"unix:@vxconfigd","data":"stop","peerPid":90}\n'),
  });
  t.equal(gt.confirmations.length, 1);
  t.same(gt.unexplained, []);
});

t.test("a daemon's priority or limits that changed: confirmed by a process-change finding, else unexplained", async (t) => {
  const sched = { nice: 0, policy: 0, rtPriority: 0, cpus: '0-1', ioPriority: 0, limits: { 'Max open files': '1024 1048576' } };
  const changed = [
    { ...daemons[1]!, schedBefore: sched, schedAfter: { ...sched, nice: 10, limits: { 'Max open files': '512 1024' } } },
    { name: 'syslogd', pid: 125, nsPid: 8, endpoints: ['unix:/dev/log'], aliveBefore: true, aliveAfter: true, schedBefore: sched, schedAfter: sched },
  ];
  const renice = makeFinding('process-change', 'error', {
    class: 'process-change',
    change: { kind: 'priority', detail: 'PRIO_PROCESS, 58, 10', target: { kind: 'process', nsPid: 58, pid: 124, name: 'vxconfigd', origin: 'booted' } },
  });
  const confirmed = correlateGroundTruth([renice], { ...base, daemons: changed, witness: parseWitness('') });
  t.same(
    confirmed.confirmations.map((c) => c.evidence),
    ['vxconfigd: nice 0 -> 10, Max open files 1024 1048576 -> 512 1024'],
  );
  t.same(confirmed.unexplained, [], 'syslogd did not change');

  const unexplained = correlateGroundTruth([], { ...base, daemons: changed, witness: parseWitness('') });
  t.same(unexplained.unexplained, [
    { kind: 'daemon-changed', detail: 'vxconfigd: nice 0 -> 10, Max open files 1024 1048576 -> 512 1024 during the phase and no finding explains it' },
  ]);
  const older = correlateGroundTruth([], { ...base, daemons: [daemons[1]!], witness: parseWitness('') });
  t.same(older.unexplained, [], 'a run recorded without the states compares nothing');
});

t.test('evidence follows the event class, not the rule id; `confirm` names another', async (t) => {
  const witness = parseWitness('{"daemon":"comsec","event":"signal","signal":"SIGTERM","senderPid":80}\n');
  const write = (rule: string, tree: 'booted' | 'inactive') =>
    makeFinding(rule, 'error', {
      class: 'fs-write',
      fs: { op: 'create', target: { path: '/etc/f', real: `/images/${tree}/etc/f`, tree, resolvedBy: 'decoration' } },
    });
  const diff = { added: ['/etc/f'], modified: [], deleted: [] };
  const kill = makeFinding('my-own-kill', 'error', {
    signal: { name: 'SIGTERM', number: 15, target: { kind: 'process', nsPid: 57, pid: 123, name: 'comsec', origin: 'booted' } },
  });
  const byClass = correlateGroundTruth([write('site-write', 'booted'), kill], { ...base, bootedDiff: diff, witness });
  t.same(
    byClass.confirmations.map((c) => [c.rule, c.evidence.split(';')[0]]),
    [
      ['site-write', 'booted tree: /etc/f added'],
      ['my-own-kill', 'witness.jsonl:1: comsec got SIGTERM from pid 80'],
    ],
    'a file change on the booted tree: the diff; a signal: the witness, whatever the rules are called',
  );
  t.same(byClass.unexplained, []);

  const inactive = correlateGroundTruth([write('site-write', 'inactive')], { ...base, daemons: [], bootedDiff: diff, witness: parseWitness('') });
  t.same(inactive.confirmations, [], 'a change on the inactive tree is not held against the booted diff');
  t.same(
    inactive.unexplained.map((u) => u.kind),
    ['booted-change'],
  );

  const none = correlateGroundTruth([kill], { ...base, witness, confirm: new Map([['my-own-kill', 'none']]) });
  t.same(none.confirmations, [], '`confirm: none`: confirmed by nothing');
  t.same(none.unexplained.map((u) => u.kind).sort(), ['daemon-died', 'witness-event'], 'and explains nothing');

  // An exec is confirmed by nothing of its own; `confirm: witness` holds it against the daemon it is named after.
  const start = makeFinding('site-restart', 'error', {
    class: 'exec',
    syscall: 'execve',
    exec: { path: '/sbin/init.d/comsec', argv: ['/sbin/init.d/comsec', 'stop'] },
  });
  t.same(correlateGroundTruth([start], { ...base, witness }).confirmations, [], 'an exec by its class: no evidence');
  const restart = correlateGroundTruth([start], { ...base, witness, confirm: new Map([['site-restart', 'witness']]) });
  t.match(restart.confirmations, [{ rule: 'site-restart', evidence: /comsec got SIGTERM.*comsec is no longer running/ }]);
  t.same(restart.unexplained, []);

  // A process exit: the sandbox's leftovers; `confirm: leftovers` on another class looks there too.
  const leftovers = [{ pid: 200, argv: ['sleep', '600'] }];
  const exit = makeFinding('still-there', 'error', { class: 'process-exit', syscall: 'exit', exit: { outlivedScript: true } });
  t.match(correlateGroundTruth([exit], { ...base, daemons: [], witness: parseWitness(''), leftovers }).confirmations, [
    { evidence: /pid 200 \(sleep 600\) still running/ },
  ]);
  t.match(
    correlateGroundTruth([start], { ...base, daemons: [], witness: parseWitness(''), leftovers, confirm: new Map([['site-restart', 'leftovers']]) })
      .confirmations,
    [{ rule: 'site-restart', evidence: /pid 200 \(sleep 600\) still running/ }],
  );
});
