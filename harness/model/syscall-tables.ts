/**
 * Which syscalls the model reads, and where their path and fd arguments are.
 */
import type { FsOp, ProcessChangeKind } from './model-event.js';

/** Argument positions of a path-taking call. */
export interface PathSpec {
  /** The fs-write operation, or `open` (write or read decided by flags). */
  readonly op: FsOp | 'open';
  /** Index of the path argument. */
  readonly path?: number;
  /** Index of the dirfd the path is relative to. */
  readonly dirfd?: number;
  /** Index of an fd argument naming the file itself (`ftruncate`, `fchmod`). */
  readonly fd?: number;
  /** Second path (rename/link) and its dirfd. */
  readonly second?: number;
  readonly secondDirfd?: number;
  /** Index of the symlink target text (`symlink`, `symlinkat`). */
  readonly target?: number;
  /** Index of open flags (for `openat2`: the `open_how` struct). */
  readonly flags?: number;
  /** Index of `*at` flags whose `AT_REMOVEDIR` turns an unlink into an rmdir. */
  readonly atFlags?: number;
}

export const PATH_SYSCALLS: ReadonlyMap<string, PathSpec> = new Map<string, PathSpec>([
  ['open', { op: 'open', path: 0, flags: 1 }],
  ['openat', { op: 'open', dirfd: 0, path: 1, flags: 2 }],
  ['openat2', { op: 'open', dirfd: 0, path: 1, flags: 2 }],
  ['creat', { op: 'create', path: 0 }],
  ['truncate', { op: 'truncate', path: 0 }],
  ['truncate64', { op: 'truncate', path: 0 }],
  ['ftruncate', { op: 'truncate', fd: 0 }],
  ['ftruncate64', { op: 'truncate', fd: 0 }],
  ['unlink', { op: 'unlink', path: 0 }],
  ['unlinkat', { op: 'unlink', dirfd: 0, path: 1, atFlags: 2 }],
  ['rename', { op: 'rename', path: 0, second: 1 }],
  ['renameat', { op: 'rename', dirfd: 0, path: 1, secondDirfd: 2, second: 3 }],
  ['renameat2', { op: 'rename', dirfd: 0, path: 1, secondDirfd: 2, second: 3 }],
  ['mkdir', { op: 'mkdir', path: 0 }],
  ['mkdirat', { op: 'mkdir', dirfd: 0, path: 1 }],
  ['rmdir', { op: 'rmdir', path: 0 }],
  ['link', { op: 'link', path: 0, second: 1 }],
  ['linkat', { op: 'link', dirfd: 0, path: 1, secondDirfd: 2, second: 3 }],
  ['symlink', { op: 'symlink', target: 0, path: 1 }],
  ['symlinkat', { op: 'symlink', target: 0, dirfd: 1, path: 2 }],
  ['chmod', { op: 'chmod', path: 0 }],
  ['fchmod', { op: 'chmod', fd: 0 }],
  ['fchmodat', { op: 'chmod', dirfd: 0, path: 1 }],
  ['fchmodat2', { op: 'chmod', dirfd: 0, path: 1 }],
  ['chown', { op: 'chown', path: 0 }],
  ['lchown', { op: 'chown', path: 0 }],
  ['fchown', { op: 'chown', fd: 0 }],
  ['fchownat', { op: 'chown', dirfd: 0, path: 1 }],
  ['utime', { op: 'utimes', path: 0 }],
  ['utimes', { op: 'utimes', path: 0 }],
  ['utimensat', { op: 'utimes', dirfd: 0, path: 1 }],
  ['futimesat', { op: 'utimes', dirfd: 0, path: 1 }],
  ['mknod', { op: 'mknod', path: 0 }],
  ['mknodat', { op: 'mknod', dirfd: 0, path: 1 }],
  ['setxattr', { op: 'setxattr', path: 0 }],
  ['lsetxattr', { op: 'setxattr', path: 0 }],
  ['fsetxattr', { op: 'setxattr', fd: 0 }],
  ['removexattr', { op: 'removexattr', path: 0 }],
  ['lremovexattr', { op: 'removexattr', path: 0 }],
  ['fremovexattr', { op: 'removexattr', fd: 0 }],
]);

/** The opens: each makes a file read or write, and may be a jail escape (/proc/<pid>/root) or a kernel change (/proc/sys). */
export const OPEN_SYSCALLS: readonly string[] = [...PATH_SYSCALLS].filter(([, spec]) => spec.op === 'open' || spec.op === 'create').map(([name]) => name);

/** Calls that act on the running kernel, by the subject kind they are reported with. */
export const KERNEL_SYSCALLS: ReadonlyMap<string, string> = new Map([
  ['init_module', 'module'],
  ['finit_module', 'module'],
  ['delete_module', 'module'],
  ['mount', 'mount'],
  ['umount', 'mount'],
  ['umount2', 'mount'],
  ['fsopen', 'mount'],
  ['fsmount', 'mount'],
  ['move_mount', 'mount'],
  ['mount_setattr', 'mount'],
  ['fsconfig', 'mount'],
  ['open_tree', 'mount'],
  ['swapon', 'swap'],
  ['swapoff', 'swap'],
  ['reboot', 'reboot'],
  ['kexec_load', 'kexec'],
  ['kexec_file_load', 'kexec'],
  ['settimeofday', 'clock'],
  ['clock_settime', 'clock'],
  ['adjtimex', 'clock'],
  ['clock_adjtime', 'clock'],
  ['stime', 'clock'],
  ['sethostname', 'hostname'],
  ['setdomainname', 'hostname'],
  ['acct', 'accounting'],
  ['_sysctl', 'sysctl'],
]);

/** Signal-sending calls: the index of the pid argument and of the signal argument. */
export const SIGNAL_SYSCALLS: ReadonlyMap<string, { readonly pid: number; readonly signal: number }> = new Map([
  ['kill', { pid: 0, signal: 1 }],
  ['tkill', { pid: 0, signal: 1 }],
  ['tgkill', { pid: 0, signal: 2 }],
  ['rt_sigqueueinfo', { pid: 0, signal: 1 }],
  ['rt_tgsigqueueinfo', { pid: 0, signal: 2 }],
  ['pidfd_send_signal', { pid: 0, signal: 1 }],
]);

/**
 * Calls that change a running process other than by a signal: where its
 * scope (`which`) and its pid (`who`) are, and what they change. Without a
 * `which`, the call names one process and 0 is the caller. `limit`: the index
 * of prlimit64's new limit, NULL when the call only reads.
 */
export interface ProcessChangeSpec {
  readonly kind: ProcessChangeKind;
  readonly which?: number;
  readonly who: number;
  readonly limit?: number;
}

export const PROCESS_CHANGE_SYSCALLS: ReadonlyMap<string, ProcessChangeSpec> = new Map<string, ProcessChangeSpec>([
  ['setpriority', { kind: 'priority', which: 0, who: 1 }],
  ['sched_setscheduler', { kind: 'scheduler', who: 0 }],
  ['sched_setparam', { kind: 'scheduler', who: 0 }],
  ['sched_setattr', { kind: 'scheduler', who: 0 }],
  ['sched_setaffinity', { kind: 'affinity', who: 0 }],
  ['ioprio_set', { kind: 'io-priority', which: 0, who: 1 }],
  ['prlimit64', { kind: 'limits', who: 0, limit: 2 }],
]);

export const CLONE_SYSCALLS: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);
export const EXEC_SYSCALLS: ReadonlySet<string> = new Set(['execve', 'execveat']);
export const SOCKET_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'sendto', 'sendmsg', 'sendmmsg', 'bind', 'listen']);
