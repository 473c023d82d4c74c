/**
 * Parsing a trace from a Node stream or a file, chunk by chunk: the trace is
 * never held whole in memory. Bytes are decoded as latin1 (see line-splitter.ts).
 */
import { HarnessError } from '../errors.js';
import { LineSplitter } from './line-splitter.js';
import { TraceParser } from './trace-parser.js';
import type { TraceParseSummary } from './trace-event.js';
import type { ParseTraceOptions, TraceSink } from './trace-sink.js';

/**
 * Reads a byte stream to its end. String chunks (a stream with an encoding set)
 * are turned back into bytes as UTF-8 first; pass a byte stream to keep raw bytes exact.
 */
export async function parseTraceStream(stream: NodeJS.ReadableStream, sink: TraceSink, options: ParseTraceOptions = {}): Promise<TraceParseSummary> {
  const parser = new TraceParser(sink, options);
  const splitter = splitterFor(parser, options);
  try {
    for await (const chunk of stream) {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    }
  } catch (error) {
    throw new HarnessError('TRACE_UNREADABLE', `cannot read trace${options.file === undefined ? '' : `: ${options.file}`}`, {
      cause: error,
      hint: 'check that the trace source is readable and complete, then run again',
    });
  }
  return parser.end(splitter.end());
}

/** Connects a splitter's lines to a parser. */
export function splitterFor(parser: TraceParser, options: ParseTraceOptions = {}): LineSplitter {
  return new LineSplitter(
    {
      line: (text, bytes) => parser.push(text, bytes),
      oversized: (preview, bytes) => parser.pushOversized(preview, bytes),
    },
    options.maxLineBytes,
  );
}
