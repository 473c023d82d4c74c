import t from 'tap';
import { IpcRegistry } from '../../harness/model/ipc-events.js';
import type { ModelEvent } from '../../harness/model/model-event.js';
import type { ProcessState } from '../../harness/model/process-state.js';
import { ofClass, runcmd, runRecorded } from '../fixtures/model/run-model.js';

/** [line, syscall, op, kind, id or name, owner, ok] of each runcmd ipc event. */
const rows = (events: readonly ModelEvent[]) =>
  runcmd(ofClass(events, 'ipc')).map((e) => [e.location?.line, e.syscall, e.ipc?.op, e.ipc?.kind, e.ipc?.name ?? e.ipc?.id, e.ipc?.owner, e.ok]);

t.test("IPC on a recorded trace: the booted daemon's queues, and the script's own", async (t) => {
  const { events, gaps, meta } = await runRecorded('ipc');
  t.same(gaps, []);
  t.match(meta.ipc, { msg: [{ key: 0x44524453 }], mqueue: ['/fixtured'] }, 'the recorder took the snapshot the sandbox takes');
  const daemonQueue = meta.ipc?.msg[0]?.id;
  t.same(rows(events), [
    [6, 'msgget', 'get', 'msg', daemonQueue, 'booted', true],
    [6, 'msgsnd', 'send', 'msg', daemonQueue, 'booted', true],
    [7, 'mq_open', 'open', 'mqueue', '/fixtured', 'booted', true],
    [7, 'mq_timedsend', 'send', 'mqueue', '/fixtured', 'booted', true],
    [8, 'msgget', 'get', 'msg', 1, 'runcmd', true],
    [8, 'msgsnd', 'send', 'msg', 1, 'runcmd', true],
    [8, 'msgrcv', 'receive', 'msg', 1, 'runcmd', true],
    [8, 'msgctl', 'remove', 'msg', 1, 'runcmd', true],
    [9, 'semget', 'get', 'sem', 0, 'runcmd', true],
    [9, 'semtimedop', 'semop', 'sem', 0, 'runcmd', true],
    [9, 'semctl', 'remove', 'sem', 0, 'runcmd', true],
    [10, 'mq_open', 'open', 'mqueue', '/drdsafe-own', 'runcmd', true],
    [10, 'mq_timedsend', 'send', 'mqueue', '/drdsafe-own', 'runcmd', true],
    [10, 'mq_unlink', 'remove', 'mqueue', '/drdsafe-own', 'runcmd', true],
    [11, 'msgget', 'get', 'msg', daemonQueue, 'booted', true],
    [11, 'msgctl', 'remove', 'msg', daemonQueue, 'booted', true],
  ]);
  const get = runcmd(ofClass(events, 'ipc')).find((e) => e.syscall === 'msgget');
  t.equal(get?.ipc?.key, '0x44524453', 'the key as strace printed it');
});

t.test('without a snapshot, an object the trace does not show being made has an unknown owner', async (t) => {
  const { events } = await runRecorded('ipc', ({ ipc: _ipc, ...meta }) => meta);
  const owners = rows(events).map((r) => [r[1], r[4], r[5]]);
  t.match(owners, [
    ['msgget', 0, 'unknown'],
    ['msgsnd', 0, 'unknown'],
    ['mq_open', '/fixtured', 'unknown'],
    ['mq_timedsend', '/fixtured', 'unknown'],
    // IPC_PRIVATE and O_CREAT|O_EXCL can only make a new object: the script's own.
    ['msgget', 1, 'runcmd'],
  ]);
  t.same(
    owners.filter((r) => r[2] === 'runcmd').map((r) => r[0]),
    ['msgget', 'msgsnd', 'msgrcv', 'msgctl', 'semget', 'semtimedop', 'semctl', 'mq_open', 'mq_timedsend', 'mq_unlink'],
  );
});

t.test('an id removed and made again belongs to its new maker', async (t) => {
  // The snapshot says id 1 was the booted system's; the script removes it, then a private get reuses the id.
  const { events } = await runRecorded('ipc', (meta) => ({
    ...meta,
    ipc: {
      msg: [
        { key: 0x44524453, id: 0 },
        { key: 7, id: 1 },
      ],
      sem: [],
      shm: [],
      mqueue: [],
    },
  }));
  const own = rows(events).filter((r) => r[0] === 8);
  t.same(
    own.map((r) => r[5]),
    ['runcmd', 'runcmd', 'runcmd', 'runcmd'],
    'IPC_PRIVATE made id 1 anew, whatever was there before',
  );
  // mq_open without O_CREAT cannot make a queue: one missing from the snapshot was made by someone the trace does not show.
  const booted = rows(events).filter((r) => r[0] === 7);
  t.same(
    booted.map((r) => r[5]),
    ['unknown', 'unknown'],
    'a queue missing from the snapshot and opened without O_EXCL: a maker the trace does not show',
  );
});

t.test('a malformed snapshot names no object (the owner stays unknown), and breaks nothing', async (t) => {
  const { events, gaps } = await runRecorded('ipc', (meta) => ({ ...meta, ipc: { msg: 'x', sem: [null], shm: [{ id: 'a' }], mqueue: [3] } as never }));
  t.same(gaps, []);
  t.equal(rows(events)[1]?.[5], 'unknown');
});

t.test('IPC_CREAT alone: the caller made the object when the snapshot lacks it, else it is the owner the snapshot names', async (t) => {
  const runcmdProcess = { origin: 'runcmd' } as ProcessState;
  const snapshot = { msg: [{ key: 99, id: 4 }], sem: [], shm: [], mqueue: ['/booted'] };
  const withSnapshot = new IpcRegistry(snapshot);
  t.equal(withSnapshot.got('msg', 5, runcmdProcess, 'may'), 'runcmd', 'a new key: made by this get');
  t.equal(withSnapshot.got('msg', 4, runcmdProcess, 'may'), 'booted', 'the key of a queue there before');
  t.equal(withSnapshot.got('mqueue', '/booted', runcmdProcess, 'may'), 'booted');
  t.equal(withSnapshot.got('mqueue', '/mine', runcmdProcess, 'may'), 'runcmd');
  t.equal(withSnapshot.got('msg', 6, runcmdProcess, 'no'), 'unknown', 'no IPC_CREAT: it was there, made by a process the trace does not show');
  withSnapshot.removed('msg', 5);
  t.equal(withSnapshot.owner('msg', 5), 'unknown', 'a removed id names nothing the trace made');
  withSnapshot.removed('msg', 4);
  t.equal(
    withSnapshot.got('msg', 4, runcmdProcess, 'may'),
    'runcmd',
    'the booted queue removed, its id made again by the script (with its old key or any other)',
  );
  const without = new IpcRegistry(undefined);
  t.equal(without.got('msg', 5, runcmdProcess, 'may'), 'unknown', 'without a snapshot IPC_CREAT may have found an existing queue');
  t.equal(without.got('msg', 7, runcmdProcess, 'must'), 'runcmd');
});
