/**
 * The `SyscallEvent` the parser delivers. What most consumers never read is
 * decoded on first read and then kept: the typed arguments (`args`,
 * `argNames`, `argsIncomplete`: typing every argument of every line costs
 * more than reading the rest of the line, and most calls of a trace, such as
 * mmap, fstat or rt_sigaction, are never looked at), `time` and `duration`.
 *
 * Those are getters, so an object spread (`{ ...event }`) or
 * `structuredClone` does not copy them; `JSON.stringify` does (`toJSON`).
 * Use `plainSyscall(event)` for a plain copy.
 */
import { durationAt } from './parse-return.js';
import { timeAt } from './parse-prefix.js';
import { scanArgs, type ScannedArgs } from './scan-args.js';
import type { ReturnValue, SyscallEvent, TraceArg } from './trace-event.js';

export class ParsedSyscall implements SyscallEvent {
  readonly kind = 'syscall' as const;
  /** Set by the parser (0 from `parseLine`). */
  line: number;
  /** The line as read; the parser replaces it by both lines when it rejoined a line strace split. */
  raw: string;
  /** Set by the parser: the prefix pid, or the one learnt for unprefixed lines (-1 from `parseLine` when unprefixed). */
  pid: number;
  readonly name: string;
  readonly argsText: string;
  readonly ret: ReturnValue;
  readonly endLine: number | undefined;
  readonly unfinished: boolean | undefined;
  // Where the lazily read parts are. One object per call keeps the hot path to one allocation.
  /** The text holding the arguments (the raw line, or the joined argument text), and their range in it. */
  readonly #source: string;
  readonly #from: number;
  readonly #to: number;
  /** The line with the timestamp and where it starts (-1: none). */
  readonly #timeLine: string;
  readonly #timeStart: number;
  /** The line with the `-T` duration and where its ` <` starts (-1: none). */
  readonly #durationLine: string;
  readonly #durationStart: number;
  /** Known incomplete whatever the scan says (an unfinished call, a resume without its head). */
  readonly #incomplete: boolean;
  #scanned: ScannedArgs | undefined = undefined;

  constructor(
    line: number,
    raw: string,
    pid: number,
    name: string,
    argsText: string,
    ret: ReturnValue,
    endLine: number | undefined,
    unfinished: boolean | undefined,
    source: string,
    from: number,
    to: number,
    timeLine: string,
    timeStart: number,
    durationLine: string,
    durationStart: number,
    incomplete: boolean,
  ) {
    this.line = line;
    this.raw = raw;
    this.pid = pid;
    this.name = name;
    this.argsText = argsText;
    this.ret = ret;
    this.endLine = endLine;
    this.unfinished = unfinished;
    this.#source = source;
    this.#from = from;
    this.#to = to;
    this.#timeLine = timeLine;
    this.#timeStart = timeStart;
    this.#durationLine = durationLine;
    this.#durationStart = durationStart;
    this.#incomplete = incomplete;
  }

  get time(): number | undefined {
    return this.#timeStart < 0 ? undefined : timeAt(this.#timeLine, this.#timeStart);
  }

  get duration(): number | undefined {
    return this.#durationStart < 0 ? undefined : durationAt(this.#durationLine, this.#durationStart);
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
    // The range ends where the line scan matched the top-level `)`: read to its end.
    this.#scanned ??= scanArgs(this.#source, this.#from, this.#to, 0);
    return this.#scanned;
  }
}

/** A plain-object copy with every lazily read part decoded (safe to spread or clone). */
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
