/**
 * Parsing a trace file in fixed-size chunks through one reused buffer.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { HarnessError, UserError } from '../errors.js';
import { splitterFor } from './parse-trace-stream.js';
import { TraceParser } from './trace-parser.js';
import type { TraceParseSummary } from './trace-event.js';
import type { ParseTraceOptions, TraceSink } from './trace-sink.js';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Parses the trace at `path`. Issues name the file (`options.file`, default: `path`).
 * For `-ff` output (`NAME.PID`), unprefixed lines get the pid of the file suffix
 * unless `options.pid` says otherwise.
 */
export async function parseTraceFile(path: string, sink: TraceSink, options: ParseTraceOptions = {}): Promise<TraceParseSummary> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(path, error);
  }
  try {
    const pid = options.pid ?? pidFromTraceFileName(path);
    const effective: ParseTraceOptions = { ...options, file: options.file ?? path, ...(pid === undefined ? {} : { pid }) };
    const parser = new TraceParser(sink, effective);
    const splitter = splitterFor(parser, effective);
    // Two buffers: the next chunk is read while this one is parsed.
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let spare = Buffer.allocUnsafe(CHUNK_BYTES);
    let reading = readChunk(handle, buffer, path);
    for (;;) {
      const bytesRead = await reading;
      if (bytesRead === 0) break;
      const current = buffer;
      buffer = spare;
      spare = current;
      reading = readChunk(handle, buffer, path);
      // A failed read-ahead is reported by the await above on the next turn, not as unhandled.
      reading.catch(() => undefined);
      splitter.push(current.subarray(0, bytesRead));
    }
    return parser.end(splitter.end());
  } finally {
    await handle.close();
  }
}

async function readChunk(handle: FileHandle, buffer: Buffer, path: string): Promise<number> {
  try {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    return bytesRead;
  } catch (error) {
    throw new HarnessError('TRACE_UNREADABLE', `cannot read trace: ${path}`, {
      cause: error,
      hint: 'check that the path is a readable file, then run again',
    });
  }
}

/** The pid in an `-ff` file name (`trace.txt.1234` gives 1234), else undefined. */
export function pidFromTraceFileName(path: string): number | undefined {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  const suffix = name.slice(dot + 1);
  for (let i = 0; i < suffix.length; i++) {
    const c = suffix.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const pid = Number(suffix);
  return pid > 0 ? pid : undefined;
}

function openError(path: string, error: unknown): HarnessError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError('INPUT_NOT_FOUND', `trace file not found: ${path}`, {
      cause: error,
      hint: 'check the path of the trace file',
    });
  }
  return new HarnessError('TRACE_UNREADABLE', `cannot open trace: ${path}`, {
    cause: error,
    hint: 'check that the path is a readable file (not a directory) and its permissions',
  });
}
