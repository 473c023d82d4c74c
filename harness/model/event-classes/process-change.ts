/** `process-change`: setpriority, sched_setscheduler/setparam/setattr/setaffinity, ioprio_set, prlimit64 with a new limit. */
import { onProcessChange } from '../action-events.js';
import type { ProcessChangeKind } from '../model-event.js';
import { PROCESS_CHANGE_SYSCALLS } from '../syscall-tables.js';
import { field, readsOf, type EventClassDescriptor } from './event-class.js';
import { TARGET_GROUP_FIELDS, TARGET_PROCESS_FIELDS } from './shared-fields.js';
import { describeSignalTarget } from './target-text.js';

const CHANGE_KINDS = ['priority', 'scheduler', 'affinity', 'io-priority', 'limits'] as const satisfies readonly ProcessChangeKind[];
const everyChangeListed: [Exclude<ProcessChangeKind, (typeof CHANGE_KINDS)[number]>] extends [never] ? true : false = true;
void everyChangeListed;

export const PROCESS_CHANGE_CLASS: EventClassDescriptor<'process-change'> = {
  name: 'process-change',
  reads: readsOf(PROCESS_CHANGE_SYSCALLS, (m, p, e, spec) => onProcessChange(m.ctx, p, e, spec)),
  traced: [...PROCESS_CHANGE_SYSCALLS.keys()],
  fields: [
    ...TARGET_PROCESS_FIELDS,
    ...TARGET_GROUP_FIELDS,
    field('change.kind', 'string', 'What a process change changes.', (e) => e.change?.kind, { values: CHANGE_KINDS }),
    field('change.detail', 'string', "The call's arguments as strace printed them.", (e) => e.change?.detail),
  ],
  target: (e) => {
    const change = e.change;
    if (change === undefined) return undefined;
    // What changed is the message's and the rule's; the call itself is the evidence's.
    return change.target.kind === 'all' ? 'every process of a user' : describeSignalTarget(change.target);
  },
  confirmedBy: 'witness',
};
