/**
 * `kernel`: a change to the running kernel: writes under /proc/sys (opens,
 * read by `fs-write`), module load, mount/umount, swapon/off, reboot, kexec,
 * clock or hostname changes, process accounting, _sysctl.
 */
import { onKernel } from '../action-events.js';
import { KERNEL_SYSCALLS, OPEN_SYSCALLS } from '../syscall-tables.js';
import { readsOf, type EventClassDescriptor } from './event-class.js';
import { SUBJECT_FIELDS, subjectTarget, TARGET_PROCESS_FIELDS } from './shared-fields.js';

export const KERNEL_CLASS: EventClassDescriptor<'kernel'> = {
  name: 'kernel',
  reads: readsOf(KERNEL_SYSCALLS, (m, p, e, kind) => onKernel(m.ctx, p, e, kind)),
  traced: [...OPEN_SYSCALLS, ...KERNEL_SYSCALLS.keys()],
  fields: [...TARGET_PROCESS_FIELDS, ...SUBJECT_FIELDS],
  target: subjectTarget,
  confirmedBy: 'none',
};
