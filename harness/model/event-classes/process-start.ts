/** `process-start`: a process was created (fork, vfork, clone, clone3). */
import { CLONE_SYSCALLS } from '../syscall-tables.js';
import { readsOf, type EventClassDescriptor } from './event-class.js';
import { describeProcess } from './target-text.js';

export const PROCESS_START_CLASS: EventClassDescriptor<'process-start'> = {
  name: 'process-start',
  // The model keeps its own bookkeeping of clones (calls held until their child's pid is known).
  reads: readsOf(CLONE_SYSCALLS, (m, p, e) => m.onClone(p, e)),
  traced: [...CLONE_SYSCALLS],
  fields: [],
  target: (e) => describeProcess(e.process),
  confirmedBy: 'none',
};
