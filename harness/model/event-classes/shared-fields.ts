/**
 * Fields more than one event class carries (a signal's and a process
 * change's target, a socket's endpoint, a file's path, a jail or kernel
 * event's subject), and the closed sets of values fields take. Each spec is
 * one object, listed by every class that carries it.
 */
import type { ProcessOrigin, PolicyEvent, TargetGroup, TargetProcess } from '../model-event.js';
import type { Tree } from '../../contract/run-metadata.js';
import { jailView } from '../resolve-path.js';
import { field, type EventFieldSpec } from './event-class.js';
import { describeSignalTarget, formatEndpoint } from './target-text.js';

export const ORIGINS = ['runcmd', 'booted', 'sandbox', 'outside'] as const satisfies readonly ProcessOrigin[];
export const TREES = ['booted', 'inactive', 'shared', 'sandbox', 'other'] as const satisfies readonly Tree[];

/** The process acted on: a signal's process target, else a jail/kernel subject's target. */
function targetProcess(e: PolicyEvent): TargetProcess | undefined {
  const t = e.signal?.target ?? e.change?.target;
  if (t !== undefined) return t.kind === 'process' ? t : undefined;
  return e.subject?.target;
}

/** A signal's or process change's group target. */
function groupTarget(e: PolicyEvent): TargetGroup | undefined {
  const t = (e.signal ?? e.change)?.target;
  return t?.kind === 'group' ? t : undefined;
}

/** The process acted on: signals, process changes, jail and kernel events. */
export const TARGET_PROCESS_FIELDS: readonly EventFieldSpec[] = [
  field(
    'target.kind',
    'string',
    "A signal's or process change's target: one process, a process group, or every process (-1; a process change: every process of a user).",
    (e) => (e.signal ?? e.change)?.target.kind ?? e.subject?.target?.kind,
    {
      values: ['process', 'group', 'all'],
    },
  ),
  field('target.origin', 'string', 'Origin of the process acted on (signal, ptrace, /proc traversal).', (e) => targetProcess(e)?.origin, {
    values: [...ORIGINS, 'unknown'],
  }),
  field('target.pid', 'number', "Its pid in strace's namespace.", (e) => targetProcess(e)?.pid),
  field('target.nsPid', 'number', 'Its pid as the tracee named it.', (e) => targetProcess(e)?.nsPid),
  field('target.name', 'string', 'Its name (daemon name or argv[0]).', (e) => targetProcess(e)?.name),
];

/** Whose target can be a group or everyone: a signal's, a process change's. */
export const TARGET_GROUP_FIELDS: readonly EventFieldSpec[] = [
  field('target.pgid', 'number', 'Process group signalled or changed (`kill(-pgid)`; 0 = own group).', (e) => groupTarget(e)?.pgid),
  field('target.containsOutside', 'boolean', 'That group may hold a process not started inside runcmd.', (e) => groupTarget(e)?.containsOutside),
];

/** A request's or a bind's endpoint. */
export const SOCKET_FIELDS: readonly EventFieldSpec[] = [
  field('socket.op', 'string', 'The socket operation.', (e) => e.socket?.op, { values: ['connect', 'sendto', 'sendmsg', 'sendmmsg', 'bind', 'listen'] }),
  field('socket.family', 'string', 'Address family.', (e) => e.socket?.endpoint.family, { values: ['unix', 'inet', 'inet6', 'netlink', 'other'] }),
  field('socket.type', 'string', '`stream`, `dgram` or `seqpacket`.', (e) => e.socket?.endpoint.type),
  field('socket.path', 'string', 'Unix socket path as named (`@name` = abstract).', (e) => e.socket?.endpoint.path),
  field('socket.realPath', 'string', 'Real path of a unix socket.', (e) => e.socket?.endpoint.realPath),
  field('socket.tree', 'string', "Tree of a unix socket's real path.", (e) => e.socket?.endpoint.tree, { values: TREES }),
  field('socket.address', 'string', 'IP address.', (e) => e.socket?.endpoint.address),
  field('socket.port', 'number', 'IP port.', (e) => e.socket?.endpoint.port),
  field('socket.servedBy', 'string', 'Who serves the endpoint.', (e) => e.socket?.endpoint.servedBy, { values: [...ORIGINS, 'unknown', 'none'] }),
  field('socket.server', 'string', 'Name of the serving daemon.', (e) => e.socket?.endpoint.server),
  field('socket.endpoint', 'string', 'The endpoint as text: `unix:/dev/log`, `tcp:127.0.0.1:2121`.', (e) =>
    e.socket === undefined ? undefined : formatEndpoint(e.socket.endpoint),
  ),
];

// `open-read` (a file opened without write access) is only on `fs-read` events.
export const FS_OPS = [
  'open-write',
  'create',
  'truncate',
  'unlink',
  'rename',
  'mkdir',
  'rmdir',
  'link',
  'symlink',
  'chmod',
  'chown',
  'utimes',
  'mknod',
  'setxattr',
  'removexattr',
  'open-read',
] as const;

/** A file read's or change's path. */
export const PATH_FIELDS: readonly EventFieldSpec[] = [
  field('fs.op', 'string', 'The file change.', (e) => e.fs?.op, { values: FS_OPS }),
  field('path.path', 'string', 'The path as the process named it.', (e) => e.fs?.target.path),
  field('path.real', 'string', 'The real path the kernel used.', (e) => e.fs?.target.real),
  field('path.jail', 'string', 'The real path as the acting process sees it (inside its root): `/dev/vg00/rlvol3` however it was named.', (e) =>
    e.fs === undefined ? undefined : (jailView(e.process.root, e.fs.target.real) ?? e.fs.target.real),
  ),
  field('path.tree', 'string', 'Which tree the real path is in.', (e) => e.fs?.target.tree, { values: TREES }),
  field('path.second.path', 'string', 'rename/link/symlink: the second path as named.', (e) => e.fs?.target.second?.path),
  field('path.second.real', 'string', 'Its real path.', (e) => e.fs?.target.second?.real),
  field('path.second.tree', 'string', 'Its tree.', (e) => e.fs?.target.second?.tree, { values: TREES }),
];

/** What a jail or kernel event acted on. */
export const SUBJECT_FIELDS: readonly EventFieldSpec[] = [
  field('subject.kind', 'string', 'What a jail or kernel event acted on (new root, namespace, module, ...).', (e) => e.subject?.kind),
  field('subject.detail', 'string', 'The subject in detail (a path, a module name, ...).', (e) => e.subject?.detail),
  field('subject.tree', 'string', 'Tree of the subject, when it is a path.', (e) => e.subject?.tree, { values: TREES }),
];

/** A file event's path as text: `/images/booted/etc/motd (booted)`, a rename's second after `->`. */
export function pathTarget(e: PolicyEvent): string | undefined {
  const target = e.fs?.target;
  if (target === undefined) return undefined;
  const first = `${target.real} (${target.tree})`;
  return target.second === undefined ? first : `${first} -> ${target.second.real} (${target.second.tree})`;
}

/** A jail or kernel event's subject as text: `proc-fd /proc/57/fd/3 of syslogd (pid 57, booted daemon)`. */
export function subjectTarget(e: PolicyEvent): string | undefined {
  const subject = e.subject;
  if (subject === undefined) return undefined;
  const tree = subject.tree === undefined ? '' : ` (${subject.tree})`;
  const target = subject.target === undefined ? '' : ` of ${describeSignalTarget(subject.target)}`;
  return `${subject.kind} ${subject.detail}${tree}${target}`;
}
