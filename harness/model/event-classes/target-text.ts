/**
 * The words of one-line descriptions of what an event acted on, for the
 * event classes' target text and the fields that quote it: argv as a shell
 * reads it, endpoints, processes, IPC objects.
 */
import type { IpcObject, ProcessInfo, ProcessOrigin, SignalTarget, SocketEndpoint } from '../model-event.js';

const ORIGIN_LABEL: Readonly<Record<ProcessOrigin | 'unknown', string>> = {
  runcmd: 'runcmd process',
  booted: 'booted daemon',
  sandbox: 'harness process',
  outside: 'process outside runcmd',
  unknown: 'unknown process',
};

const SERVER_LABEL: Readonly<Record<SocketEndpoint['servedBy'], string>> = {
  runcmd: 'served by a runcmd process',
  booted: 'served by a booted daemon',
  sandbox: 'served by a harness process',
  outside: 'served by a process outside runcmd',
  unknown: 'served by an unknown process',
  none: 'with nothing serving it',
};

const NEEDS_QUOTES = /[\s'"\\$`]|^$/;

/** argv as a shell would read it back: elements with blanks or quotes are single-quoted. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (NEEDS_QUOTES.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** `unix:/dev/log`, `unix:@vxconfigd`, `tcp:127.0.0.1:2121`, `udp:[::1]:69`. */
export function formatEndpoint(endpoint: SocketEndpoint): string {
  switch (endpoint.family) {
    case 'unix':
      return `unix:${endpoint.path ?? endpoint.realPath ?? '?'}`;
    case 'inet':
    case 'inet6': {
      const proto = endpoint.type === 'dgram' ? 'udp' : endpoint.type === 'stream' ? 'tcp' : endpoint.family;
      const address = endpoint.address ?? '?';
      const host = endpoint.family === 'inet6' ? `[${address}]` : address;
      return `${proto}:${host}:${endpoint.port ?? '?'}`;
    }
    default:
      return endpoint.family;
  }
}

/** The server part: `served by vxconfigd`, `served by an unknown process`. */
export function describeServer(endpoint: SocketEndpoint): string {
  if (endpoint.server !== undefined && endpoint.servedBy !== 'none') return `served by ${endpoint.server}`;
  return SERVER_LABEL[endpoint.servedBy];
}

/** A process the event acted on, named as the tracee named it. */
export function describeSignalTarget(target: SignalTarget): string {
  switch (target.kind) {
    case 'all':
      return 'every process (pid -1)';
    case 'group':
      if (target.pgid === 0) return `own process group${target.containsOutside ? ' (holds processes outside runcmd)' : ''}`;
      return `process group ${target.pgid}${target.containsOutside ? ' (holds processes outside runcmd)' : ''}`;
    case 'process': {
      const label = ORIGIN_LABEL[target.origin];
      return target.name === undefined ? `pid ${target.nsPid} (${label})` : `${target.name} (pid ${target.nsPid}, ${label})`;
    }
  }
}

/** The acting process, e.g. for a process still running after its script ended. */
export function describeProcess(process: ProcessInfo): string {
  const name = process.exe !== undefined ? basename(process.exe) : process.argv[0];
  const pid = process.nsPid ?? process.pid;
  const label = ORIGIN_LABEL[process.origin];
  return name === undefined ? `pid ${pid} (${label})` : `${basename(name)} (pid ${pid}, ${label})`;
}

const IPC_LABEL: Readonly<Record<IpcObject['kind'], string>> = {
  msg: 'message queue',
  sem: 'semaphore set',
  shm: 'shared memory segment',
  mqueue: 'POSIX message queue',
};

const OWNER_LABEL: Readonly<Record<IpcObject['owner'], string>> = {
  booted: 'of the booted system (there before the script ran)',
  runcmd: 'made by a runcmd process',
  sandbox: 'made by a harness process',
  outside: 'made by a process outside runcmd',
  unknown: 'whose maker the trace does not show',
  none: 'that was not there',
};

/** `message queue id 0 (key 0x44524453) of the booted system (...)`, `POSIX message queue /fixtured ...`. */
export function describeIpc(o: IpcObject): string {
  const which =
    o.name ?? [o.id === undefined ? undefined : `id ${o.id}`, o.key === undefined ? undefined : `(key ${o.key})`].filter((x) => x !== undefined).join(' ');
  const server = o.server === undefined ? '' : ` served by ${o.server},`;
  return `${IPC_LABEL[o.kind]}${which === '' ? '' : ` ${which}`}${server} ${OWNER_LABEL[o.owner]}`;
}
