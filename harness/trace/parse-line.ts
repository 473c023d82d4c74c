/**
 * One strace line to one record, without context from other lines: a complete
 * call, the head of an `<unfinished ...>` call, the tail of a `<... resumed>`
 * call, a signal, an exit, a message from strace, or a reason it is unreadable.
 * `TraceParser` joins heads and tails and attributes unprefixed lines to a pid.
 */
import { durationAt, durationStart, parseReturn } from './parse-return.js';
import { readPrefix, type MutablePrefix } from './parse-prefix.js';
import { isIdentChar, isIdentStart } from './scan-args.js';
import { parseSignalBody, parseExitBody, parseStraceMessage } from './parse-status-line.js';
import { findCallClose } from './skip-value.js';
import type { ExitEvent, ReturnValue, SignalEvent, StraceMessageEvent } from './trace-event.js';

interface RecordBase {
  readonly pid: number | undefined;
  readonly time: number | undefined;
}

/** The return value and the `-T` duration of a call. */
export interface CallResult {
  readonly ret: ReturnValue;
  /** Seconds (`-T`). */
  readonly duration: number | undefined;
}

/** A complete call. Its arguments are `argsText` (at `argsStart` in the line), typed by `scanArgs` when needed. */
export interface SyscallRecord extends RecordBase, CallResult {
  readonly kind: 'syscall';
  readonly name: string;
  readonly argsText: string;
  readonly argsStart: number;
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
  readonly result: CallResult;
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

/** Reused for every line: `parseLine` is not re-entrant and keeps nothing in it. */
const PREFIX: MutablePrefix = { pid: undefined, time: undefined, body: 0 };

/** Parses one line (without its newline). Never throws on any input. */
export function parseLine(raw: string): LineRecord {
  if (raw.startsWith('strace: ')) return { pid: undefined, time: undefined, ...parseStraceMessage(raw) };
  if (!readPrefix(raw, PREFIX)) return invalid(undefined, undefined, 'malformed [pid N] prefix');
  const { pid, time, body } = PREFIX;
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
  const close = findCallClose(raw, open + 1, len);
  if (close === -1) return invalid(pid, time, 'no `) = ` after the arguments (truncated line?)');
  const dStart = durationStart(raw, len);
  const ret = parseReturn(raw, close + 1, dStart);
  if (ret === undefined) return invalid(pid, time, 'expected ` = <return value>` after the arguments');
  return {
    kind: 'syscall',
    pid,
    time,
    name,
    argsText: raw.slice(open + 1, close),
    argsStart: open + 1,
    ret,
    duration: dStart < len ? durationAt(raw, dStart, len) : undefined,
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
  const dStart = durationStart(raw, len);
  const duration = dStart < len ? durationAt(raw, dStart, len) : undefined;
  if (raw.startsWith(`${UNFINISHED})`, rest)) {
    const ret = parseReturn(raw, rest + UNFINISHED.length + 1, dStart) ?? UNKNOWN_RETURN;
    return { kind: 'resumed', pid, time, name, argsText: '', result: { ret, duration }, killed: true };
  }
  const close = findCallClose(raw, rest, len);
  if (close === -1) return invalid(pid, time, 'no `) = ` after `<... resumed>` (truncated line?)');
  const ret = parseReturn(raw, close + 1, dStart);
  if (ret === undefined) return invalid(pid, time, 'expected ` = <return value>` after the arguments');
  return { kind: 'resumed', pid, time, name, argsText: raw.slice(rest, close), result: { ret, duration }, killed: false };
}

/** The return of a call that never returned. */
export const UNKNOWN_RETURN: ReturnValue = {
  value: null,
  text: '?',
  errno: undefined,
  errnoText: undefined,
  decoration: undefined,
  tracerValue: undefined,
  annotation: undefined,
};

function invalid(pid: number | undefined, time: number | undefined, message: string): InvalidRecord {
  return { kind: 'invalid', pid, time, message };
}
