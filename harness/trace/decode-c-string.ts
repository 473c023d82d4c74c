/**
 * Decoding of the C-style escapes strace prints in strings and in `-y` paths.
 *
 * strace writes bytes; the parser reads the trace as latin1, so every byte is
 * one code point 0-255. Escapes decode to the same mapping: `\303\251` gives
 * the two code points U+00C3 U+00A9, exactly like the raw bytes would.
 */

/** Where a quoted string ended and what it held. */
export interface QuotedString {
  readonly value: string;
  /** Index just after the closing quote, or the end of the scanned range when it never closed. */
  readonly end: number;
  /** The closing quote was found. */
  readonly closed: boolean;
}

const BACKSLASH = 92;
const QUOTE = 34;

/**
 * Reads the quoted string whose opening `"` is at `start` (up to `limit`).
 * Never throws: an unterminated string yields `closed: false`.
 */
export function readQuotedString(text: string, start: number, limit: number = text.length): QuotedString {
  let i = start + 1;
  // Fast path: no escapes, one slice.
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { value: text.slice(start + 1, i), end: i + 1, closed: true };
    if (c === BACKSLASH) break;
    i++;
  }
  if (i >= limit) return { value: text.slice(start + 1, limit), end: limit, closed: false };
  let out = text.slice(start + 1, i);
  let runStart = i;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      out += text.slice(runStart, i);
      return { value: out, end: i + 1, closed: true };
    }
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    const decoded = decodeEscape(text, i, limit);
    out += decoded.text;
    i = decoded.end;
    runStart = i;
  }
  out += text.slice(runStart, limit);
  return { value: out, end: limit, closed: false };
}

/** Decodes every escape in `text[start, end)` (used for `-y` paths, which are not quoted). */
export function unescapeC(text: string, start: number = 0, end: number = text.length): string {
  // A bounded loop, not indexOf: the range is usually a short part of a long line.
  let first = start;
  while (first < end && text.charCodeAt(first) !== BACKSLASH) first++;
  if (first >= end) return text.slice(start, end);
  let out = text.slice(start, first);
  let i = first;
  let runStart = i;
  while (i < end) {
    if (text.charCodeAt(i) !== BACKSLASH) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    const decoded = decodeEscape(text, i, end);
    out += decoded.text;
    i = decoded.end;
    runStart = i;
  }
  return out + text.slice(runStart, end);
}

interface Escape {
  readonly text: string;
  readonly end: number;
}

/** One escape starting at the backslash at `i`. An unknown escape keeps its character. */
function decodeEscape(text: string, i: number, limit: number): Escape {
  if (i + 1 >= limit) return { text: '\\', end: limit };
  const c = text.charCodeAt(i + 1);
  switch (c) {
    case 110: // n
      return { text: '\n', end: i + 2 };
    case 116: // t
      return { text: '\t', end: i + 2 };
    case 114: // r
      return { text: '\r', end: i + 2 };
    case 118: // v
      return { text: '\v', end: i + 2 };
    case 102: // f
      return { text: '\f', end: i + 2 };
    case 97: // a
      return { text: '\x07', end: i + 2 };
    case 98: // b
      return { text: '\b', end: i + 2 };
    case 120: {
      // \xHH (strace always prints two hex digits; accept one)
      let value = 0;
      let j = i + 2;
      while (j < limit && j < i + 4) {
        const h = hexValue(text.charCodeAt(j));
        if (h < 0) break;
        value = value * 16 + h;
        j++;
      }
      if (j === i + 2) return { text: 'x', end: i + 2 };
      return { text: String.fromCharCode(value), end: j };
    }
    default:
      if (c >= 48 && c <= 55) {
        // Octal: up to three digits (\0, \12, \177, \351).
        let value = 0;
        let j = i + 1;
        while (j < limit && j < i + 4) {
          const d = text.charCodeAt(j);
          if (d < 48 || d > 55) break;
          value = value * 8 + (d - 48);
          j++;
        }
        return { text: String.fromCharCode(value & 0xff), end: j };
      }
      // \" \\ \' \? and anything unknown: the character itself.
      return { text: text.charAt(i + 1), end: i + 2 };
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
