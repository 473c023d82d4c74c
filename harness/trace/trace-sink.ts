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
}

export type { TraceParseSummary };
