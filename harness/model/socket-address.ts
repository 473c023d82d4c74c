/**
 * Socket addresses from strace's sockaddr structs and `-yy` socket decorations.
 */
import type { FdArg, SocketDecoration, TraceArg } from '../trace/trace-event.js';
import type { SocketFamily } from './model-event.js';
import { structField } from './trace-args.js';

export interface SocketAddress {
  readonly family: SocketFamily;
  /** Unix path as named, abstract names as `@name`. */
  readonly path?: string;
  readonly pathTruncated?: boolean;
  readonly address?: string;
  readonly port?: number;
}

/** `{sa_family=AF_UNIX, sun_path="/dev/log"}`, `{sa_family=AF_INET, sin_port=htons(69), sin_addr=inet_addr("127.0.0.1")}`, ... */
export function parseSockaddr(arg: TraceArg | undefined): SocketAddress | undefined {
  if (arg?.t !== 'struct') return undefined;
  const familyArg = structField(arg, 'sa_family') ?? structField(arg, 'nl_family');
  const familyText = familyArg?.t === 'other' ? (familyArg.name ?? familyArg.text) : familyArg?.t === 'flags' ? familyArg.names[0] : undefined;
  switch (familyText) {
    case 'AF_UNIX':
    case 'AF_LOCAL':
      return unixAddress(structField(arg, 'sun_path'));
    case 'AF_INET':
      return inetAddress('inet', callString(structField(arg, 'sin_addr')), callNumber(structField(arg, 'sin_port')));
    case 'AF_INET6': {
      let address: string | undefined;
      for (const [, value] of arg.fields) {
        // `inet_pton(AF_INET6, "::1", &sin6_addr)` is printed as an unnamed element.
        if (value.t === 'other' && value.name === 'inet_pton') address = value.callArgs?.[1]?.t === 'str' ? value.callArgs[1].value : address;
      }
      return inetAddress('inet6', address ?? callString(structField(arg, 'sin6_addr')), callNumber(structField(arg, 'sin6_port')));
    }
    case 'AF_NETLINK':
      return { family: 'netlink' };
    default:
      return { family: 'other' };
  }
}

function unixAddress(pathArg: TraceArg | undefined): SocketAddress {
  if (pathArg?.t === 'str') return { family: 'unix', path: pathArg.value, pathTruncated: pathArg.truncated };
  if (pathArg?.t === 'other') {
    // Abstract names print as @"name"; keep the `@` and drop the quotes.
    const m = /^@"((?:[^"\\]|\\.)*)"(\.\.\.)?$/.exec(pathArg.text);
    if (m) return { family: 'unix', path: `@${m[1] ?? ''}`, pathTruncated: m[2] !== undefined };
    return { family: 'unix', path: pathArg.text };
  }
  return { family: 'unix' };
}

function inetAddress(family: SocketFamily, address: string | undefined, port: number | undefined): SocketAddress {
  return { family, ...(address !== undefined ? { address } : {}), ...(port !== undefined ? { port } : {}) };
}

/** `htons(2121)` -> 2121. */
function callNumber(arg: TraceArg | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'num') return arg.value;
  if (arg.t !== 'other') return undefined;
  const first = arg.callArgs?.[0];
  if (first?.t === 'num') return first.value;
  const m = /\((\d+)\)/.exec(arg.text);
  return m ? Number(m[1]) : undefined;
}

/** `inet_addr("127.0.0.1")` -> `127.0.0.1`. */
function callString(arg: TraceArg | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'str') return arg.value;
  if (arg.t !== 'other') return undefined;
  const first = arg.callArgs?.[0];
  if (first?.t === 'str') return first.value;
  const m = /\("([^"]*)"\)/.exec(arg.text);
  return m ? m[1] : undefined;
}

export function socketDecoration(fd: FdArg | undefined): SocketDecoration | undefined {
  return fd?.decoration.kind === 'socket' ? fd.decoration.socket : undefined;
}

export function familyOf(d: SocketDecoration | undefined): SocketFamily | undefined {
  switch (d?.protocol) {
    case undefined:
      return undefined;
    case 'UNIX':
    case 'UNIX-STREAM':
    case 'UNIX-DGRAM':
    case 'UNIX-SEQPACKET':
      return 'unix';
    case 'TCP':
    case 'UDP':
    case 'UDPLITE':
      return 'inet';
    case 'TCPv6':
    case 'UDPv6':
      return 'inet6';
    case 'NETLINK':
      return 'netlink';
    default:
      return 'other';
  }
}

/** `stream`, `dgram` or `seqpacket`; undefined for a plain `UNIX` decoration, which does not say. */
export function typeOf(d: SocketDecoration | undefined): string | undefined {
  switch (d?.protocol) {
    case 'UNIX-STREAM':
    case 'TCP':
    case 'TCPv6':
      return 'stream';
    case 'UNIX-DGRAM':
    case 'UDP':
    case 'UDPv6':
    case 'UDPLITE':
      return 'dgram';
    case 'UNIX-SEQPACKET':
      return 'seqpacket';
    default:
      return undefined;
  }
}

/** The remote side an inet decoration shows (`TCP:[127.0.0.1:40000->127.0.0.1:2121]`). */
export function decoratedRemote(d: SocketDecoration | undefined): { readonly address: string; readonly port: number } | undefined {
  if (d?.remote === undefined) return undefined;
  return splitHostPort(d.remote);
}

/** `127.0.0.1:2121`, `[::1]:2121`. */
export function splitHostPort(text: string): { readonly address: string; readonly port: number } | undefined {
  const cut = text.lastIndexOf(':');
  if (cut <= 0) return undefined;
  const port = Number(text.slice(cut + 1));
  if (!Number.isInteger(port)) return undefined;
  let address = text.slice(0, cut);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  return { address, port };
}
