import t from 'tap';
import { CLASS_SYSCALLS, MODEL_REQUIRED_SYSCALLS, PROBE_TRACED_SYSCALLS, tracedSyscalls } from '../../harness/policy/traced-syscalls.js';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import { X86_64_SYSCALLS } from '../../harness/policy/x86-64-syscalls.js';
import { policyFromSource } from '../fixtures/policy/policy-files.js';
import { ProcessModel } from '../../harness/model/process-model.js';
import type { RunMetadata } from '../../harness/contract/run-metadata.js';

const withRules = (rules: string): ReturnType<typeof policyFromSource> => policyFromSource(`policy: {name: p, version: 1}\nrules:\n${rules}`);

t.test('every name is a real x86_64 syscall', async (t) => {
  for (const [c, names] of Object.entries(CLASS_SYSCALLS)) for (const n of names) t.ok(X86_64_SYSCALLS.has(n), `${c}: ${n}`);
  for (const n of MODEL_REQUIRED_SYSCALLS) t.ok(X86_64_SYSCALLS.has(n), `model: ${n}`);
  t.ok(MODEL_REQUIRED_SYSCALLS.includes('write'), 'xtrace markers are write(2) calls');
  t.ok(MODEL_REQUIRED_SYSCALLS.includes('execve'));
});

t.test('the built-in policy needs what its rules fire on', async (t) => {
  const names = tracedSyscalls(await loadPolicy([]));
  for (const n of [
    'kill',
    'tkill',
    'tgkill',
    'rt_sigqueueinfo',
    'rt_tgsigqueueinfo',
    'pidfd_send_signal',
    'connect',
    'sendto',
    'sendmsg',
    'sendmmsg',
    'bind',
    'listen',
    'execve',
    'unlink',
    'renameat2',
    'chroot',
    'pivot_root',
    'setns',
    'ptrace',
    'process_vm_writev',
    'open_by_handle_at',
    'mount',
    'init_module',
  ]) {
    t.ok(names.includes(n), n);
  }
  t.same(names, [...names].sort(), 'sorted');
  t.equal(new Set(names).size, names.length, 'no duplicates');
  t.notOk(names.includes('read'), 'nothing no rule needs');
});

t.test('classes and syscall predicates decide the set', async (t) => {
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {class: signal, syscall: kill}}\n')), ['kill'], 'the named syscall');
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {class: process-exit}}\n')), [], 'exits need no syscall: strace prints them');
  t.same(
    tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {syscall: {glob: "*xattr"}}}\n')).filter((s) => !s.includes('xattr')),
    [],
    'globs expand over the syscall table',
  );
  t.ok(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {syscall: {glob: "*xattr"}}}\n')).includes('fsetxattr'));
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {class: exec}}\n')), ['execve', 'execveat']);
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, enabled: false, match: {class: exec}}\n')), [], 'disabled rules need nothing');
  t.same(
    tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {any: [{class: exec}, {syscall: ptrace}]}}\n')).sort(),
    ['execve', 'execveat', 'ptrace'].sort(),
    'any: the union',
  );
});

t.test('what is traced and what the model reads are the same calls', async (t) => {
  const meta: RunMetadata = { schemaVersion: 1, trees: { booted: '/b', inactive: '/i', shared: [], sandbox: [] }, daemons: [] };
  const reads = new ProcessModel(meta, { event: () => {}, gap: () => {} }).syscalls;
  // A call a class lists but the model has no handler for would be traced and never judged.
  for (const [c, names] of Object.entries(CLASS_SYSCALLS)) for (const n of names) t.ok(reads.has(n), `${c}: the model reads ${n}`);
  for (const n of MODEL_REQUIRED_SYSCALLS) t.ok(reads.has(n), `the model reads ${n}, which it requires traced`);
  // And what the model reads is traced, but for pid queries it only uses when a full trace has them,
  // names strace gives the same calls on other architectures or newer kernels, and `???`
  // (strace's name for a call it could not read, which is never a syscall to trace).
  // The probe calls are traced when exploring (PROBE_TRACED_SYSCALLS).
  const traced = new Set([...Object.values(CLASS_SYSCALLS).flat(), ...MODEL_REQUIRED_SYSCALLS, ...PROBE_TRACED_SYSCALLS]);
  const untraced = [...reads].filter((n) => !traced.has(n)).sort();
  t.same(
    untraced,
    ['???', 'fchmodat2', 'ftruncate64', 'getpid', 'getppid', 'gettid', 'setpgrp', 'stime', 'truncate64', 'umount'],
    'the rest is read when a trace has it',
  );
  for (const n of untraced.filter((n) => !n.startsWith('get') && n !== 'setpgrp'))
    t.notOk(X86_64_SYSCALLS.has(n), `${n} is no x86_64 syscall strace 6.1 can trace`);
});

t.test('the probe calls are real x86_64 syscalls the model reads, traced only when exploring', async (t) => {
  const meta: RunMetadata = { schemaVersion: 1, trees: { booted: '/b', inactive: '/i', shared: [], sandbox: [] }, daemons: [] };
  const reads = new ProcessModel(meta, { event: () => {}, gap: () => {} }).syscalls;
  for (const n of PROBE_TRACED_SYSCALLS) {
    t.ok(X86_64_SYSCALLS.has(n), `${n} is an x86_64 syscall`);
    t.ok(reads.has(n), `the model reads ${n}`);
    t.notOk(MODEL_REQUIRED_SYSCALLS.includes(n), `${n} is not required: a run without it lacks nothing a verdict needs`);
  }
  t.ok(PROBE_TRACED_SYSCALLS.includes('newfstatat'), "ksh93's `[ -f F ]` is a newfstatat");
  t.ok(PROBE_TRACED_SYSCALLS.includes('access'), 'and `[ -r F ]` an access');
});
