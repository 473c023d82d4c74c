/**
 * The tail of a syscall line: ` = value[<decoration>] [/* pidns *\/] [ERRNO (text)] [annotation] [<duration>]`.
 *
 * Real strace 6.1 forms:
 *   = 0 <0.000011>            = 0x5600ab23a000        = 3</etc/ld.so.cache> <0.000013>
 *   = -1 ENOENT (No such file or directory) <0.000012>
 *   = ? ERESTART_RESTARTBLOCK (Interrupted by signal) <0.000135>
 *   = ?                       = 2 /* 4509 in strace's PID NS *\/ <0.000106>
 *   = 0x8000 (flags O_RDONLY|O_LARGEFILE) <0.000011>     = 0 (Timeout)     = ? <unavailable>
 */
import { findDecorationEnd, parseFdDecoration } from './parse-fd-decoration.js';
import type { FdDecoration, ReturnValue } from './trace-event.js';

export interface ParsedReturn {
  readonly ret: ReturnValue;
  /** `-T` duration in seconds. */
  readonly duration?: number;
}

const SPACE = 32;
const PIDNS_COMMENT = " in strace's PID NS */";

/** Reads the return part starting at `start` (just after the closing `)`); undefined when there is no `= `. */
export function parseReturn(text: string, start: number, limit: number = text.length): ParsedReturn | undefined {
  let i = start;
  while (i < limit && text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== 61 /* = */ || text.charCodeAt(i + 1) !== SPACE) return undefined;
  i += 2;

  let end = limit;
  let duration: number | undefined;
  if (text.charCodeAt(end - 1) === 62 /* > */) {
    let j = end - 2;
    while (j > i) {
      const c = text.charCodeAt(j);
      if ((c < 48 || c > 57) && c !== 46) break;
      j--;
    }
    if (j < end - 2 && text.charCodeAt(j) === 60 /* < */ && text.charCodeAt(j - 1) === SPACE) {
      duration = Number(text.slice(j + 1, end - 1));
      end = j - 1;
    }
  }

  const valueStart = i;
  let value: number | null = null;
  let decoration: FdDecoration | undefined;
  if (text.charCodeAt(i) === 63 /* ? */) {
    i++;
  } else {
    const n = readNumber(text, i, end);
    if (n === undefined) return undefined;
    value = n.value;
    i = n.end;
    if (text.charCodeAt(i) === 60 /* < */) {
      const decoEnd = findDecorationEnd(text, i, end);
      if (decoEnd !== -1) {
        const deleted = text.startsWith('(deleted)', decoEnd);
        decoration = parseFdDecoration(text, i + 1, decoEnd - 1, deleted);
        i = deleted ? decoEnd + 9 : decoEnd;
      }
    }
  }
  const ret: { -readonly [K in keyof ReturnValue]: ReturnValue[K] } = { value, text: text.slice(valueStart, i) };
  if (decoration !== undefined) ret.decoration = decoration;

  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (text.startsWith('/* ', i)) {
    let j = i + 3;
    let tracer = 0;
    const digits = j;
    for (let c = text.charCodeAt(j); c >= 48 && c <= 57; c = text.charCodeAt(++j)) tracer = tracer * 10 + (c - 48);
    if (j > digits && text.startsWith(PIDNS_COMMENT, j)) {
      ret.tracerValue = tracer;
      i = j + PIDNS_COMMENT.length;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
    }
  }
  // `ENOENT (text)`: an errno is an upper-case word starting with E.
  if (text.charCodeAt(i) === 69 /* E */) {
    let j = i + 1;
    while (j < end && isErrnoChar(text.charCodeAt(j))) j++;
    if (j === end || text.charCodeAt(j) === SPACE) {
      ret.errno = text.slice(i, j);
      i = j;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) === 40 /* ( */) {
        const close = text.lastIndexOf(')', end - 1);
        if (close > i) {
          ret.errnoText = text.slice(i + 1, close);
          i = close + 1;
        }
      }
      while (i < end && text.charCodeAt(i) === SPACE) i++;
    }
  }
  if (i < end) {
    let annotationEnd = end;
    while (annotationEnd > i && text.charCodeAt(annotationEnd - 1) === SPACE) annotationEnd--;
    if (annotationEnd > i) ret.annotation = text.slice(i, annotationEnd);
  }
  return duration === undefined ? { ret } : { ret, duration };
}

interface ReadNumber {
  readonly value: number;
  readonly end: number;
}

/** Decimal, `-1`, or `0x...` hex (pointers lose precision past 2^53; `text` keeps them exact). */
function readNumber(text: string, start: number, limit: number): ReadNumber | undefined {
  let i = start;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  const digitsStart = i;
  let value = 0;
  if (text.charCodeAt(i) === 48 && text.charCodeAt(i + 1) === 120 /* x */) {
    i += 2;
    while (i < limit) {
      const c = text.charCodeAt(i);
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i === digitsStart + 2) return undefined;
  } else {
    for (let c = text.charCodeAt(i); i < limit && c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
      value = value * 10 + (c - 48);
    }
    if (i === digitsStart) return undefined;
  }
  return { value: negative ? -value : value, end: i };
}

function isErrnoChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
