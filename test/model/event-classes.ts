/**
 * One descriptor per event class (harness/model/event-classes/) makes the
 * traced set, the policy's fields and their classes, the target text and the
 * model's wiring. These tests hold that: what is derived equals the
 * hand-written lists it replaced (kept here as data), and what a new class
 * brings (its calls, its fields) reaches the tracer, the model and the policy
 * compiler with nothing else to edit.
 */
import t from 'tap';
import { EVENT_CLASS_DESCRIPTORS, EVENT_CLASS_LIST } from '../../harness/model/event-classes/event-classes.js';
import { ProcessModel } from '../../harness/model/process-model.js';
import type { RunMetadata } from '../../harness/contract/run-metadata.js';
import { EVENT_CLASSES, EVENT_FIELDS, FIELDS_BY_NAME } from '../../harness/policy/event-fields.js';
import { CLASS_SYSCALLS, tracedSyscalls } from '../../harness/policy/traced-syscalls.js';
import { X86_64_SYSCALLS } from '../../harness/policy/x86-64-syscalls.js';
import { describeTarget } from '../../harness/policy/describe-target.js';
import { policyFromSource } from '../fixtures/policy/policy-files.js';
import { execEvent, exitEvent, fsEvent, pathTarget, processTarget, signalEvent, socketEvent, endpoint, subjectEvent } from '../fixtures/policy/model-events.js';

// The lists as they were written by hand before the descriptors (harness/policy/traced-syscalls.ts, event-fields.ts).
const OPENS = ['open', 'openat', 'openat2', 'creat'];
const OLD_CLASS_SYSCALLS: Record<string, string[]> = {
  signal: ['kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal'],
  socket: ['connect', 'sendto', 'sendmsg', 'sendmmsg'],
  serve: ['bind', 'listen'],
  'fs-write': [
    ...OPENS,
    'truncate',
    'ftruncate',
    'unlink',
    'unlinkat',
    'rename',
    'renameat',
    'renameat2',
    'mkdir',
    'mkdirat',
    'rmdir',
    'link',
    'linkat',
    'symlink',
    'symlinkat',
    'chmod',
    'fchmod',
    'fchmodat',
    'chown',
    'fchown',
    'lchown',
    'fchownat',
    'utime',
    'utimes',
    'futimesat',
    'utimensat',
    'mknod',
    'mknodat',
    'setxattr',
    'lsetxattr',
    'fsetxattr',
    'removexattr',
    'lremovexattr',
    'fremovexattr',
  ],
  'fs-read': [...OPENS],
  exec: ['execve', 'execveat'],
  'process-start': ['fork', 'vfork', 'clone', 'clone3'],
  'process-exit': [],
  jail: ['chroot', 'chdir', 'fchdir', ...OPENS, 'pivot_root', 'setns', 'unshare', 'ptrace', 'process_vm_writev', 'pidfd_getfd', 'open_by_handle_at'],
  'process-change': ['setpriority', 'sched_setscheduler', 'sched_setparam', 'sched_setattr', 'sched_setaffinity', 'ioprio_set', 'prlimit64'],
  ipc: [
    'msgget',
    'msgsnd',
    'msgrcv',
    'msgctl',
    'semget',
    'semop',
    'semtimedop',
    'semctl',
    'shmget',
    'shmat',
    'shmctl',
    'mq_open',
    'mq_unlink',
    'mq_timedsend',
    'mq_timedreceive',
    'mq_notify',
    'mq_getsetattr',
  ],
  kernel: [
    ...OPENS,
    'mount',
    'umount2',
    'mount_setattr',
    'move_mount',
    'fsopen',
    'fsmount',
    'fsconfig',
    'open_tree',
    'init_module',
    'finit_module',
    'delete_module',
    'swapon',
    'swapoff',
    'reboot',
    'kexec_load',
    'kexec_file_load',
    'settimeofday',
    'clock_settime',
    'clock_adjtime',
    'adjtimex',
    'sethostname',
    'setdomainname',
    'acct',
    '_sysctl',
  ],
  coverage: [],
};
const TARGET = ['signal', 'process-change', 'jail', 'kernel'];
const SIGNAL_LIKE = ['signal', 'process-change'];
const OLD_FIELD_CLASSES: Record<string, string[]> = {
  'signal.name': ['signal'],
  'signal.number': ['signal'],
  'target.kind': TARGET,
  'target.origin': TARGET,
  'target.pid': TARGET,
  'target.nsPid': TARGET,
  'target.name': TARGET,
  'target.pgid': SIGNAL_LIKE,
  'target.containsOutside': SIGNAL_LIKE,
  ...Object.fromEntries(
    ['op', 'family', 'type', 'path', 'realPath', 'tree', 'address', 'port', 'servedBy', 'server', 'endpoint'].map((f) => [`socket.${f}`, ['socket', 'serve']]),
  ),
  ...Object.fromEntries(
    ['fs.op', 'path.path', 'path.real', 'path.jail', 'path.tree', 'path.second.path', 'path.second.real', 'path.second.tree'].map((f) => [
      f,
      ['fs-write', 'fs-read'],
    ]),
  ),
  ...Object.fromEntries(['path', 'realPath', 'name', 'payload', 'standin', 'argv', 'argv0', 'args', 'cmdline'].map((f) => [`exec.${f}`, ['exec']])),
  'exit.code': ['process-exit'],
  'exit.signal': ['process-exit'],
  'exit.outlivedScript': ['process-exit'],
  'change.kind': ['process-change'],
  'change.detail': ['process-change'],
  ...Object.fromEntries(['kind', 'op', 'owner', 'id', 'key', 'name', 'server'].map((f) => [`ipc.${f}`, ['ipc']])),
  ...Object.fromEntries(['kind', 'detail', 'tree'].map((f) => [`subject.${f}`, ['jail', 'kernel']])),
  ...Object.fromEntries(['number', 'text', 'ran', 'untraced', 'risky', 'risk', 'command', 'why'].map((f) => [`line.${f}`, ['coverage']])),
};
const COMMON = [
  'class',
  'syscall',
  'ok',
  'errno',
  'phase',
  'process.origin',
  'process.pid',
  'process.exe',
  'process.name',
  'process.argv',
  'process.argv0',
  'process.args',
  'process.cmdline',
  'process.ancestors',
  'process.root',
  'process.cwd',
  'location.file',
  'location.line',
  'location.source',
];

const meta: RunMetadata = { schemaVersion: 1, trees: { booted: '/b', inactive: '/i', shared: [], sandbox: [] }, daemons: [] };

t.test('every class has one descriptor, under its own name, in the order classes are listed', async (t) => {
  t.same(
    Object.entries(EVENT_CLASS_DESCRIPTORS).map(([k, d]) => [k, d.name]),
    EVENT_CLASS_LIST.map((d) => [d.name, d.name]),
  );
  t.same(EVENT_CLASSES, [
    'signal',
    'socket',
    'serve',
    'fs-write',
    'fs-read',
    'exec',
    'process-start',
    'process-exit',
    'jail',
    'kernel',
    'process-change',
    'ipc',
    'coverage',
  ]);
});

t.test('the traced set made from the descriptors is the hand-written one', async (t) => {
  t.same(Object.keys(CLASS_SYSCALLS).sort(), Object.keys(OLD_CLASS_SYSCALLS).sort());
  for (const [c, names] of Object.entries(OLD_CLASS_SYSCALLS))
    t.same([...(CLASS_SYSCALLS as Record<string, readonly string[]>)[c]!].sort(), [...names].sort(), `${c}: the same calls`);
});

t.test("the policy's fields and the classes that carry them are the hand-written ones", async (t) => {
  t.same(
    EVENT_FIELDS.filter((f) => f.classes === undefined).map((f) => f.name),
    COMMON,
    'fields every event has',
  );
  const byClass = Object.fromEntries(EVENT_FIELDS.filter((f) => f.classes !== undefined).map((f) => [f.name, [...(f.classes ?? [])].sort()]));
  t.same(byClass, Object.fromEntries(Object.entries(OLD_FIELD_CLASSES).map(([n, c]) => [n, [...c].sort()])));
  t.equal(EVENT_FIELDS.length, FIELDS_BY_NAME.size, 'each name once');
});

t.test("each class's calls are traced and read by the model, each by one class; its fields reach the policy compiler", async (t) => {
  const reads = new ProcessModel(meta, { event: () => {}, gap: () => {} }).syscalls;
  const readBy = new Map<string, string>();
  for (const d of EVENT_CLASS_LIST) {
    for (const name of d.reads.keys()) {
      t.notOk(readBy.has(name), `${name} is read by ${d.name} only`);
      readBy.set(name, d.name);
      t.ok(reads.has(name), `the model reads ${name} (${d.name})`);
      if (X86_64_SYSCALLS.has(name)) t.ok(d.traced.includes(name), `${d.name} traces ${name}, which it reads`);
    }
    for (const name of d.traced.filter((n) => X86_64_SYSCALLS.has(n)))
      t.ok(readBy.has(name) || EVENT_CLASS_LIST.some((o) => o.reads.has(name)), `${d.name}: someone reads ${name}`);
    // A rule on just this class needs its calls traced, and may test each of its fields.
    const rule = policyFromSource(`policy: {name: p, version: 1}\nrules:\n  - {id: a, severity: error, title: A, match: {class: ${d.name}}}\n`);
    t.same(tracedSyscalls(rule), [...new Set(CLASS_SYSCALLS[d.name])].sort(), `${d.name}: a rule on it traces its calls`);
    for (const f of d.fields) {
      t.same(FIELDS_BY_NAME.get(f.name)?.classes?.includes(d.name), true, `${d.name}: the policy knows ${f.name} on it`);
      const test = policyFromSource(
        `policy: {name: p, version: 1}\nrules:\n  - {id: a, severity: error, title: A, match: {class: ${d.name}, ${JSON.stringify(f.name)}: {exists: true}}}\n`,
      );
      t.equal(test.rules.length, 1, `${d.name}: a rule may test ${f.name}`);
    }
  }
});

t.test("target text is each class's own", async (t) => {
  t.equal(describeTarget(signalEvent(9, processTarget('booted'))), 'comsec (pid 57, booted daemon)');
  t.equal(
    describeTarget(socketEvent('connect', endpoint({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 2121, path: undefined, server: 'ftpd' }))),
    'tcp:127.0.0.1:2121 served by ftpd',
  );
  t.equal(
    describeTarget(fsEvent('fs-write', 'rename', pathTarget('inactive', '/a', { tree: 'booted', path: '/b' }))),
    '/images/inactive/a (inactive) -> /images/booted/b (booted)',
  );
  t.equal(describeTarget(execEvent('/sbin/init.d/comsec', ['comsec', 'stop'])), '/sbin/init.d/comsec stop');
  t.match(describeTarget(exitEvent(true)), /^\S+ \(pid \d+, runcmd process\)$/);
  t.equal(
    describeTarget(subjectEvent('jail', 'ptrace', { kind: 'ptrace', detail: 'PTRACE_ATTACH', target: processTarget('booted') })),
    'ptrace PTRACE_ATTACH of comsec (pid 57, booted daemon)',
  );
  for (const d of EVENT_CLASS_LIST) t.equal(typeof d.target, 'function', `${d.name} says what its events acted on`);
});
