/**
 * `jail`: leaving, or trying to leave, the chroot: chroot, fchdir/openat/chdir
 * leading outside the jail, pivot_root, setns, unshare, ptrace,
 * process_vm_writev, pidfd_getfd, open_by_handle_at, /proc/<pid>/root|cwd|fd
 * traversal (the opens are read by `fs-write`).
 */
import { onFdSteal, onMemoryWrite, onNamespace, onOpenByHandle, onPtrace } from '../action-events.js';
import { onChdir, onChroot, onPivotRoot } from '../path-events.js';
import { OPEN_SYSCALLS } from '../syscall-tables.js';
import type { ClassRead, EventClassDescriptor } from './event-class.js';
import { SUBJECT_FIELDS, subjectTarget, TARGET_PROCESS_FIELDS } from './shared-fields.js';

const reads = new Map<string, ClassRead>([
  ['chdir', { handle: (m, p, e) => onChdir(m.ctx, p, e) }],
  ['fchdir', { handle: (m, p, e) => onChdir(m.ctx, p, e) }],
  ['chroot', { handle: (m, p, e) => onChroot(m.ctx, p, e) }],
  ['pivot_root', { handle: (m, p, e) => onPivotRoot(m.ctx, p, e) }],
  ['setns', { handle: (m, p, e) => onNamespace(m.ctx, p, e) }],
  ['unshare', { handle: (m, p, e) => onNamespace(m.ctx, p, e) }],
  ['ptrace', { handle: (m, p, e) => onPtrace(m.ctx, p, e) }],
  ['process_vm_writev', { handle: (m, p, e) => onMemoryWrite(m.ctx, p, e) }],
  ['pidfd_getfd', { handle: (m, p, e) => onFdSteal(m.ctx, p, e) }],
  // name_to_handle_at only names a file (systemd tools call it for mount ids); open_by_handle_at is the escape.
  ['open_by_handle_at', { handle: (m, p, e) => onOpenByHandle(m.ctx, p, e) }],
]);

export const JAIL_CLASS: EventClassDescriptor<'jail'> = {
  name: 'jail',
  reads,
  traced: [...reads.keys(), ...OPEN_SYSCALLS],
  fields: [...TARGET_PROCESS_FIELDS, ...SUBJECT_FIELDS],
  target: subjectTarget,
  confirmedBy: 'none',
};
