/**
 * System V IPC (message queues, semaphore sets, shared memory) and POSIX
 * message queues. None of them is a path: chroot stands between the jail and
 * none of them, so a control script that sends to, takes from, locks,
 * attaches to or removes a booted daemon's queue talks to (or breaks) that
 * daemon as a socket request would. The model tells whose each object is:
 * the run's snapshot of the objects that existed before the script
 * (`RunMetadata.ipc`), then what the trace shows being created.
 */
import type { SyscallEvent } from '../trace/trace-event.js';
import type { IpcKind, IpcObject, IpcOp, ProcessOrigin } from './model-event.js';
import type { ModelContext } from './model-context.js';
import type { ProcessState } from './process-state.js';
import type { BootedDaemon, IpcSnapshot } from '../contract/run-metadata.js';
import { fdPath, flagNames, numberArg, stringArg, succeeded } from './trace-args.js';

type Owner = IpcObject['owner'];

/** What each call does, on which kind of object. */
interface IpcCall {
  readonly kind: IpcKind;
  /** `ctl`: the op comes from the command argument (IPC_RMID, IPC_SET, ...). */
  readonly op: IpcOp | 'ctl';
  /** Index of the command argument of a `ctl` call. */
  readonly cmd?: number;
  /** It waits until it is done (a full queue, no message, a semaphore held) and acts all at once, or not at all. */
  readonly blocks?: boolean;
}

export const IPC_CALLS: ReadonlyMap<string, IpcCall> = new Map<string, IpcCall>([
  ['msgget', { kind: 'msg', op: 'get' }],
  ['msgsnd', { kind: 'msg', op: 'send', blocks: true }],
  ['msgrcv', { kind: 'msg', op: 'receive', blocks: true }],
  ['msgctl', { kind: 'msg', op: 'ctl', cmd: 1 }],
  ['semget', { kind: 'sem', op: 'get' }],
  ['semop', { kind: 'sem', op: 'semop', blocks: true }],
  ['semtimedop', { kind: 'sem', op: 'semop', blocks: true }],
  ['semctl', { kind: 'sem', op: 'ctl', cmd: 2 }],
  ['shmget', { kind: 'shm', op: 'get' }],
  ['shmat', { kind: 'shm', op: 'attach' }],
  ['shmctl', { kind: 'shm', op: 'ctl', cmd: 1 }],
  ['mq_open', { kind: 'mqueue', op: 'open' }],
  ['mq_unlink', { kind: 'mqueue', op: 'remove' }],
  ['mq_timedsend', { kind: 'mqueue', op: 'send', blocks: true }],
  ['mq_timedreceive', { kind: 'mqueue', op: 'receive', blocks: true }],
  ['mq_notify', { kind: 'mqueue', op: 'notify' }],
  ['mq_getsetattr', { kind: 'mqueue', op: 'ctl' }],
]);

/** Control commands that change or remove the object; the rest only read it. */
const CTL_OPS: ReadonlyMap<string, IpcOp> = new Map<string, IpcOp>([
  ['IPC_RMID', 'remove'],
  ['IPC_SET', 'set'],
  ['SETVAL', 'set'],
  ['SETALL', 'set'],
  ['SHM_LOCK', 'set'],
  ['SHM_UNLOCK', 'set'],
]);

/**
 * Whose IPC objects are whose, as far as the run's snapshot and the trace
 * tell: objects that existed before the script are the booted system's;
 * one the trace shows being made belongs to its maker's origin.
 */
export class IpcRegistry {
  /** `msg:3`, `sem:0`, `shm:7`, `mqueue:/name` made during the run, by their maker's origin. */
  private readonly made = new Map<string, ProcessOrigin>();
  /** The snapshot could be read: what is missing from it was not there before the script. */
  private readonly complete: boolean;
  private readonly before = new Set<string>();
  /** `msg:0x434f4d53` (key), `mqueue:/name` -> the booted daemon serving it (its `msg:KEY` endpoints). */
  private readonly servers = new Map<string, string>();
  /** `msg:3` -> the key it was got by, from the snapshot and the trace's gets. */
  private readonly keyOfId = new Map<string, number>();

  constructor(snapshot: IpcSnapshot | undefined, daemons: readonly BootedDaemon[] = []) {
    for (const d of daemons) {
      for (const spec of d.endpoints) {
        const server = serverKey(spec);
        if (server !== undefined && !this.servers.has(server)) this.servers.set(server, d.name);
      }
    }
    // run.json is read as stored: a snapshot of the wrong shape tells nothing (as if absent).
    this.complete = snapshot !== undefined && isSnapshot(snapshot);
    if (snapshot === undefined || !this.complete) return;
    for (const kind of ['msg', 'sem', 'shm'] as const) {
      for (const o of snapshot[kind]) {
        this.before.add(`${kind}:${o.id}`);
        if (o.key !== 0) this.keyOfId.set(`${kind}:${o.id}`, o.key);
      }
    }
    for (const name of snapshot.mqueue) this.before.add(`mqueue:${name}`);
  }

  owner(kind: IpcKind, ref: number | string): Owner {
    const key = `${kind}:${ref}`;
    const made = this.made.get(key);
    if (made !== undefined) return made;
    if (this.before.has(key)) return 'booted';
    // Without a snapshot an object the trace did not see made may be anyone's.
    return 'unknown';
  }

  /**
   * A successful get or open of `ref` by `p`. `create`: `must` when the call
   * can only have made a new object (IPC_PRIVATE, IPC_CREAT|IPC_EXCL,
   * O_CREAT|O_EXCL), `may` with IPC_CREAT or O_CREAT alone, `no` without.
   */
  got(kind: IpcKind, ref: number | string, p: ProcessState, create: 'must' | 'may' | 'no'): Owner {
    const id = `${kind}:${ref}`;
    // With a snapshot, an object a creating get returns that was not there before is this call's
    // (a get by the key of one that was there returns that one's id, which `before` holds).
    // A booted daemon making one mid-run and the script getting it first is not told apart.
    const fresh = this.complete && create === 'may' && !this.before.has(id) && !this.made.has(id);
    if (create === 'must' || fresh) this.made.set(id, p.origin);
    return this.owner(kind, ref);
  }

  removed(kind: IpcKind, ref: number | string): void {
    // Ids and names are reused: whoever makes the next one owns it (a snapshot's is gone too).
    this.made.delete(`${kind}:${ref}`);
    this.before.delete(`${kind}:${ref}`);
    this.keyOfId.delete(`${kind}:${ref}`);
  }

  /** The booted daemon serving the object, by its key (System V) or name (POSIX), when the run lists one. */
  server(kind: IpcKind, ref: number | string, key?: number): string | undefined {
    if (kind === 'mqueue') return this.servers.get(`mqueue:${ref}`);
    const k = key ?? this.keyOfId.get(`${kind}:${ref}`);
    return k === undefined || k === 0 ? undefined : this.servers.get(`${kind}:${k}`);
  }

  /** A successful get by key: later calls name the object by its id only. */
  keyed(kind: IpcKind, id: number, key: number): void {
    if (key !== 0 && this.made.get(`${kind}:${id}`) === undefined) this.keyOfId.set(`${kind}:${id}`, key);
  }
}

/** `msg:0x434f4d53` / `sem:KEY` / `shm:KEY` / `mqueue:/name` endpoint specs, normalised (keys as numbers). */
function serverKey(spec: string): string | undefined {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (kind === 'mqueue') return rest.startsWith('/') ? `mqueue:${rest}` : undefined;
  if (kind !== 'msg' && kind !== 'sem' && kind !== 'shm') return undefined;
  const key = Number(rest);
  return Number.isInteger(key) && key !== 0 ? `${kind}:${key}` : undefined;
}

function isSnapshot(s: IpcSnapshot): boolean {
  const entries = (list: unknown): boolean =>
    Array.isArray(list) &&
    list.every((o: unknown) => typeof (o as { id?: unknown } | null)?.id === 'number' && typeof (o as { key?: unknown }).key === 'number');
  return entries(s.msg) && entries(s.sem) && entries(s.shm) && Array.isArray(s.mqueue) && s.mqueue.every((n) => typeof n === 'string');
}

/** IPC_PRIVATE, or create flags: whether a get or open makes a new object. */
function creation(isPrivate: boolean, flags: readonly string[], create: string, exclusive: string): 'must' | 'may' | 'no' {
  if (isPrivate) return 'must';
  if (!flags.includes(create)) return 'no';
  return flags.includes(exclusive) ? 'must' : 'may';
}

/** An IPC call: an `ipc` event naming the object and whose it is. */
export function onIpc(ctx: ModelContext, p: ProcessState, e: SyscallEvent, call: IpcCall): void {
  const ok = succeeded(e);
  const object = call.kind === 'mqueue' ? mqueueObject(ctx, p, e, call, ok) : sysvObject(ctx, p, e, call, ok);
  if (object === undefined) return;
  ctx.emit(p, e, 'ipc', e.name, ok, { ipc: object }, e.ret.errno);
}

function sysvObject(ctx: ModelContext, p: ProcessState, e: SyscallEvent, call: IpcCall, ok: boolean): IpcObject | undefined {
  const registry = ctx.ipc;
  if (call.op === 'get') {
    const keyArg = e.args[0];
    const isPrivate = keyArg?.t === 'other' && keyArg.text === 'IPC_PRIVATE';
    const key = isPrivate ? 0 : numberArg(keyArg);
    // msgget(key, flags); semget(key, nsems, flags); shmget(key, size, flags).
    const flags = flagNames(e.args[call.kind === 'msg' ? 1 : 2]);
    const id = ok ? e.ret.value : null;
    const keyText = isPrivate ? 'IPC_PRIVATE' : keyArg?.t === 'num' ? keyArg.text : undefined;
    const owner = id === null ? 'none' : registry.got(call.kind, id, p, creation(isPrivate, flags, 'IPC_CREAT', 'IPC_EXCL'));
    if (id !== null && key !== undefined) registry.keyed(call.kind, id, key);
    const server = key === undefined ? undefined : registry.server(call.kind, id ?? -1, key);
    return {
      kind: call.kind,
      op: 'get',
      ...(id !== null ? { id } : {}),
      ...(keyText !== undefined ? { key: keyText } : {}),
      owner,
      ...(server !== undefined ? { server } : {}),
    };
  }
  const id = numberArg(e.args[0]);
  if (id === undefined) return undefined;
  let op: IpcOp = call.op === 'ctl' ? 'control' : call.op;
  if (call.op === 'ctl' && call.cmd !== undefined) {
    for (const name of flagNames(e.args[call.cmd])) op = CTL_OPS.get(name) ?? op;
  }
  const owner = registry.owner(call.kind, id);
  const server = registry.server(call.kind, id);
  if (op === 'remove' && ok) registry.removed(call.kind, id);
  return { kind: call.kind, op, id, owner, ...(server !== undefined ? { server } : {}) };
}

function mqueueObject(ctx: ModelContext, p: ProcessState, e: SyscallEvent, call: IpcCall, ok: boolean): IpcObject | undefined {
  const registry = ctx.ipc;
  if (call.op === 'open' || call.op === 'remove') {
    const given = stringArg(e.args[0])?.value;
    if (given === undefined) return undefined;
    // glibc drops the leading `/` before the call; the queue's name keeps it.
    const name = given.startsWith('/') ? given : `/${given}`;
    const server = registry.server('mqueue', name);
    const served = server === undefined ? {} : { server };
    if (call.op === 'remove') {
      const owner = registry.owner('mqueue', name);
      if (ok) registry.removed('mqueue', name);
      return { kind: 'mqueue', op: 'remove', name, owner, ...served };
    }
    const owner = ok ? registry.got('mqueue', name, p, creation(false, flagNames(e.args[1]), 'O_CREAT', 'O_EXCL')) : 'none';
    return { kind: 'mqueue', op: 'open', name, owner, ...served };
  }
  // The queue's fd is decorated with its name (`3</fixtured>`): no fd table needed.
  const name = fdPath(e.args[0]?.t === 'fd' ? e.args[0] : undefined);
  let op: IpcOp = call.op === 'ctl' ? 'control' : call.op;
  // mq_getsetattr(fd, NEW, OLD): a new attribute set changes the queue.
  if (call.op === 'ctl' && e.args[1] !== undefined && e.args[1].t !== 'null') op = 'set';
  // mq_notify(fd, NULL) only drops the caller's own registration.
  if (call.op === 'notify' && e.args[1]?.t === 'null') op = 'control';
  if (name === undefined) return { kind: 'mqueue', op, owner: 'unknown' };
  const server = registry.server('mqueue', name);
  return { kind: 'mqueue', op, name, owner: registry.owner('mqueue', name), ...(server !== undefined ? { server } : {}) };
}
