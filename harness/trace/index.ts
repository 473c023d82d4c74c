/** The trace stage: strace text in, `TraceEvent`s out. */
export type {
  ArrayArg,
  DumpEvent,
  ExitEvent,
  FdArg,
  FdDecoration,
  FlagsArg,
  NullArg,
  NumberArg,
  OtherArg,
  PidArg,
  ReturnValue,
  SignalEvent,
  SocketDecoration,
  SocketProtocol,
  StraceMessageEvent,
  StringArg,
  StructArg,
  SyscallEvent,
  TraceArg,
  TraceEvent,
  TraceParseIssue,
  TraceParseSummary,
} from './trace-event.js';
export type { ParseTraceOptions, TraceSink } from './trace-sink.js';
export { TraceParser } from './trace-parser.js';
export { ParsedSyscall, plainSyscall } from './parsed-syscall.js';
export { parseTraceStream } from './parse-trace-stream.js';
export { parseTraceFile, pidFromTraceFileName } from './parse-trace-file.js';
export { parseLine } from './parse-line.js';
export { NO_PREFIX_PID, UNKNOWN_RETURN, UNREAD_CALL } from './parse-line.js';
export type { DumpRecord, LineRecord, UnfinishedRecord, ResumedRecord, StatusRecord, InvalidRecord } from './parse-line.js';
export { parsePrefix, readPrefix, timeAt } from './parse-prefix.js';
export type { LinePrefix, PrefixSlots } from './parse-prefix.js';
export { scanArgs } from './scan-args.js';
export type { ScannedArgs } from './scan-args.js';
export { parseReturn, durationStart, durationAt } from './parse-return.js';
export { parseFdDecoration } from './parse-fd-decoration.js';
export { readQuotedString, unescapeC } from './decode-c-string.js';
export { LineSplitter } from './line-splitter.js';
export type { LineHandler } from './line-splitter.js';
