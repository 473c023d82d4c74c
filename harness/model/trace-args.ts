/**
 * Tolerant readers over parsed syscall arguments. The parser may spell the
 * same thing several ways (a flag set or a bare constant, a decoded pid or a
 * plain number), so every reader accepts each form it can meet and returns
 * `undefined` rather than throwing.
 */
import type { FdArg, ReturnValue, StructArg, SyscallEvent, TraceArg } from '../trace/trace-event.js';

export const AT_FDCWD = -100;

const PIDNS_COMMENT = /(-?\d+)\s*\/\*\s*(-?\d+) in strace's PID NS\s*\*\//;

export interface StringValue {
  readonly value: string;
  readonly truncated: boolean;
}

export function stringArg(arg: TraceArg | undefined): StringValue | undefined {
  return arg?.t === 'str' ? arg : undefined;
}

/** An fd argument; a bare number or `AT_FDCWD` without decoration is accepted too. */
export function fdArg(arg: TraceArg | undefined): FdArg | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'fd') return arg;
  if (arg.t === 'num') return { t: 'fd', fd: arg.value, decoration: { kind: 'none' } };
  if (arg.t === 'other' && arg.text.startsWith('AT_FDCWD')) return { t: 'fd', fd: AT_FDCWD, decoration: { kind: 'none' } };
  return undefined;
}

/** The real path an fd decoration names, if it names one. */
export function fdPath(arg: FdArg | undefined): string | undefined {
  return arg?.decoration.kind === 'path' ? arg.decoration.path : undefined;
}

export function numberArg(arg: TraceArg | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'num' || arg.t === 'pid') return arg.value;
  if (arg.t === 'fd') return arg.fd;
  if (arg.t === 'other') {
    const n = Number.parseInt(arg.text, 10);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** Symbolic names of a flags argument (`O_WRONLY|O_CREAT` or a lone `O_RDONLY`). */
export function flagNames(arg: TraceArg | undefined): readonly string[] {
  if (arg === undefined) return [];
  if (arg.t === 'flags') return arg.names;
  if (arg.t === 'other') return arg.text.split('|');
  return [];
}

export interface PidValue {
  /** As the tracee wrote it. */
  readonly value: number;
  /** In strace's namespace, when strace translated it. */
  readonly tracerValue?: number;
}

/** A pid argument as a `PidArg`, a number, or text still carrying strace's `/* N in strace's PID NS *\/`. */
export function pidArg(arg: TraceArg | undefined): PidValue | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'pid') return arg.tracerValue === undefined ? { value: arg.value } : { value: arg.value, tracerValue: arg.tracerValue };
  if (arg.t === 'num') return { value: arg.value };
  if (arg.t === 'other') {
    const m = PIDNS_COMMENT.exec(arg.text);
    if (m) return { value: Number(m[1]), tracerValue: Number(m[2]) };
    const n = Number.parseInt(arg.text, 10);
    return Number.isNaN(n) ? undefined : { value: n };
  }
  return undefined;
}

/** The strace-namespace pid strace added to a return value (`= 3 /* 1234 in strace's PID NS *\/`). */
export function returnTracerPid(ret: ReturnValue, raw: string): number | undefined {
  if (ret.tracerValue !== undefined) return ret.tracerValue;
  for (const text of [ret.annotation, ret.text]) {
    if (text === undefined) continue;
    const m = /\/\*\s*(-?\d+) in strace's PID NS\s*\*\//.exec(text);
    if (m) return Number(m[1]);
  }
  // Last resort: the comment after `= N` in the raw line(s).
  const at = raw.lastIndexOf(') = ');
  if (at < 0) return undefined;
  const m = PIDNS_COMMENT.exec(raw.slice(at + 4));
  return m ? Number(m[2]) : undefined;
}

export function structField(arg: TraceArg | undefined, name: string): TraceArg | undefined {
  if (arg?.t !== 'struct') return undefined;
  for (const [key, value] of arg.fields) if (key === name) return value;
  return undefined;
}

export function asStruct(arg: TraceArg | undefined): StructArg | undefined {
  return arg?.t === 'struct' ? arg : undefined;
}

/** The call succeeded. An unfinished call counts as done: it may have taken effect. */
export function succeeded(e: SyscallEvent): boolean {
  if (e.ret.errno !== undefined) return false;
  if (e.ret.value === null) return true;
  return e.ret.value !== -1;
}

/** Argv strings of an exec's array argument. */
export function argvOf(arg: TraceArg | undefined): { readonly argv: readonly string[]; readonly truncated: boolean } {
  if (arg?.t !== 'array') return { argv: [], truncated: false };
  const argv: string[] = [];
  let truncated = arg.truncated;
  for (const item of arg.items) {
    if (item.t === 'str') {
      argv.push(item.value);
      if (item.truncated) truncated = true;
    }
  }
  return { argv, truncated };
}
