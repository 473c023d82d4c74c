/**
 * One strace line to one record, without context from other lines: a complete
 * call, the head of an `<unfinished ...>` call, the tail of a `<... resumed>`
 * call, a signal, an exit, a message from strace, or a reason it is unreadable.
 * `TraceParser` joins heads and tails and attributes unprefixed lines to a pid.
 */
import { parseReturn, type ParsedReturn } from './parse-return.js';
import { parsePrefix } from './parse-prefix.js';
import { scanArgs, isIdentChar, isIdentStart } from './scan-args.js';
import { parseSignalBody, parseExitBody, parseStraceMessage } from './parse-status-line.js';
import { findArgsClose } from './skip-value.js';
import type { ExitEvent, SignalEvent, StraceMessageEvent, TraceArg } from './trace-event.js';

interface RecordBase {
  readonly pid: number | undefined;
  readonly time: number | undefined;
}

export interface SyscallRecord extends RecordBase, ParsedReturn {
  readonly kind: 'syscall';
  readonly name: string;
  readonly args: TraceArg[];
  readonly argNames: (string | undefined)[] | undefined;
  readonly argsText: string;
  readonly argsComplete: boolean;
}

/** `name(args <unfinished ...>`; `detached` for strace's `<detached ...>` (it let go of the process mid-call). */
export interface UnfinishedRecord extends RecordBase {
  readonly kind: 'unfinished';
  readonly name: string;
  readonly argsText: string;
  readonly detached: boolean;
}

/** `<... name resumed>rest) = ret`; `killed` for `<... name resumed> <unfinished ...>) = ?` (killed inside the call). */
export interface ResumedRecord extends RecordBase {
  readonly kind: 'resumed';
  readonly name: string;
  readonly argsText: string;
  readonly result: ParsedReturn;
  readonly killed: boolean;
}

export type StatusRecord = RecordBase &
  (
    | ({ readonly kind: 'signal' } & Pick<SignalEvent, 'signal' | 'info' | 'siPid' | 'stopped'>)
    | ({ readonly kind: 'exit' } & Pick<ExitEvent, 'code' | 'signal' | 'coreDumped' | 'supersededBy'>)
    | ({ readonly kind: 'strace' } & Pick<StraceMessageEvent, 'message' | 'action' | 'subject'>)
  );

export interface InvalidRecord extends RecordBase {
  readonly kind: 'invalid';
  readonly message: string;
}

export type LineRecord = SyscallRecord | UnfinishedRecord | ResumedRecord | StatusRecord | InvalidRecord;

const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const RESUMED_OPEN = '<... ';
const RESUMED_CLOSE = ' resumed>';

/** Parses one line (without its newline). Never throws on any input. */
export function parseLine(raw: string): LineRecord {
  if (raw.startsWith('strace: ')) return { pid: undefined, time: undefined, ...parseStraceMessage(raw) };
  const prefix = parsePrefix(raw);
  if (prefix === undefined) return invalid(undefined, undefined, 'malformed [pid N] prefix');
  const { pid, time, body } = prefix;
  const c = raw.charCodeAt(body);
  if (isIdentStart(c)) return parseCall(raw, body, pid, time);
  if (c === 60 /* < */ && raw.startsWith(RESUMED_OPEN, body)) return parseResumed(raw, body, pid, time);
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

function parseCall(raw: string, body: number, pid: number | undefined, time: number | undefined): LineRecord {
  let open = body + 1;
  while (isIdentChar(raw.charCodeAt(open))) open++;
  if (raw.charCodeAt(open) !== 40 /* ( */) return invalid(pid, time, 'expected `(` after the syscall name');
  const name = raw.slice(body, open);
  const len = raw.length;
  if (raw.charCodeAt(len - 1) === 62 /* > */) {
    if (raw.endsWith(UNFINISHED)) {
      return { kind: 'unfinished', pid, time, name, argsText: raw.slice(open + 1, len - UNFINISHED.length), detached: false };
    }
    if (raw.endsWith(DETACHED)) {
      return { kind: 'unfinished', pid, time, name, argsText: raw.slice(open + 1, len - DETACHED.length), detached: true };
    }
  }
  const scanned = scanArgs(raw, open + 1, len);
  let close = scanned.end - 1;
  let complete = scanned.complete;
  if (!scanned.closed || raw.charCodeAt(close) !== 41) {
    close = findArgsClose(raw, open + 1, len);
    if (close === -1) return invalid(pid, time, 'no closing `)` (truncated line?)');
    complete = false;
  }
  const result = parseReturn(raw, close + 1, len);
  if (result === undefined) return invalid(pid, time, 'expected ` = <return value>` after the arguments');
  return {
    kind: 'syscall',
    pid,
    time,
    name,
    args: scanned.args,
    argNames: scanned.names,
    argsText: raw.slice(open + 1, close),
    argsComplete: complete,
    ret: result.ret,
    ...(result.duration === undefined ? {} : { duration: result.duration }),
  };
}

function parseResumed(raw: string, body: number, pid: number | undefined, time: number | undefined): LineRecord {
  const nameStart = body + RESUMED_OPEN.length;
  let nameEnd = nameStart;
  while (isIdentChar(raw.charCodeAt(nameEnd))) nameEnd++;
  if (nameEnd === nameStart || !raw.startsWith(RESUMED_CLOSE, nameEnd)) return invalid(pid, time, 'unreadable `<... resumed>`');
  const name = raw.slice(nameStart, nameEnd);
  const rest = nameEnd + RESUMED_CLOSE.length;
  const len = raw.length;
  // Killed inside the call: `<... clock_nanosleep resumed> <unfinished ...>) = ?`.
  if (raw.startsWith(`${UNFINISHED})`, rest)) {
    const result = parseReturn(raw, rest + UNFINISHED.length + 1, len) ?? { ret: { value: null, text: '?' } };
    return { kind: 'resumed', pid, time, name, argsText: '', result, killed: true };
  }
  const close = findArgsClose(raw, rest, len);
  if (close === -1) return invalid(pid, time, 'no closing `)` after `<... resumed>` (truncated line?)');
  const result = parseReturn(raw, close + 1, len);
  if (result === undefined) return invalid(pid, time, 'expected ` = <return value>` after the arguments');
  return { kind: 'resumed', pid, time, name, argsText: raw.slice(rest, close), result, killed: false };
}

function invalid(pid: number | undefined, time: number | undefined, message: string): InvalidRecord {
  return { kind: 'invalid', pid, time, message };
}
