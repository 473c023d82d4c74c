/**
 * The fields a policy can test and a message can quote: one table of name,
 * type, the values it can take, and a getter over `PolicyEvent` (model events and coverage's). Validation,
 * matching, message templates and docs/policy.md all follow this table.
 */
import type { EventClass, FsOp, IpcKind, IpcOp, PolicyEvent, ProcessChangeKind, ProcessOrigin, TargetGroup, TargetProcess } from '../model/model-event.js';
import { PHASES, type Tree } from '../contract/run-metadata.js';
import { jailView } from '../model/resolve-path.js';
import { basename, formatArgv, formatEndpoint } from './describe-target.js';
import { ERRNO_NAMES, X86_64_SYSCALLS } from './x86-64-syscalls.js';

export const EVENT_CLASSES = [
  'signal',
  'socket',
  'serve',
  'fs-write',
  'fs-read',
  'exec',
  'process-start',
  'process-exit',
  'jail',
  'kernel',
  'process-change',
  'ipc',
  'coverage',
] as const satisfies readonly EventClass[];
// Fails to compile when the model adds a class this list lacks.
const everyClassListed: [Exclude<EventClass, (typeof EVENT_CLASSES)[number]>] extends [never] ? true : false = true;
void everyClassListed;

const CHANGE_KINDS = ['priority', 'scheduler', 'affinity', 'io-priority', 'limits'] as const satisfies readonly ProcessChangeKind[];
const everyChangeListed: [Exclude<ProcessChangeKind, (typeof CHANGE_KINDS)[number]>] extends [never] ? true : false = true;
void everyChangeListed;

const ORIGINS = ['runcmd', 'booted', 'sandbox', 'outside'] as const satisfies readonly ProcessOrigin[];
const TREES = ['booted', 'inactive', 'shared', 'sandbox', 'other'] as const satisfies readonly Tree[];
// `open-read` (a file opened without write access) is only on `fs-read` events.
const FS_OPS = [
  'open-write', 'create', 'truncate', 'unlink', 'rename', 'mkdir', 'rmdir', 'link',
  'symlink', 'chmod', 'chown', 'utimes', 'mknod', 'setxattr', 'removexattr', 'open-read',
] as const;
const everyFsOpListed: [Exclude<FsOp, (typeof FS_OPS)[number]>] extends [never] ? true : false = true;
void everyFsOpListed;

/**
 * `strings` is a list (argv): a test holds when any element passes it.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'strings';
export type FieldValue = string | number | boolean | readonly string[] | undefined;

export interface EventField {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** The values the field can take, when they are a closed set (checked on load). */
  readonly values?: ReadonlySet<string>;
  /** Classes whose events carry the field; absent = every class. */
  readonly classes?: readonly EventClass[];
  readonly get: (event: PolicyEvent) => FieldValue;
  /**
   * For `strings` fields that are a tail of an array the event holds (argv[1..]):
   * the array and how many leading elements to skip, so matching need not copy it.
   */
  readonly tail?: { readonly of: (event: PolicyEvent) => readonly string[] | undefined; readonly skip: number };
  /**
   * The field is (or comes from) what the call returned. On an event whose call
   * never returned (`ModelEvent.unfinished`) its value is not known, so a test
   * of it holds neither way (compile-match.ts).
   */
  readonly result?: true;
}

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

const SIGNAL: readonly EventClass[] = ['signal'];
const TARGET: readonly EventClass[] = ['signal', 'process-change', 'jail', 'kernel'];
// Whose target can be a group or everyone: a signal's, a process change's.
const SIGNAL_LIKE: readonly EventClass[] = ['signal', 'process-change'];
const CHANGE: readonly EventClass[] = ['process-change'];
const IPC: readonly EventClass[] = ['ipc'];
const IPC_KINDS = ['msg', 'sem', 'shm', 'mqueue'] as const satisfies readonly IpcKind[];
const IPC_OPS = ['get', 'open', 'send', 'receive', 'semop', 'attach', 'control', 'set', 'remove', 'notify'] as const satisfies readonly IpcOp[];
const everyIpcOpListed: [Exclude<IpcOp, (typeof IPC_OPS)[number]>] extends [never] ? true : false = true;
void everyIpcOpListed;
const SOCKET: readonly EventClass[] = ['socket', 'serve'];
const FS: readonly EventClass[] = ['fs-write', 'fs-read'];
const EXEC: readonly EventClass[] = ['exec'];
const SUBJECT: readonly EventClass[] = ['jail', 'kernel'];
const COVERAGE: readonly EventClass[] = ['coverage'];
const UNTRACED = ['ksh-function', 'xtrace-off', 'unflushed', 'no-trace', 'indirect', 'background'] as const;

function field(
  name: string,
  type: FieldType,
  description: string,
  get: EventField['get'],
  extra: { values?: Iterable<string>; classes?: readonly EventClass[]; tail?: EventField['tail']; result?: true } = {},
): EventField {
  return {
    name,
    type,
    description,
    get,
    ...(extra.tail === undefined ? {} : { tail: extra.tail }),
    ...(extra.result === undefined ? {} : { result: extra.result }),
    ...(extra.values === undefined ? {} : { values: new Set(extra.values) }),
    ...(extra.classes === undefined ? {} : { classes: extra.classes }),
  };
}

const processName = (e: PolicyEvent): string | undefined =>
  e.process.exe !== undefined ? basename(e.process.exe) : e.process.argv[0] === undefined ? undefined : basename(e.process.argv[0]);

export const EVENT_FIELDS: readonly EventField[] = [
  field('class', 'string', 'What kind of action the event is.', (e) => e.class, { values: EVENT_CLASSES }),
  field('syscall', 'string', 'The system call (`exit` for an exit without one).', (e) => e.syscall, { values: X86_64_SYSCALLS }),
  field('ok', 'boolean', 'The call succeeded.', (e) => e.ok, { result: true }),
  field('errno', 'string', 'The error of a failed call, e.g. `ESRCH`.', (e) => e.errno, { values: ERRNO_NAMES, result: true }),
  field('phase', 'string', 'The control script phase of the run.', (e) => e.phase, { values: PHASES }),
  field('process.origin', 'string', 'Where the acting process comes from.', (e) => e.process.origin, { values: ORIGINS }),
  field('process.pid', 'number', 'Pid of the acting process (strace namespace).', (e) => e.process.pid),
  field('process.exe', 'string', 'Path of the acting process\'s last exec.', (e) => e.process.exe),
  field('process.name', 'string', 'Base name of `process.exe`, else of argv[0].', processName),
  field('process.argv', 'strings', 'Every element of the acting process\'s argv.', (e) => e.process.argv),
  field('process.argv0', 'string', 'argv[0] of the acting process.', (e) => e.process.argv[0]),
  field('process.args', 'strings', 'argv[1..] of the acting process.', (e) => e.process.argv.slice(1), {
    tail: { of: (e) => e.process.argv, skip: 1 },
  }),
  field('process.cmdline', 'string', 'argv joined with spaces (elements with blanks quoted).', (e) => formatArgv(e.process.argv)),
  field('process.ancestors', 'strings', 'argv[0] of each ancestor up to the control script.', (e) =>
    e.process.ancestryArgv.flatMap((argv) => (argv[0] === undefined ? [] : [argv[0]])),
  ),
  field('process.root', 'string', 'Real path of the acting process\'s root directory.', (e) => e.process.root),
  field('process.cwd', 'string', 'Real path of the acting process\'s working directory.', (e) => e.process.cwd),
  field('location.file', 'string', 'Script file of the xtrace line that caused the event.', (e) => e.location?.file),
  field('location.line', 'number', 'Script line that caused the event.', (e) => e.location?.line),
  field('location.source', 'string', 'Text of that script line.', (e) => e.location?.source),
  field('signal.name', 'string', 'Signal name, e.g. `SIGKILL`.', (e) => e.signal?.name, { classes: SIGNAL }),
  field('signal.number', 'number', 'Signal number (0 only probes).', (e) => e.signal?.number, { classes: SIGNAL }),
  field('target.kind', 'string', 'A signal\'s or process change\'s target: one process, a process group, or every process (-1; a process change: every process of a user).', (e) => (e.signal ?? e.change)?.target.kind ?? e.subject?.target?.kind, {
    values: ['process', 'group', 'all'],
    classes: TARGET,
  }),
  field('target.origin', 'string', 'Origin of the process acted on (signal, ptrace, /proc traversal).', (e) => targetProcess(e)?.origin, {
    values: [...ORIGINS, 'unknown'],
    classes: TARGET,
  }),
  field('target.pid', 'number', 'Its pid in strace\'s namespace.', (e) => targetProcess(e)?.pid, { classes: TARGET }),
  field('target.nsPid', 'number', 'Its pid as the tracee named it.', (e) => targetProcess(e)?.nsPid, { classes: TARGET }),
  field('target.name', 'string', 'Its name (daemon name or argv[0]).', (e) => targetProcess(e)?.name, { classes: TARGET }),
  field('target.pgid', 'number', 'Process group signalled or changed (`kill(-pgid)`; 0 = own group).', (e) => groupTarget(e)?.pgid, { classes: SIGNAL_LIKE }),
  field('target.containsOutside', 'boolean', 'That group may hold a process not started inside runcmd.', (e) => groupTarget(e)?.containsOutside, { classes: SIGNAL_LIKE }),
  field('socket.op', 'string', 'The socket operation.', (e) => e.socket?.op, { values: ['connect', 'sendto', 'sendmsg', 'sendmmsg', 'bind', 'listen'], classes: SOCKET }),
  field('socket.family', 'string', 'Address family.', (e) => e.socket?.endpoint.family, { values: ['unix', 'inet', 'inet6', 'netlink', 'other'], classes: SOCKET }),
  field('socket.type', 'string', '`stream`, `dgram` or `seqpacket`.', (e) => e.socket?.endpoint.type, { classes: SOCKET }),
  field('socket.path', 'string', 'Unix socket path as named (`@name` = abstract).', (e) => e.socket?.endpoint.path, { classes: SOCKET }),
  field('socket.realPath', 'string', 'Real path of a unix socket.', (e) => e.socket?.endpoint.realPath, { classes: SOCKET }),
  field('socket.tree', 'string', 'Tree of a unix socket\'s real path.', (e) => e.socket?.endpoint.tree, { values: TREES, classes: SOCKET }),
  field('socket.address', 'string', 'IP address.', (e) => e.socket?.endpoint.address, { classes: SOCKET }),
  field('socket.port', 'number', 'IP port.', (e) => e.socket?.endpoint.port, { classes: SOCKET }),
  field('socket.servedBy', 'string', 'Who serves the endpoint.', (e) => e.socket?.endpoint.servedBy, {
    values: [...ORIGINS, 'unknown', 'none'],
    classes: SOCKET,
  }),
  field('socket.server', 'string', 'Name of the serving daemon.', (e) => e.socket?.endpoint.server, { classes: SOCKET }),
  field('socket.endpoint', 'string', 'The endpoint as text: `unix:/dev/log`, `tcp:127.0.0.1:2121`.', (e) => (e.socket === undefined ? undefined : formatEndpoint(e.socket.endpoint)), { classes: SOCKET }),
  field('fs.op', 'string', 'The file change.', (e) => e.fs?.op, { values: FS_OPS, classes: FS }),
  field('path.path', 'string', 'The path as the process named it.', (e) => e.fs?.target.path, { classes: FS }),
  field('path.real', 'string', 'The real path the kernel used.', (e) => e.fs?.target.real, { classes: FS }),
  field('path.jail', 'string', 'The real path as the acting process sees it (inside its root): `/dev/vg00/rlvol3` however it was named.', (e) =>
    e.fs === undefined ? undefined : (jailView(e.process.root, e.fs.target.real) ?? e.fs.target.real), { classes: FS }),
  field('path.tree', 'string', 'Which tree the real path is in.', (e) => e.fs?.target.tree, { values: TREES, classes: FS }),
  field('path.second.path', 'string', 'rename/link/symlink: the second path as named.', (e) => e.fs?.target.second?.path, { classes: FS }),
  field('path.second.real', 'string', 'Its real path.', (e) => e.fs?.target.second?.real, { classes: FS }),
  field('path.second.tree', 'string', 'Its tree.', (e) => e.fs?.target.second?.tree, { values: TREES, classes: FS }),
  field('exec.path', 'string', 'The program path as the process named it.', (e) => e.exec?.path, { classes: EXEC }),
  field('exec.realPath', 'string', 'The program\'s real path.', (e) => e.exec?.realPath, { classes: EXEC }),
  field('exec.name', 'string', 'Base name of `exec.path`.', (e) => (e.exec === undefined ? undefined : basename(e.exec.path)), { classes: EXEC }),
  field('exec.payload', 'boolean', 'The program is one the package installs (the run\'s payload list), by its path, real path or, for a bare name, base name.', (e) =>
    e.exec === undefined ? undefined : e.exec.payload === true, { classes: EXEC }),
  field('exec.standin', 'boolean', 'The program that ran is a stand-in branch exploration put where the script looked for a program the system lacked (the run\'s standins list): what the real one does is unknown.', (e) =>
    e.exec === undefined ? undefined : e.exec.standin === true, { classes: EXEC }),
  field('exec.argv', 'strings', 'Every element of the new argv.', (e) => e.exec?.argv, { classes: EXEC }),
  field('exec.argv0', 'string', 'argv[0] of the new argv.', (e) => e.exec?.argv[0], { classes: EXEC }),
  field('exec.args', 'strings', 'argv[1..] of the new argv.', (e) => e.exec?.argv.slice(1), {
    classes: EXEC,
    tail: { of: (e) => e.exec?.argv, skip: 1 },
  }),
  field('exec.cmdline', 'string', 'The new argv joined with spaces.', (e) => (e.exec === undefined ? undefined : formatArgv(e.exec.argv)), { classes: EXEC }),
  field('exit.code', 'number', 'Exit status.', (e) => e.exit?.code, { classes: ['process-exit'] }),
  field('exit.signal', 'string', 'Signal that ended the process.', (e) => e.exit?.signal, { classes: ['process-exit'] }),
  field('exit.outlivedScript', 'boolean', 'Still running when its control script ended.', (e) => e.exit?.outlivedScript, { classes: ['process-exit'] }),
  field('change.kind', 'string', 'What a process change changes.', (e) => e.change?.kind, { values: CHANGE_KINDS, classes: CHANGE }),
  field('change.detail', 'string', 'The call\'s arguments as strace printed them.', (e) => e.change?.detail, { classes: CHANGE }),
  field('ipc.kind', 'string', 'The IPC object: System V message queue, semaphore set or shared memory, or POSIX message queue.', (e) => e.ipc?.kind, { values: IPC_KINDS, classes: IPC }),
  field('ipc.op', 'string', 'What was done to it.', (e) => e.ipc?.op, { values: IPC_OPS, classes: IPC }),
  field('ipc.owner', 'string', 'Whose it is: `booted` (there before the script), the origin of the process that made it, `unknown`; `none` for a failed get or open.', (e) => e.ipc?.owner, {
    values: [...ORIGINS, 'unknown', 'none'],
    classes: IPC,
    // A get's owner and id are what it returned.
    result: true,
  }),
  field('ipc.id', 'number', 'System V id.', (e) => e.ipc?.id, { classes: IPC, result: true }),
  field('ipc.key', 'string', 'System V key as printed (`0x44524453`, `IPC_PRIVATE`), on gets.', (e) => e.ipc?.key, { classes: IPC }),
  field('ipc.name', 'string', 'POSIX queue name (`/name`).', (e) => e.ipc?.name, { classes: IPC }),
  field('ipc.server', 'string', 'The booted daemon serving the object, when the run lists it.', (e) => e.ipc?.server, { classes: IPC }),
  field('subject.kind', 'string', 'What a jail or kernel event acted on (new root, namespace, module, ...).', (e) => e.subject?.kind, { classes: SUBJECT }),
  field('subject.detail', 'string', 'The subject in detail (a path, a module name, ...).', (e) => e.subject?.detail, { classes: SUBJECT }),
  field('subject.tree', 'string', 'Tree of the subject, when it is a path.', (e) => e.subject?.tree, { values: TREES, classes: SUBJECT }),
  field('line.number', 'number', 'The command line of the control script.', (e) => e.coverage?.number, { classes: COVERAGE }),
  field('line.text', 'string', 'The line as written.', (e) => e.coverage?.text, { classes: COVERAGE }),
  field('line.ran', 'boolean', 'It ran (a risky line: its risky command ran); absent when the shell was not tracing there.', (e) => e.coverage?.ran, { classes: COVERAGE }),
  field('line.untraced', 'string', 'Why its run cannot be told.', (e) => e.coverage?.untraced, { values: UNTRACED, classes: COVERAGE }),
  field('line.risky', 'boolean', 'Its command matches an entry of the policy\'s `risky-commands`.', (e) => e.coverage?.risky, { classes: COVERAGE }),
  field('line.risk', 'string', 'The name of that entry.', (e) => e.coverage?.risk, { classes: COVERAGE }),
  field('line.command', 'string', 'Its (risky) command as written.', (e) => e.coverage?.command, { classes: COVERAGE }),
  field('line.why', 'string', 'Why it did not run, when known.', (e) => e.coverage?.why, { classes: COVERAGE }),
];

export const FIELDS_BY_NAME: ReadonlyMap<string, EventField> = new Map(EVENT_FIELDS.map((f) => [f.name, f]));

/**
 * Names a message template may quote besides the event fields: the rule's
 * `rule` id and `title`, and `target` (the one-line description of what was
 * acted on).
 */
export const TEMPLATE_EXTRAS = ['rule', 'title', 'target'] as const;
