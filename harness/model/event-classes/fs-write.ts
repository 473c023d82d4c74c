/**
 * `fs-write`: a change to a file (open for write or create, truncate, unlink,
 * rename, mkdir, rmdir, link, symlink, chmod, chown, utimes, mknod, setxattr,
 * removexattr). Its reader reads every path call; an open also makes `fs-read`,
 * `jail` and `kernel` events.
 */
import { onPathCall } from '../path-events.js';
import { PATH_SYSCALLS } from '../syscall-tables.js';
import { readsOf, type EventClassDescriptor } from './event-class.js';
import { PATH_FIELDS, pathTarget } from './shared-fields.js';

export const FS_WRITE_CLASS: EventClassDescriptor<'fs-write'> = {
  name: 'fs-write',
  reads: readsOf(PATH_SYSCALLS, (m, p, e, spec) => onPathCall(m.ctx, p, e, spec)),
  traced: [...PATH_SYSCALLS.keys()],
  fields: PATH_FIELDS,
  target: pathTarget,
  // The booted diff covers the booted and the shared trees (ground-evidence.ts DIFFED_TREES).
  confirmedBy: 'booted-diff',
};
