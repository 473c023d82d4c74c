/** `signal`: a signal sent (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal). */
import { onSignal } from '../action-events.js';
import { SIGNAL_SYSCALLS } from '../syscall-tables.js';
import { field, readsOf, type EventClassDescriptor } from './event-class.js';
import { TARGET_GROUP_FIELDS, TARGET_PROCESS_FIELDS } from './shared-fields.js';
import { describeSignalTarget } from './target-text.js';

export const SIGNAL_CLASS: EventClassDescriptor<'signal'> = {
  name: 'signal',
  reads: readsOf(SIGNAL_SYSCALLS, (m, p, e, spec) => onSignal(m.ctx, p, e, spec)),
  // pidfd_send_signal's target is in its pidfd's decoration (`3<pid:1234>`).
  traced: [...SIGNAL_SYSCALLS.keys()],
  fields: [
    field('signal.name', 'string', 'Signal name, e.g. `SIGKILL`.', (e) => e.signal?.name),
    field('signal.number', 'number', 'Signal number (0 only probes).', (e) => e.signal?.number),
    ...TARGET_PROCESS_FIELDS,
    ...TARGET_GROUP_FIELDS,
  ],
  target: (e) => (e.signal === undefined ? undefined : describeSignalTarget(e.signal.target)),
  confirmedBy: 'witness',
};
