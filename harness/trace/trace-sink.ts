import type { TraceEvent, TraceParseIssue, TraceParseSummary } from './trace-event.js';

/**
 * Where the parser delivers its output. Events arrive in trace order
 * (a merged unfinished/resumed call is delivered at its resume line, or at
 * end of input if it never resumed).
 */
export interface TraceSink {
  event(event: TraceEvent): void;
  issue(issue: TraceParseIssue): void;
}

export interface ParseTraceOptions {
  /** File name used in issues. Default: none. */
  readonly file?: string;
  /** Stop collecting issues after this many (they are still counted). Default: `1000`. */
  readonly maxIssues?: number;
  /**
   * Pid of lines that carry no pid prefix: the `-ff` file suffix (`trace.txt.1234`).
   * Without it the parser learns the first traced pid from the trace. Default: learnt.
   */
  readonly pid?: number;
  /**
   * Longest line read, in bytes; a longer line is skipped and reported as an issue,
   * so a corrupt trace cannot exhaust memory. Default: `16777216` (16 MiB).
   */
  readonly maxLineBytes?: number;
  /**
   * The syscalls the sink reads. A line of any other call is checked as
   * strictly (its arguments close, it has a return value, or it is a head or
   * tail of a split call; else it is an issue) and counted in `skipped`, but
   * no event is built or delivered: most lines of a full trace are calls such
   * as mmap or fstat that nothing after the parser reads. Signals, exits and
   * strace's messages are always delivered, and so are the calls the parser
   * reads itself (forks and getpid, which tell it whose lines it is reading).
   * Default: every call is delivered.
   */
  readonly syscalls?: ReadonlySet<string>;
}

export type { TraceParseSummary };
