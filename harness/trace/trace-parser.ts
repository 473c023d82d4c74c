/**
 * The streaming strace parser: feed it lines, it delivers `TraceEvent`s and
 * `TraceParseIssue`s to a sink in trace order, joining `<unfinished ...>` /
 * `<... resumed>` pairs across interleaved pids and attributing unprefixed
 * lines. Memory stays bounded by the number of calls in flight, not the trace.
 */
import {
  NO_CALL_CLOSE,
  NO_PREFIX_PID,
  parseLine,
  UNKNOWN_RETURN,
  type DumpRecord,
  type LineRecord,
  type ResumedRecord,
  type SkippedRecord,
  type UnfinishedRecord,
} from './parse-line.js';
import { CallDumps } from './call-dumps.js';
import { PidTracker } from './pid-tracker.js';
import { readPrefix, type PrefixSlots } from './parse-prefix.js';
import { ParsedSyscall } from './parsed-syscall.js';
import type { TraceEvent, TraceParseSummary } from './trace-event.js';
import type { ParseTraceOptions, TraceSink } from './trace-sink.js';
import type { Mutable } from '../mutable.js';

/** Placeholder pid of events held until the first traced pid is known. */
const UNKNOWN_PID = -1;
/** Events held while the first pid is unknown before giving up and using 0. */
const MAX_HELD = 10_000;
/** Raw text kept in an issue. */
const ISSUE_RAW_CHARS = 500;

const STRACE_PROCESS = 'strace: Process ';

const FORKS = new Set(['clone', 'clone3', 'fork', 'vfork']);

/**
 * Calls the parser reads itself whatever the sink reads: forks announce
 * children and getpid() names the first process of an unprefixed trace.
 */
export const PARSER_READS: ReadonlySet<string> = new Set([...FORKS, 'getpid', 'gettid']);

interface Pending {
  readonly record: UnfinishedRecord;
  readonly line: number;
  readonly raw: string;
  readonly pid: number;
}

export class TraceParser {
  private readonly sink: TraceSink;
  private readonly file: string | undefined;
  private readonly maxIssues: number;
  private readonly pids: PidTracker;
  /** Calls the sink reads (undefined: all). */
  private readonly reads: ReadonlySet<string> | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Events waiting for the first pid (only on stderr-style traces). */
  private held: TraceEvent[] | undefined;
  private lines = 0;
  private bytes = 0;
  private events = 0;
  /** Lines of calls nobody reads. */
  private skipped = 0;
  private issues = 0;
  private unresumed = 0;
  private ended = false;
  /** Hex dump lines, joined into one event per call. */
  private readonly dumps = new CallDumps();
  /** The head of a line strace split with one of its own messages. */
  private split: { line: number; raw: string; head: string; message: string } | undefined;

  constructor(sink: TraceSink, options: ParseTraceOptions = {}) {
    this.sink = sink;
    this.file = options.file;
    this.maxIssues = options.maxIssues ?? 1000;
    this.pids = new PidTracker(options.pid);
    this.reads = options.syscalls === undefined ? undefined : new Set([...options.syscalls, ...PARSER_READS]);
  }

  /** One line without its newline. `byteLength` is what it took in the input (default: its length plus the newline). */
  push(raw: string, byteLength: number = raw.length + 1): void {
    const line = ++this.lines;
    this.bytes += byteLength;
    const split = this.split;
    if (split !== undefined) {
      // (No dump is armed or pending here: the split line ended any.)
      this.split = undefined;
      const joined = safeParse(split.head + raw, this.reads);
      if (joined.kind !== 'invalid' && joined.kind !== 'dump') {
        this.dispatch(joined, split.line, `${split.raw}\n${raw}`);
        return;
      }
      this.issue(split.line, split.raw, split.message);
    }
    const record = safeParse(raw, this.reads);
    if (record.kind === 'dump') {
      this.dump(record, line, raw);
      return;
    }
    if (this.dumps.busy) this.flushDump();
    if (record.kind !== 'invalid') {
      this.dispatch(record, line, raw);
      return;
    }
    // The input's last line, with no newline (its byte length counts none): a tracer killed
    // while a call was in the kernel leaves what it printed at the call's entry.
    if (byteLength === raw.length && record.message === NO_CALL_CLOSE) {
      const head = safeParse(enteredCall(raw), this.reads);
      if (head.kind === 'unfinished' || (head.kind === 'skipped' && head.part === 'unfinished')) {
        this.dispatch(head, line, raw);
        return;
      }
    }
    // On stderr, strace writes `strace: Process N attached` into the middle of a
    // line it is printing; the rest of that line follows on the next one.
    const at = raw.indexOf(STRACE_PROCESS, 1);
    if (at > 0) {
      const message = safeParse(raw.slice(at), this.reads);
      if (message.kind !== 'invalid' && message.kind !== 'dump') this.dispatch(message, line, raw);
      this.split = { line, raw, head: raw.slice(0, at), message: record.message };
      return;
    }
    this.issue(line, raw, record.message);
  }

  private dispatch(record: Exclude<LineRecord, { kind: 'invalid' } | { kind: 'dump' }>, line: number, raw: string): void {
    if (record.kind === 'syscall') {
      // The event parseLine built: fill in what only the parser knows.
      record.line = line;
      if (record.raw !== raw) record.raw = raw;
      record.pid = this.pidOf(record.pid === NO_PREFIX_PID ? undefined : record.pid);
      // Only a complete call or a resumed tail can have its data dumped after it.
      this.dumps.after(record.pid, record.name, true);
      this.emit(record);
      return;
    }
    const pid = this.pidOf(record.pid);
    switch (record.kind) {
      case 'skipped':
        if (record.part !== 'unfinished') this.dumps.after(pid, '', false);
        this.skip(record, pid);
        break;
      case 'unfinished':
        this.unfinished(record, line, raw, pid);
        break;
      case 'resumed':
        this.dumps.after(pid, record.name, true);
        this.resumed(record, line, raw, pid);
        break;
      case 'exit':
        this.flushPending(pid);
        this.emit({ kind: 'exit', line, raw, pid, time: record.time, ...pick(record, 'code', 'signal', 'coreDumped', 'supersededBy') });
        this.pids.exited(pid);
        break;
      case 'signal':
        this.emit({ kind: 'signal', line, raw, pid, time: record.time, signal: record.signal, info: record.info, ...pick(record, 'siPid', 'stopped') });
        break;
      case 'strace': {
        const subject = record.subject;
        if (subject !== undefined && record.action === 'attached') this.pids.born(subject);
        const ev = {
          kind: 'strace' as const,
          line,
          raw,
          pid: record.pid ?? subject ?? pid,
          time: record.time,
          message: record.message,
          ...pick(record, 'action', 'subject'),
        };
        this.emit(ev);
        break;
      }
    }
  }

  /** A hex dump line: data of the call just before it; out of place or out of order, an issue. */
  private dump(record: DumpRecord, line: number, raw: string): void {
    const { problem, skipped } = this.dumps.add(record, line, raw);
    if (problem !== undefined) {
      this.flushDump();
      this.issue(line, raw, problem);
    } else if (skipped === true) {
      this.skipped++;
    }
  }

  private flushDump(): void {
    const done = this.dumps.flush();
    if (done !== undefined) this.emit(done);
  }

  /** A line longer than the reader allows: counted and reported, not parsed. */
  pushOversized(preview: string, byteLength: number): void {
    const line = ++this.lines;
    this.bytes += byteLength;
    this.flushDump();
    this.issue(line, preview, `line of ${byteLength} bytes is longer than the limit; skipped`);
  }

  /** Ends the input: delivers calls that never resumed, then returns the totals. */
  end(truncatedTail = false): TraceParseSummary {
    if (!this.ended) {
      this.ended = true;
      this.flushDump();
      if (this.split !== undefined) this.issue(this.split.line, this.split.raw, this.split.message);
      this.split = undefined;
      const open = [...this.pending.values()].sort((a, b) => a.line - b.line);
      this.pending.clear();
      for (const p of open) this.deliverUnfinished(p);
      // A trace whose lines never named a pid: one process throughout (or an -ff file without `pid`).
      if (this.held !== undefined) this.release(0);
    }
    return {
      lines: this.lines,
      bytes: this.bytes,
      events: this.events,
      skipped: this.skipped,
      issues: this.issues,
      unresumed: this.unresumed,
      truncatedTail,
    };
  }

  private pidOf(prefix: number | undefined): number {
    if (prefix !== undefined) {
      const first = this.pids.seen(prefix);
      if (first !== undefined && this.held !== undefined) this.release(first);
      return prefix;
    }
    return this.pids.lone ?? UNKNOWN_PID;
  }

  private unfinished(record: UnfinishedRecord, line: number, raw: string, pid: number): void {
    const entry: Pending = { record, line, raw, pid };
    if (record.detached) {
      this.deliverUnfinished(entry);
      return;
    }
    this.flushPending(pid);
    this.pending.set(pid, entry);
  }

  private resumed(record: ResumedRecord, line: number, raw: string, pid: number): void {
    let head = this.pending.get(pid);
    if (head !== undefined && head.record.name !== record.name) {
      this.flushPending(pid);
      head = undefined;
    }
    if (head !== undefined) this.pending.delete(pid);
    const argsText = head === undefined ? record.argsText : head.record.argsText + record.argsText;
    if (record.killed) this.unresumed++;
    const first = head === undefined ? undefined : head.record;
    this.emit(
      new ParsedSyscall(
        head?.line ?? line,
        head === undefined ? raw : `${head.raw}\n${raw}`,
        pid,
        record.name,
        argsText,
        record.ret,
        head === undefined ? undefined : line,
        record.killed ? true : undefined,
        argsText,
        0,
        argsText.length,
        head === undefined ? raw : head.raw,
        first === undefined ? timeStartOf(raw) : first.timeStart,
        raw,
        record.durationStart,
        head === undefined,
      ),
    );
  }

  /**
   * A call nobody reads: counted, never delivered. A head or tail of one still
   * ends a call left pending by the same pid, as it would if it were read.
   */
  private skip(record: SkippedRecord, pid: number): void {
    this.skipped++;
    if (record.killed) this.unresumed++;
    if (record.part !== 'whole' && this.pending.size > 0) this.flushPending(pid);
  }

  private flushPending(pid: number): void {
    const p = this.pending.get(pid);
    if (p === undefined) return;
    this.pending.delete(pid);
    this.deliverUnfinished(p);
  }

  private deliverUnfinished(p: Pending): void {
    const { record } = p;
    const text = record.argsText;
    // The exit half never came: the arguments strace prints on return are missing (incomplete).
    this.unresumed++;
    this.emit(
      new ParsedSyscall(p.line, p.raw, p.pid, record.name, text, UNKNOWN_RETURN, undefined, true, text, 0, text.length, p.raw, record.timeStart, '', -1, true),
    );
  }

  private emit(ev: TraceEvent): void {
    this.events++;
    // Before the first pid is known, a fork's child must not be taken for it.
    if (!this.pids.resolved && ev.kind === 'syscall' && FORKS.has(ev.name) && ev.ret.value !== null && ev.ret.value > 0) {
      this.pids.born(ev.ret.tracerValue ?? ev.ret.value);
    }
    if (ev.pid === UNKNOWN_PID || this.held !== undefined) {
      this.hold(ev);
      return;
    }
    this.sink.event(ev);
  }

  /** Keeps an event until the first pid is known; learns it from an unprefixed getpid(). */
  private hold(ev: TraceEvent): void {
    if (this.held === undefined) this.held = [];
    this.held.push(ev);
    if (ev.pid === UNKNOWN_PID && ev.kind === 'syscall' && (ev.name === 'getpid' || ev.name === 'gettid') && ev.ret.value !== null) {
      this.release(ev.ret.tracerValue ?? ev.ret.value);
    } else if (this.held.length >= MAX_HELD) {
      this.issue(ev.line, '', `the first traced pid is unknown after ${MAX_HELD} events; its lines are attributed to pid 0 (trace with -o, or give the pid)`);
      this.release(0);
    }
  }

  private release(first: number): void {
    this.pids.resolve(first);
    const held = this.held ?? [];
    this.held = undefined;
    const pending = this.pending.get(UNKNOWN_PID);
    if (pending !== undefined) {
      this.pending.delete(UNKNOWN_PID);
      this.pending.set(first, { ...pending, pid: first });
    }
    for (const ev of held) {
      if (ev.pid === UNKNOWN_PID) (ev as Mutable<TraceEvent>).pid = first;
      this.sink.event(ev);
    }
  }

  private issue(line: number, raw: string, message: string): void {
    this.issues++;
    if (this.issues > this.maxIssues) return;
    const kept = raw.length > ISSUE_RAW_CHARS ? `${raw.slice(0, ISSUE_RAW_CHARS)}...` : raw;
    this.sink.issue(this.file === undefined ? { line, raw: kept, message } : { line, raw: kept, message, file: this.file });
  }
}

const UNFINISHED_MARK = ' <unfinished ...>';

/**
 * A line cut after a call's entry (`kill(-1, SIGKILL`, `read(0, `), as the
 * `<unfinished ...>` head strace would have printed had another line come
 * first: strace writes a call's entry half (name and input arguments) when the
 * call enters the kernel, and the rest (`) = 0`) when it returns. A cut inside
 * that mark is dropped first. Whatever else the line is, the result stays
 * unreadable.
 */
function enteredCall(raw: string): string {
  const at = raw.lastIndexOf(' <');
  const cut = at >= 0 && UNFINISHED_MARK.startsWith(raw.slice(at)) ? raw.slice(0, at) : raw;
  return cut + UNFINISHED_MARK;
}

/** Where the timestamp of a resume line starts (-1: none); only needed when its head is missing. */
function timeStartOf(raw: string): number {
  const slots: PrefixSlots = { pid: undefined, timeStart: -1, body: 0 };
  return readPrefix(raw, slots) ? slots.timeStart : -1;
}

/** parseLine is written not to throw; this keeps a bug from losing the rest of the trace. */
function safeParse(raw: string, reads: ReadonlySet<string> | undefined): LineRecord {
  try {
    return parseLine(raw, reads);
  } catch (error) {
    return { kind: 'invalid', pid: undefined, time: undefined, message: `internal parser error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function pick<T extends object, K extends keyof T>(record: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (record[k] !== undefined) out[k] = record[k];
  return out;
}
