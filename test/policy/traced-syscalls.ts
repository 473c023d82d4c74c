import t from 'tap';
import { CLASS_SYSCALLS, MODEL_REQUIRED_SYSCALLS, tracedSyscalls } from '../../harness/policy/traced-syscalls.js';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import { X86_64_SYSCALLS } from '../../harness/policy/x86-64-syscalls.js';
import { policyFromSource } from '../fixtures/policy/policy-files.js';

const withRules = (rules: string): ReturnType<typeof policyFromSource> => policyFromSource(`policy: {name: p, version: 1}\nrules:\n${rules}`);

t.test('every name is a real x86_64 syscall', async (t) => {
  for (const [c, names] of Object.entries(CLASS_SYSCALLS)) for (const n of names) t.ok(X86_64_SYSCALLS.has(n), `${c}: ${n}`);
  for (const n of MODEL_REQUIRED_SYSCALLS) t.ok(X86_64_SYSCALLS.has(n), `model: ${n}`);
  t.ok(MODEL_REQUIRED_SYSCALLS.includes('write'), 'xtrace markers are write(2) calls');
  t.ok(MODEL_REQUIRED_SYSCALLS.includes('execve'));
});

t.test('the built-in policy needs what its rules fire on', async (t) => {
  const names = tracedSyscalls(await loadPolicy([]));
  for (const n of ['kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal', 'connect', 'sendto', 'sendmsg', 'bind', 'listen', 'execve', 'unlink', 'renameat2', 'chroot', 'pivot_root', 'setns', 'ptrace', 'mount', 'init_module', 'exit_group']) {
    t.ok(names.includes(n), n);
  }
  t.same(names, [...names].sort(), 'sorted');
  t.equal(new Set(names).size, names.length, 'no duplicates');
  t.notOk(names.includes('read'), 'nothing no rule needs');
});

t.test('classes and syscall predicates decide the set', async (t) => {
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {class: signal, syscall: kill}}\n')), ['kill', 'pidfd_open'], 'named syscall plus its class\'s supporting call');
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {syscall: {glob: "*xattr"}}}\n')).filter((s) => !s.includes('xattr')), [], 'globs expand over the syscall table');
  t.ok(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {syscall: {glob: "*xattr"}}}\n')).includes('fsetxattr'));
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {class: exec}}\n')), ['execve', 'execveat']);
  t.same(tracedSyscalls(withRules('  - {id: a, severity: error, title: A, enabled: false, match: {class: exec}}\n')), [], 'disabled rules need nothing');
  t.same(
    tracedSyscalls(withRules('  - {id: a, severity: error, title: A, match: {any: [{class: exec}, {syscall: ptrace}]}}\n')).sort(),
    ['execve', 'execveat', 'ptrace'].sort(),
    'any: the union',
  );
});
