/**
 * What strace must trace: `--seccomp-bpf -e trace=SET` only stops the
 * tracee on the listed calls, so an untraced call is invisible. The sandbox
 * traces `MODEL_REQUIRED_SYSCALLS` (what the process/path model needs to
 * stay exact) united with `tracedSyscalls(policy)` (what the rules need).
 */
import type { EventClass } from '../model/model-event.js';
import { EVENT_CLASS_LIST } from '../model/event-classes/event-classes.js';
import { PROBE_SYSCALLS } from '../model/probe-events.js';
import { classesOf, syscallsOf } from './match-analysis.js';
import type { MatchNode, Policy } from './policy.js';
import { X86_64_SYSCALLS } from './x86-64-syscalls.js';

/**
 * The syscalls the model turns into events of each class (and the ones it
 * needs to read them), from each class's descriptor
 * (harness/model/event-classes/); only real x86_64 names.
 */
export const CLASS_SYSCALLS: Readonly<Record<EventClass, readonly string[]>> = classSyscalls();

function classSyscalls(): Record<EventClass, readonly string[]> {
  const out: Partial<Record<EventClass, readonly string[]>> = {};
  for (const d of EVENT_CLASS_LIST) out[d.name] = d.traced.filter((s) => X86_64_SYSCALLS.has(s));
  return out as Record<EventClass, readonly string[]>;
}

/**
 * Traced whatever the policy says, because without them the model cannot
 * attribute or resolve events.
 */
export const MODEL_REQUIRED_SYSCALLS: readonly string[] = [
  // Process tree: who started whom (ancestry, origin); strace prints every exit itself.
  'fork',
  'vfork',
  'clone',
  'clone3',
  // argv and program path of every process.
  'execve',
  'execveat',
  // Root and working directory, to resolve relative paths to real ones.
  'chroot',
  'chdir',
  'fchdir',
  // What changes the path of a directory: the sandbox's strace prints the cwd
  // of AT_FDCWD from a cache it keeps until one of these (or a chdir, fchdir,
  // chroot) has run (images/strace/build-strace.sh); an untraced one would
  // leave the old path printed.
  'rename',
  'renameat',
  'renameat2',
  'rmdir',
  'unlinkat',
  'mount',
  'umount2',
  'move_mount',
  'pivot_root',
  'setns',
  'unshare',
  // Opens: the real path of every file the script touches (and the cwd that
  // AT_FDCWD's decoration shows). Calls that only copy or make fds (dup*,
  // fcntl, pipe*, socket, accept*, pidfd_open) are not traced: each later
  // call's fd carries strace's decoration of what it is (a path, a socket and
  // its endpoints, a pidfd's pid), so the model keeps no fd table to feed.
  'open',
  'openat',
  'openat2',
  'creat',
  // Process groups: whether kill(-pgid) reaches a process outside runcmd.
  'setpgid',
  'setsid',
  // What strace cannot see: work submitted through an io_uring (a gap).
  'io_uring_setup',
  // The shell's xtrace lines (`+drdsafe[FILE:LINE] ...`) are write(2) calls;
  // they tie every later event to its script line.
  'write',
];

/**
 * Traced when the run explores branches (`drdsafe run --explore N`): the
 * calls that only ask about a path (`[ -f /var/run/x.pid ]` is a stat in
 * ksh93, `[ -r F ]` an access), whose failures are the probes a later run
 * makes true (model/probe-events.ts). No rule reads them, so a run without
 * them lacks nothing a verdict needs.
 */
export const PROBE_TRACED_SYSCALLS: readonly string[] = [...PROBE_SYSCALLS.keys()];

type Needs = (node: MatchNode) => Iterable<string>;

/**
 * What one match needs: a branch of an `any` needs only its own calls; a
 * match that names its syscalls needs those; one that does not needs every
 * call of the classes it can match.
 */
function needsOf(policy: Policy): Needs {
  const needs: Needs = (node) => {
    if (node.kind === 'any') return new Set(node.of.flatMap((c) => [...needs(c)]));
    if (node.kind === 'macro') {
      const macro = policy.macros.get(node.name);
      if (macro !== undefined) return needs(macro.match);
    }
    const classes = classesOf(node, policy.macros, policy.lists);
    const syscalls = syscallsOf(node, policy.macros, policy.lists);
    if (syscalls === undefined) return [...classes].flatMap((c) => CLASS_SYSCALLS[c]);
    return syscalls;
  };
  return needs;
}

/** The syscalls the enabled rules of `policy` can fire on, sorted; only real x86_64 names. */
export function tracedSyscalls(policy: Policy): string[] {
  const needs = needsOf(policy);
  const out = new Set<string>();
  for (const rule of policy.rules) if (rule.enabled) for (const s of needs(rule.match)) out.add(s);
  return [...out].filter((s) => X86_64_SYSCALLS.has(s)).sort();
}
