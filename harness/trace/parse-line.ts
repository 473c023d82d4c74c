/**
 * One strace line to one record, without context from other lines: a complete
 * call, the head of an `<unfinished ...>` call, the tail of a `<... resumed>`
 * call, a signal, an exit, a message from strace, or a reason it is unreadable.
 * `TraceParser` joins heads and tails and attributes unprefixed lines to a pid.
 */
import { durationStart, hasReturn, parseReturn, UNKNOWN_RETURN } from './parse-return.js';
import { readPrefix, timeAt, type PrefixSlots } from './parse-prefix.js';
import { ParsedSyscall } from './parsed-syscall.js';
import { isIdentChar, isIdentStart } from './scan-args.js';
import { parseSignalBody, parseExitBody, parseStraceMessage } from './parse-status-line.js';
import { findCallClose } from './skip-value.js';
import type { ExitEvent, ReturnValue, SignalEvent, StraceMessageEvent } from './trace-event.js';

interface RecordBase {
  /** Pid of the prefix; undefined when the line has none. */
  readonly pid: number | undefined;
  readonly time: number | undefined;
}

/** `name(args <unfinished ...>`; `detached` for strace's `<detached ...>` (it let go of the process mid-call). */
export interface UnfinishedRecord extends RecordBase {
  readonly kind: 'unfinished';
  readonly name: string;
  readonly argsText: string;
  readonly detached: boolean;
  /** Index of the timestamp in the line (-1: none). */
  readonly timeStart: number;
}

/** `<... name resumed>rest) = ret`; `killed` for `<... name resumed> <unfinished ...>) = ?` (killed inside the call). */
export interface ResumedRecord extends RecordBase {
  readonly kind: 'resumed';
  readonly name: string;
  readonly argsText: string;
  readonly ret: ReturnValue;
  /** Index of the ` <0.000123>` duration in the line (-1: none). */
  readonly durationStart: number;
  readonly killed: boolean;
}

export type StatusRecord = RecordBase &
  (
    | ({ readonly kind: 'signal' } & Pick<SignalEvent, 'signal' | 'info' | 'siPid' | 'stopped'>)
    | ({ readonly kind: 'exit' } & Pick<ExitEvent, 'code' | 'signal' | 'coreDumped' | 'supersededBy'>)
    | ({ readonly kind: 'strace' } & Pick<StraceMessageEvent, 'message' | 'action' | 'subject'>)
  );

/**
 * A call the consumer does not read (see `ParseTraceOptions.syscalls`): its
 * line was checked to be a whole call (arguments closed, a return value) or an
 * `<unfinished ...>` head or `<... resumed>` tail, but nothing was built.
 * `parseLine` reuses one such record: read it before the next call.
 */
export interface SkippedRecord {
  readonly kind: 'skipped';
  pid: number | undefined;
  /** `unfinished` or `resumed` when the line was half of a split call. */
  part: 'whole' | 'unfinished' | 'resumed';
  /** For a resumed tail: the call ended inside (`<... x resumed> <unfinished ...>) = ?`). */
  killed: boolean;
}

/**
 * One line of strace's hex dump of a call's data (`-e write=FD`, `-e read=FD`):
 * ` | 00000  2b 20 65 63 68 6f 0a                              + echo.          |`.
 * It has no prefix: it belongs to the call printed just before it.
 */
export interface DumpRecord {
  readonly kind: 'dump';
  /** Offset of the line's first byte in the call's data. */
  readonly offset: number;
  /** The bytes, one char per byte (latin1), read from the hex column. */
  readonly data: string;
}

export interface InvalidRecord extends RecordBase {
  readonly kind: 'invalid';
  readonly message: string;
}

/**
 * A complete call comes back as the event itself (no copy on the hot path),
 * with `line` 0 and `pid` -1 when the line has no prefix: the parser sets both.
 */
export type LineRecord = ParsedSyscall | UnfinishedRecord | ResumedRecord | StatusRecord | SkippedRecord | DumpRecord | InvalidRecord;

/** `pid` of a `ParsedSyscall` from `parseLine` whose line had no pid prefix. */
export const NO_PREFIX_PID = -1;

export { UNKNOWN_RETURN };

// What is wrong with a call line, the same whether its call is read or skipped.
export const NO_CALL_CLOSE = 'no `) = ` after the arguments (truncated line?)';
const NO_RESUMED_CLOSE = 'no `) = ` after `<... resumed>` (truncated line?)';
const NO_RETURN = 'expected ` = <return value>` after the arguments';

/**
 * The name strace prints for a call whose number and arguments it could not
 * read (its registers were gone: the process was being killed), `???(`.
 */
export const UNREAD_CALL = '???';
const UNREAD_CALL_OPEN = '???(';

const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const RESUMED_OPEN = '<... ';
const RESUMED_CLOSE = ' resumed>';

/** Reused for every line: `parseLine` is not re-entrant and keeps nothing in it. */
const PREFIX: PrefixSlots = { pid: undefined, timeStart: -1, body: 0 };

const SKIPPED: SkippedRecord = { kind: 'skipped', pid: undefined, part: 'whole', killed: false };

function skipped(pid: number | undefined, part: SkippedRecord['part'], killed: boolean): SkippedRecord {
  SKIPPED.pid = pid;
  SKIPPED.part = part;
  SKIPPED.killed = killed;
  return SKIPPED;
}

/**
 * Parses one line (without its newline). Never throws on any input.
 * `reads`: the syscalls the consumer reads; a call of any other is checked
 * the same way but comes back as a `SkippedRecord`. Default: every call is read.
 */
export function parseLine(raw: string, reads?: ReadonlySet<string>): LineRecord {
  if (raw.startsWith('strace: ')) return { pid: undefined, time: undefined, ...parseStraceMessage(raw) };
  if (raw.charCodeAt(0) === 32 /* space */ && raw.startsWith(DUMP_OPEN)) return parseDump(raw);
  if (!readPrefix(raw, PREFIX)) return invalid(undefined, undefined, 'malformed [pid N] prefix');
  const { pid, timeStart, body } = PREFIX;
  const c = raw.charCodeAt(body);
  if (isIdentStart(c) || (c === 63 /* ? */ && raw.startsWith(UNREAD_CALL_OPEN, body))) return parseCall(raw, body, pid, timeStart, reads);
  const time = timeOf(raw, timeStart);
  if (c === 60 /* < */ && raw.startsWith(RESUMED_OPEN, body)) return parseResumed(raw, body, pid, time, reads);
  if (c === 45 /* - */ && raw.startsWith('--- ', body)) {
    const signal = parseSignalBody(raw, body + 4);
    return signal === undefined ? invalid(pid, time, 'unreadable signal line') : { pid, time, ...signal };
  }
  if (c === 43 /* + */ && raw.startsWith('+++ ', body)) {
    const exit = parseExitBody(raw, body + 4);
    return exit === undefined ? invalid(pid, time, 'unreadable exit line') : { pid, time, ...exit };
  }
  if (raw.startsWith('strace: ', body)) return { pid, time, ...parseStraceMessage(raw.slice(body)) };
  if (body >= raw.length) return invalid(pid, time, 'empty line');
  return invalid(pid, time, 'not a strace line (expected a syscall, signal, exit or strace message)');
}

function parseCall(raw: string, body: number, pid: number | undefined, timeStart: number, reads: ReadonlySet<string> | undefined): LineRecord {
  let open = body;
  let hash = 0;
  const unread = raw.charCodeAt(body) === 63; /* ? */
  if (unread) open += UNREAD_CALL.length;
  else for (let c = raw.charCodeAt(open); isIdentChar(c); c = raw.charCodeAt(++open)) hash = (Math.imul(hash, 31) + c) | 0;
  if (raw.charCodeAt(open) !== 40 /* ( */) return invalid(pid, timeOf(raw, timeStart), 'expected `(` after the syscall name');
  const name = unread ? UNREAD_CALL : internName(raw, body, open, hash);
  const len = raw.length;
  if (reads !== undefined && !reads.has(name)) return skipCall(raw, open, pid, timeStart);
  if (raw.charCodeAt(len - 1) === 62 /* > */) {
    if (raw.endsWith(UNFINISHED)) {
      const argsText = raw.slice(open + 1, len - UNFINISHED.length);
      return { kind: 'unfinished', pid, time: timeOf(raw, timeStart), name, argsText, detached: false, timeStart };
    }
    if (raw.endsWith(DETACHED)) {
      const argsText = raw.slice(open + 1, len - DETACHED.length);
      return { kind: 'unfinished', pid, time: timeOf(raw, timeStart), name, argsText, detached: true, timeStart };
    }
  }
  const close = findCallClose(raw, open + 1, len);
  if (close === -1) return invalid(pid, timeOf(raw, timeStart), NO_CALL_CLOSE);
  const dStart = durationStart(raw, len);
  const ret = parseReturn(raw, close + 1, dStart);
  if (ret === undefined) return invalid(pid, timeOf(raw, timeStart), NO_RETURN);
  const argsText = raw.slice(open + 1, close);
  return new ParsedSyscall(
    0,
    raw,
    pid ?? NO_PREFIX_PID,
    name,
    argsText,
    ret,
    undefined,
    undefined,
    raw,
    open + 1,
    close,
    raw,
    timeStart,
    raw,
    dStart < len ? dStart : -1,
    false,
  );
}

/**
 * The checks `parseCall` makes of a line, without building anything: an
 * `<unfinished ...>` head, or arguments that close and a return value.
 */
function skipCall(raw: string, open: number, pid: number | undefined, timeStart: number): LineRecord {
  const len = raw.length;
  if (raw.charCodeAt(len - 1) === 62 /* > */ && (raw.endsWith(UNFINISHED) || raw.endsWith(DETACHED))) return skipped(pid, 'unfinished', false);
  const close = findCallClose(raw, open + 1, len);
  if (close === -1) return invalid(pid, timeOf(raw, timeStart), NO_CALL_CLOSE);
  if (!hasReturn(raw, close + 1, durationStart(raw, len))) return invalid(pid, timeOf(raw, timeStart), NO_RETURN);
  return skipped(pid, 'whole', false);
}

function parseResumed(raw: string, body: number, pid: number | undefined, time: number | undefined, reads: ReadonlySet<string> | undefined): LineRecord {
  const nameStart = body + RESUMED_OPEN.length;
  let nameEnd = nameStart;
  let hash = 0;
  const unread = raw.startsWith(UNREAD_CALL, nameStart);
  if (unread) nameEnd += UNREAD_CALL.length;
  else for (let c = raw.charCodeAt(nameEnd); isIdentChar(c); c = raw.charCodeAt(++nameEnd)) hash = (Math.imul(hash, 31) + c) | 0;
  if (nameEnd === nameStart || !raw.startsWith(RESUMED_CLOSE, nameEnd)) return invalid(pid, time, 'unreadable `<... resumed>`');
  const name = unread ? UNREAD_CALL : internName(raw, nameStart, nameEnd, hash);
  const rest = nameEnd + RESUMED_CLOSE.length;
  const len = raw.length;
  if (reads !== undefined && !reads.has(name)) {
    if (raw.startsWith(`${UNFINISHED})`, rest)) return skipped(pid, 'resumed', true);
    const close = findCallClose(raw, rest, len);
    if (close === -1) return invalid(pid, time, NO_RESUMED_CLOSE);
    if (!hasReturn(raw, close + 1, durationStart(raw, len))) return invalid(pid, time, NO_RETURN);
    return skipped(pid, 'resumed', false);
  }
  const dStart = durationStart(raw, len);
  const durationAt = dStart < len ? dStart : -1;
  // Killed inside the call: `<... clock_nanosleep resumed> <unfinished ...>) = ?`.
  if (raw.startsWith(`${UNFINISHED})`, rest)) {
    const ret = parseReturn(raw, rest + UNFINISHED.length + 1, dStart) ?? UNKNOWN_RETURN;
    return { kind: 'resumed', pid, time, name, argsText: '', ret, durationStart: durationAt, killed: true };
  }
  const close = findCallClose(raw, rest, len);
  if (close === -1) return invalid(pid, time, NO_RESUMED_CLOSE);
  const ret = parseReturn(raw, close + 1, dStart);
  if (ret === undefined) return invalid(pid, time, NO_RETURN);
  return { kind: 'resumed', pid, time, name, argsText: raw.slice(rest, close), ret, durationStart: durationAt, killed: false };
}

const DUMP_OPEN = ' | ';
const DUMP_CLOSE = ' |';
/** Bytes per dump line; a space more after the eighth. */
const DUMP_WIDTH = 16;

/**
 * A hex dump line, as strace's `dumpstr` prints it: ` | `, the offset in hex,
 * two spaces, 16 slots of `xx ` (`   ` past the data; one more space after the
 * eighth), a space, the bytes as text (`.` for the unprintable), ` |`. The data
 * is read from the hex column, which is exact; the text column is checked for
 * length only.
 */
function parseDump(raw: string): DumpRecord | InvalidRecord {
  let i = DUMP_OPEN.length;
  let offset = 0;
  const start = i;
  for (let h = hexDigit(raw.charCodeAt(i)); h >= 0; h = hexDigit(raw.charCodeAt(++i))) offset = offset * 16 + h;
  if (i === start || !raw.startsWith('  ', i)) return invalid(undefined, undefined, 'unreadable hex dump line (offset)');
  i += 2;
  const bytes: number[] = [];
  let n = 0;
  for (; n < DUMP_WIDTH; n++) {
    if (n === DUMP_WIDTH / 2) {
      if (raw.charCodeAt(i) !== 32) return invalid(undefined, undefined, 'unreadable hex dump line (bytes)');
      i++;
    }
    const hi = hexDigit(raw.charCodeAt(i));
    const lo = hexDigit(raw.charCodeAt(i + 1));
    if (hi < 0 || lo < 0 || raw.charCodeAt(i + 2) !== 32) break;
    bytes.push(hi * 16 + lo);
    i += 3;
  }
  // Empty slots to the full width, a space, one text char per byte padded to the width, ` |`.
  const pad = (DUMP_WIDTH - n) * 3 + (n < DUMP_WIDTH / 2 ? 1 : 0);
  for (let k = 0; k < pad; k++, i++) if (raw.charCodeAt(i) !== 32) return invalid(undefined, undefined, 'unreadable hex dump line (bytes)');
  if (n === 0 || raw.charCodeAt(i) !== 32 || raw.length !== i + 1 + DUMP_WIDTH + DUMP_CLOSE.length || !raw.endsWith(DUMP_CLOSE)) {
    return invalid(undefined, undefined, 'unreadable hex dump line (truncated?)');
  }
  return { kind: 'dump', offset, data: String.fromCharCode(...bytes) };
}

/** A lowercase hex digit's value, else -1 (decode-c-string's hexValue also takes uppercase, which strace's dumps never print). */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Syscall names seen so far, by a hash of their characters: one string per name, not per line. */
const NAMES = new Map<number, string>();
const MAX_NAMES = 4096;

function internName(raw: string, start: number, end: number, hash: number): string {
  const known = NAMES.get(hash);
  if (known !== undefined && known.length === end - start && raw.startsWith(known, start)) return known;
  const name = raw.slice(start, end);
  if (known === undefined && NAMES.size < MAX_NAMES) NAMES.set(hash, name);
  return name;
}

function timeOf(raw: string, timeStart: number): number | undefined {
  return timeStart < 0 ? undefined : timeAt(raw, timeStart);
}

function invalid(pid: number | undefined, time: number | undefined, message: string): InvalidRecord {
  return { kind: 'invalid', pid, time, message };
}
