/** `process-exit`: a process ended, or was still alive when its control script ended. */
import { field, type EventClassDescriptor } from './event-class.js';
import { describeProcess } from './target-text.js';

export const PROCESS_EXIT_CLASS: EventClassDescriptor<'process-exit'> = {
  name: 'process-exit',
  // Exits are strace's `+++ exited with N +++` lines, printed for every traced process whatever is traced.
  reads: new Map(),
  traced: [],
  fields: [
    field('exit.code', 'number', 'Exit status.', (e) => e.exit?.code),
    field('exit.signal', 'string', 'Signal that ended the process.', (e) => e.exit?.signal),
    field('exit.outlivedScript', 'boolean', 'Still running when its control script ended.', (e) => e.exit?.outlivedScript),
  ],
  target: (e) => describeProcess(e.process),
  confirmedBy: 'leftovers',
};
