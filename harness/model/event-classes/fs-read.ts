/** `fs-read`: a file opened without write access; made by the opens `fs-write` reads. */
import { OPEN_SYSCALLS } from '../syscall-tables.js';
import type { EventClassDescriptor } from './event-class.js';
import { PATH_FIELDS, pathTarget } from './shared-fields.js';

export const FS_READ_CLASS: EventClassDescriptor<'fs-read'> = {
  name: 'fs-read',
  reads: new Map(),
  traced: OPEN_SYSCALLS,
  fields: PATH_FIELDS,
  target: pathTarget,
  // A read changes nothing the diff would show.
  confirmedBy: 'none',
};
