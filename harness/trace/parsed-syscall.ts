/**
 * The `SyscallEvent` the parser delivers. Its arguments are typed on first
 * read of `args`, `argNames` or `argsIncomplete` (then kept): typing every
 * argument of every line costs more than reading the rest of the line, and
 * most calls in a trace (mmap, fstat, rt_sigaction, ...) are never looked at.
 *
 * These three are getters, so an object spread (`{ ...event }`) or
 * `structuredClone` does not copy them; `JSON.stringify` does (`toJSON`).
 * Use `plainSyscall(event)` for a plain copy.
 */
import { scanArgs, type ScannedArgs } from './scan-args.js';
import type { ReturnValue, SyscallEvent, TraceArg } from './trace-event.js';

export class ParsedSyscall implements SyscallEvent {
  readonly kind = 'syscall' as const;
  readonly line: number;
  readonly raw: string;
  /** Set once when the parser learns the pid of held unprefixed lines. */
  pid: number;
  readonly time: number | undefined;
  readonly name: string;
  readonly argsText: string;
  readonly ret: ReturnValue;
  readonly duration: number | undefined;
  readonly endLine: number | undefined;
  readonly unfinished: boolean | undefined;
  /** Where the argument text is: `source[from, to)` (the raw line, or the joined text). */
  readonly #source: string;
  readonly #from: number;
  readonly #to: number;
  /** Known incomplete whatever the scan says (an unfinished call, a resume without its head). */
  readonly #incomplete: boolean;
  #scanned: ScannedArgs | undefined = undefined;

  constructor(
    line: number,
    raw: string,
    pid: number,
    time: number | undefined,
    name: string,
    argsText: string,
    ret: ReturnValue,
    duration: number | undefined,
    endLine: number | undefined,
    unfinished: boolean | undefined,
    source: string,
    from: number,
    to: number,
    incomplete: boolean,
  ) {
    this.line = line;
    this.raw = raw;
    this.pid = pid;
    this.time = time;
    this.name = name;
    this.argsText = argsText;
    this.ret = ret;
    this.duration = duration;
    this.endLine = endLine;
    this.unfinished = unfinished;
    this.#source = source;
    this.#from = from;
    this.#to = to;
    this.#incomplete = incomplete;
  }

  get args(): readonly TraceArg[] {
    return this.#scan().args;
  }

  get argNames(): readonly (string | undefined)[] | undefined {
    return this.#scan().names;
  }

  get argsIncomplete(): boolean | undefined {
    return this.#incomplete || !this.#scan().complete ? true : undefined;
  }

  toJSON(): SyscallEvent {
    return plainSyscall(this);
  }

  #scan(): ScannedArgs {
    // The argument text ends at `to`: a top-level `)` there was already matched by the line scan.
    this.#scanned ??= scanArgs(this.#source, this.#from, this.#to, 0);
    return this.#scanned;
  }
}

/** A plain-object copy with the arguments typed (safe to spread or clone). */
export function plainSyscall(e: SyscallEvent): SyscallEvent {
  const out: { -readonly [K in keyof SyscallEvent]: SyscallEvent[K] } = {
    kind: 'syscall',
    line: e.line,
    raw: e.raw,
    pid: e.pid,
    name: e.name,
    args: e.args,
    argsText: e.argsText,
    ret: e.ret,
  };
  if (e.time !== undefined) out.time = e.time;
  if (e.endLine !== undefined) out.endLine = e.endLine;
  if (e.duration !== undefined) out.duration = e.duration;
  if (e.unfinished !== undefined) out.unfinished = e.unfinished;
  if (e.argsIncomplete !== undefined) out.argsIncomplete = e.argsIncomplete;
  if (e.argNames !== undefined) out.argNames = e.argNames;
  return out;
}
