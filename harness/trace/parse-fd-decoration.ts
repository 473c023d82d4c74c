/**
 * strace's `-y`/`-yy` fd decorations: the `<...>` after an fd number.
 *
 * Real strace 6.1 output this is written against:
 *   3</tmp/st/we\76ird\nname>        path; `<` `>` `"` `\` and non-printables escaped
 *   0</dev/null<char 1:3>>           device numbers nested with -yy
 *   5</tmp/del.txt>(deleted)          `(deleted)` follows the closing `>`
 *   7<UNIX-STREAM:[9345,"/tmp/s.sock"]>  socket paths are quoted; `>` inside quotes is raw
 *   9<UNIX-STREAM:[9347->9346,@"abstract"]>
 *   4<TCP:[127.0.0.1:44110->127.0.0.1:51899]>  14<TCPv6:[[::1]:39577]>
 *   16<NETLINK:[ROUTE:4468]>  5<pid:17881>  3<pipe:[123]>  4<anon_inode:[eventfd]>
 */
import { readQuotedString, unescapeC } from './decode-c-string.js';
import { findDecorationEnd } from './skip-value.js';
import type { FdDecoration, SocketDecoration, SocketProtocol } from './trace-event.js';

const GT = 62;
const QUOTE = 34;

export { findDecorationEnd };

const NONE: FdDecoration = { kind: 'none' };
export const NO_DECORATION = NONE;

/** Classifies the text between `<` and `>` (exclusive range). */
export function parseFdDecoration(text: string, start: number, end: number, deleted = false): FdDecoration {
  if (start >= end) return NONE;
  if (text.charCodeAt(start) === 47 /* / */) return pathDecoration(text, start, end, deleted);
  const colon = text.indexOf(':', start);
  if (colon > start && colon < end && text.charCodeAt(colon + 1) === 91 /* [ */ && text.charCodeAt(end - 1) === 93) {
    const protocolText = text.slice(start, colon);
    const protocol = socketProtocol(protocolText);
    if (protocol !== undefined) {
      return { kind: 'socket', socket: socketDecoration(text, protocol, protocolText, colon + 2, end - 1, start, end) };
    }
  }
  return { kind: 'other', text: text.slice(start, end) };
}

function pathDecoration(text: string, start: number, end: number, deleted: boolean): FdDecoration {
  // -yy appends `<char 1:3>` / `<block 8:1>` to device paths; paths escape their own `<`.
  let pathEnd = end;
  let device: string | undefined;
  if (text.charCodeAt(end - 1) === GT) {
    const open = text.lastIndexOf('<', end - 1);
    if (open > start) {
      pathEnd = open;
      device = text.slice(open + 1, end - 1);
    }
  }
  const path = unescapeC(text, start, pathEnd);
  if (device !== undefined) return deleted ? { kind: 'path', path, deleted, device } : { kind: 'path', path, device };
  return deleted ? { kind: 'path', path, deleted } : { kind: 'path', path };
}

const PROTOCOLS: ReadonlyMap<string, SocketProtocol> = new Map<string, SocketProtocol>([
  ['UNIX', 'UNIX'],
  ['UNIX-STREAM', 'UNIX-STREAM'],
  ['UNIX-DGRAM', 'UNIX-DGRAM'],
  ['UNIX-SEQPACKET', 'UNIX-SEQPACKET'],
  ['TCP', 'TCP'],
  ['TCPv6', 'TCPv6'],
  ['UDP', 'UDP'],
  ['UDPv6', 'UDPv6'],
  ['NETLINK', 'NETLINK'],
  ['UDPLITE', 'UDPLITE'],
  ['UDPLITEv6', 'UDPLITE'],
  ['RAW', 'RAW'],
  ['RAWv6', 'RAW'],
  ['socket', 'OTHER'],
]);

/** Protocol words that are not sockets but share the `name:[...]` shape. */
const NOT_SOCKETS = new Set(['pipe', 'anon_inode', 'net', 'mnt', 'pid', 'user', 'uts', 'ipc', 'cgroup', 'time']);

function socketProtocol(word: string): SocketProtocol | undefined {
  const known = PROTOCOLS.get(word);
  if (known !== undefined) return known;
  if (NOT_SOCKETS.has(word)) return undefined;
  // Other families strace knows (PACKET, SCTP, L2TP/IP, ...): upper-case words.
  const c = word.charCodeAt(0);
  return c >= 65 && c <= 90 ? 'OTHER' : undefined;
}

/** Parses the inside of `PROTO:[...]` (range `[from, to)` excludes the brackets). */
function socketDecoration(
  text: string,
  protocol: SocketProtocol,
  protocolText: string,
  from: number,
  to: number,
  whole: number,
  wholeEnd: number,
): SocketDecoration {
  const raw = text.slice(whole, wholeEnd);
  const base = { protocol, protocolText, text: raw };
  if (protocol.startsWith('UNIX')) return unixDetail(text, from, to, base);
  // Inet: `[9341]` (inode only, unbound), `[127.0.0.1:51899]`, `[a:p->b:q]`, `[[::1]:39577]`.
  // Netlink: `[9353]` or, once bound, `[ROUTE:4468]` (kept as `local`).
  const inode = digitsValue(text, from, to);
  if (inode !== undefined) return { ...base, inode };
  const arrow = text.indexOf('->', from);
  if (arrow !== -1 && arrow < to) {
    return { ...base, local: text.slice(from, arrow), remote: text.slice(arrow + 2, to) };
  }
  return { ...base, local: text.slice(from, to) };
}

/** `9345`, `9347->9346`, `9345,"/path"`, `9347->9346,@"abstract"`. */
function unixDetail(text: string, from: number, to: number, base: { protocol: SocketProtocol; protocolText: string; text: string }): SocketDecoration {
  let i = from;
  let inode = 0;
  let digits = 0;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    inode = inode * 10 + (c - 48);
    digits++;
    i++;
  }
  const result: { -readonly [K in keyof SocketDecoration]: SocketDecoration[K] } = { ...base };
  if (digits > 0) result.inode = inode;
  if (text.startsWith('->', i)) {
    i += 2;
    let peer = 0;
    let peerDigits = 0;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      peer = peer * 10 + (c - 48);
      peerDigits++;
      i++;
    }
    if (peerDigits > 0) result.peerInode = peer;
  }
  if (text.charCodeAt(i) === 44 /* , */) {
    i++;
    const abstract = text.charCodeAt(i) === 64; /* @ */
    if (abstract) i++;
    if (text.charCodeAt(i) === QUOTE) {
      const s = readQuotedString(text, i, to);
      result.path = abstract ? `@${s.value}` : s.value;
    }
  }
  return result;
}

function digitsValue(text: string, from: number, to: number): number | undefined {
  if (from >= to) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  return value;
}
