/** `ipc`: System V message queues, semaphore sets and shared memory, POSIX message queues: getting, using, changing or removing one. */
import { IPC_CALLS, onIpc } from '../ipc-events.js';
import type { IpcKind, IpcOp } from '../model-event.js';
import { field, readsOf, type EventClassDescriptor } from './event-class.js';
import { ORIGINS } from './shared-fields.js';
import { describeIpc } from './target-text.js';

const IPC_KINDS = ['msg', 'sem', 'shm', 'mqueue'] as const satisfies readonly IpcKind[];
const IPC_OPS = ['get', 'open', 'send', 'receive', 'semop', 'attach', 'control', 'set', 'remove', 'notify'] as const satisfies readonly IpcOp[];
const everyIpcOpListed: [Exclude<IpcOp, (typeof IPC_OPS)[number]>] extends [never] ? true : false = true;
void everyIpcOpListed;

export const IPC_CLASS: EventClassDescriptor<'ipc'> = {
  name: 'ipc',
  // A blocking IPC call that never returned never happened (nothing sent, taken or locked):
  // a daemon left waiting in msgrcv when the jail is swept is no gap.
  reads: readsOf(
    IPC_CALLS,
    (m, p, e, call) => onIpc(m.ctx, p, e, call),
    (call) => !call.blocks,
  ),
  // The model reads every IPC call (gets and opens tell whose each object is).
  traced: [...IPC_CALLS.keys()],
  fields: [
    field('ipc.kind', 'string', 'The IPC object: System V message queue, semaphore set or shared memory, or POSIX message queue.', (e) => e.ipc?.kind, {
      values: IPC_KINDS,
    }),
    field('ipc.op', 'string', 'What was done to it.', (e) => e.ipc?.op, { values: IPC_OPS }),
    field(
      'ipc.owner',
      'string',
      'Whose it is: `booted` (there before the script), the origin of the process that made it, `unknown`; `none` for a failed get or open.',
      (e) => e.ipc?.owner,
      {
        values: [...ORIGINS, 'unknown', 'none'],
        // A get's owner and id are what it returned.
        result: true,
      },
    ),
    field('ipc.id', 'number', 'System V id.', (e) => e.ipc?.id, { result: true }),
    field('ipc.key', 'string', 'System V key as printed (`0x44524453`, `IPC_PRIVATE`), on gets.', (e) => e.ipc?.key),
    field('ipc.name', 'string', 'POSIX queue name (`/name`).', (e) => e.ipc?.name),
    field('ipc.server', 'string', 'The booted daemon serving the object, when the run lists it.', (e) => e.ipc?.server),
  ],
  target: (e) => (e.ipc === undefined ? undefined : describeIpc(e.ipc)),
  // An object removed under a daemon shows in its witness (`ipc-removed`).
  confirmedBy: 'witness',
};
