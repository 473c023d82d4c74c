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

const SPACE = 32;
const PIDNS_COMMENT = " in strace's PID NS */";

/** Index where a trailing `-T` duration (` <0.000123>`) starts, or `end` when there is none. */
export function durationStart(text: string, end: number = text.length): number {
  if (text.charCodeAt(end - 1) !== 62 /* > */) return end;
  let j = end - 2;
  while (j > 0) {
    const c = text.charCodeAt(j);
    if ((c < 48 || c > 57) && c !== 46) break;
    j--;
  }
  if (j === end - 2 || text.charCodeAt(j) !== 60 /* < */ || text.charCodeAt(j - 1) !== SPACE) return end;
  return j - 1;
}

/** Seconds of the duration ` <0.000123>` found at `from` by `durationStart`. */
export function durationAt(text: string, from: number, end: number = text.length): number {
  let i = from + 2;
  let whole = 0;
  let c = text.charCodeAt(i);
  for (; c >= 48 && c <= 57; c = text.charCodeAt(++i)) whole = whole * 10 + (c - 48);
  if (c !== 46 || i >= end) return whole;
  let frac = 0;
  let scale = 1;
  for (c = text.charCodeAt(++i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
    frac = frac * 10 + (c - 48);
    scale *= 10;
  }
  return whole + frac / scale;
}

/**
 * Reads the return part in `text[start, end)`: `start` is just after the closing `)`,
 * `end` excludes the duration (see `durationStart`). Undefined when there is no ` = value`.
 */
export function parseReturn(text: string, start: number, end: number = text.length): ReturnValue | undefined {
  let i = start;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== 61 /* = */ || text.charCodeAt(i + 1) !== SPACE) return undefined;
  i += 2;

  const valueStart = i;
  let value: number | null = null;
  let decoration: FdDecoration | undefined;
  if (text.charCodeAt(i) === 63 /* ? */) {
    i++;
  } else {
    // Decimal, `-1`, or `0x...` (pointers lose precision past 2^53; `text` keeps them exact).
    const negative = text.charCodeAt(i) === 45;
    if (negative) i++;
    const digits = i;
    let n = 0;
    if (text.charCodeAt(i) === 48 && text.charCodeAt(i + 1) === 120 /* x */) {
      i += 2;
      for (;;) {
        const c = text.charCodeAt(i) | 0x20;
        const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
        if (h < 0 || i >= end) break;
        n = n * 16 + h;
        i++;
      }
      if (i === digits + 2) return undefined;
    } else {
      for (let c = text.charCodeAt(i); i < end && c >= 48 && c <= 57; c = text.charCodeAt(++i)) n = n * 10 + (c - 48);
      if (i === digits) return undefined;
    }
    value = negative ? -n : n;
    if (text.charCodeAt(i) === 60 /* < */) {
      const decoEnd = findDecorationEnd(text, i, end);
      if (decoEnd !== -1) {
        const deleted = text.startsWith('(deleted)', decoEnd);
        decoration = parseFdDecoration(text, i + 1, decoEnd - 1, deleted);
        i = deleted ? decoEnd + 9 : decoEnd;
      }
    }
  }
  const valueEnd = i;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  // Most calls return a small number and nothing else: share one object per value
  // (return values are read-only), sparing an object and a string per line.
  if (i >= end && decoration === undefined) {
    if (value === null) return UNKNOWN_RETURN;
    if (value >= 0 && value < SHARED_LIMIT && valueEnd - valueStart === decimalLength(value)) return (SHARED[value] ??= plain(value));
  }
  const text_ = text.slice(valueStart, valueEnd);
  let tracerValue: number | undefined;
  let errno: string | undefined;
  let errnoText: string | undefined;
  let annotation: string | undefined;

  if (text.charCodeAt(i) === 47 /* / */ && text.startsWith('/* ', i)) {
    let j = i + 3;
    let tracer = 0;
    const digits = j;
    for (let c = text.charCodeAt(j); c >= 48 && c <= 57; c = text.charCodeAt(++j)) tracer = tracer * 10 + (c - 48);
    if (j > digits && text.startsWith(PIDNS_COMMENT, j)) {
      tracerValue = tracer;
      i = j + PIDNS_COMMENT.length;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
    }
  }
  // `ENOENT (text)`: an errno is an upper-case word starting with E.
  if (text.charCodeAt(i) === 69 /* E */) {
    let j = i + 1;
    while (j < end && isErrnoChar(text.charCodeAt(j))) j++;
    if (j === end || text.charCodeAt(j) === SPACE) {
      errno = text.slice(i, j);
      i = j;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) === 40 /* ( */) {
        const close = text.lastIndexOf(')', end - 1);
        if (close > i) {
          errnoText = text.slice(i + 1, close);
          i = close + 1;
        }
      }
      while (i < end && text.charCodeAt(i) === SPACE) i++;
    }
  }
  if (i < end) {
    let annotationEnd = end;
    while (annotationEnd > i && text.charCodeAt(annotationEnd - 1) === SPACE) annotationEnd--;
    if (annotationEnd > i) annotation = text.slice(i, annotationEnd);
  }
  // One object shape for every return value keeps the consumers' property reads monomorphic.
  return { value, text: text_, errno, errnoText, decoration, tracerValue, annotation };
}

/**
 * Whether `text[start, end)` holds what `parseReturn` reads (` = ` and a value),
 * without building it: the check for lines of calls nobody reads.
 */
export function hasReturn(text: string, start: number, end: number = text.length): boolean {
  let i = start;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== 61 /* = */ || text.charCodeAt(i + 1) !== SPACE) return false;
  i += 2;
  if (i >= end) return false;
  let c = text.charCodeAt(i);
  if (c === 63 /* ? */) return true;
  if (c === 45 /* - */) c = text.charCodeAt(++i);
  if (c === 48 && text.charCodeAt(i + 1) === 120 /* x */) {
    const h = text.charCodeAt(i + 2) | 0x20;
    return i + 2 < end && ((h >= 48 && h <= 57) || (h >= 97 && h <= 102));
  }
  return i < end && c >= 48 && c <= 57;
}

const SHARED_LIMIT = 4096;
const SHARED: (ReturnValue | undefined)[] = [];
/** The return of a call that never returned (`= ?` alone, or no return at all). */
export const UNKNOWN_RETURN: ReturnValue = plainText(null, '?');

function plain(value: number): ReturnValue {
  return plainText(value, String(value));
}

function plainText(value: number | null, text: string): ReturnValue {
  return { value, text, errno: undefined, errnoText: undefined, decoration: undefined, tracerValue: undefined, annotation: undefined };
}

function decimalLength(value: number): number {
  return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4;
}

function isErrnoChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
