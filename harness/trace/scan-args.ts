/**
 * The argument scanner: a hand-written recursive-descent reader over the
 * characters of one strace line, from after `name(` to the closing `)`.
 *
 * It types what the later stages use (strings, numbers, fds with their
 * decorations, flag sets, arrays, structs, sockaddr pieces, pids with their
 * `--decode-pids=pidns` translation, `name(args)` forms) and keeps anything
 * else as `OtherArg` text, so an unexpected form costs detail, never the line.
 * Every loop advances, nesting is capped, and nothing here throws on input.
 */
import { readQuotedString } from './decode-c-string.js';
import { findDecorationEnd, NO_DECORATION, parseFdDecoration } from './parse-fd-decoration.js';
import { skipToTerminator } from './skip-value.js';
import type { ArrayArg, FdDecoration, TraceArg } from './trace-event.js';

/** The arguments of one call. */
export interface ScannedArgs {
  readonly args: TraceArg[];
  /** Names of `name=value` arguments by position; undefined when none is named. */
  readonly names: (string | undefined)[] | undefined;
  /** Index of the closing character (or `limit` when scanning to the end of a range). */
  readonly end: number;
  /** The closing character was found (always true when `closer` is 0). */
  readonly closed: boolean;
  /** Every argument was read into a typed value without a fallback. */
  readonly complete: boolean;
}

/** Deeper nesting than this is kept as text (it only happens on garbage). */
const MAX_DEPTH = 64;

const SPACE = 32;
const COMMA = 44;
const QUOTE = 34;
const LPAREN = 40;
const RPAREN = 41;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const LT = 60;
const EQ = 61;
const PIPE = 124;
const DOT = 46;
const MINUS = 45;
const SLASH = 47;
const STAR = 42;
const AT = 64;
const TILDE = 126;

const PIDNS_COMMENT = " in strace's PID NS */";

/**
 * Scans a comma-separated argument list in `text[start, limit)`.
 * `closer` is the character code that ends the list (`)`), or 0 to read to `limit`.
 */
export function scanArgs(text: string, start = 0, limit = text.length, closer = RPAREN): ScannedArgs {
  const scanner = new ArgScanner(text, limit);
  scanner.i = start;
  const list = scanner.list(closer, 0, true);
  return { args: list.items, names: list.names, end: scanner.i, closed: list.closed, complete: scanner.complete };
}

interface List {
  items: TraceArg[];
  names: (string | undefined)[] | undefined;
  truncated: boolean;
  closed: boolean;
}

class ArgScanner {
  i = 0;
  complete = true;
  constructor(
    readonly s: string,
    readonly limit: number,
  ) {}

  /**
   * Reads values separated by `,` up to `closer` (consumed). Top-level lists
   * step over stray closers; nested ones return on them so the parent decides.
   */
  list(closer: number, depth: number, topLevel: boolean): List {
    const { s, limit } = this;
    const items: TraceArg[] = [];
    let names: (string | undefined)[] | undefined;
    let truncated = false;
    for (;;) {
      let i = this.i;
      while (i < limit && s.charCodeAt(i) === SPACE) i++;
      this.i = i;
      if (i >= limit) {
        if (closer !== 0) this.complete = false;
        return { items, names, truncated, closed: closer === 0 };
      }
      const c = s.charCodeAt(i);
      if (c === closer) {
        this.i = i + 1;
        return { items, names, truncated, closed: true };
      }
      if (c === RPAREN || c === RBRACKET || c === RBRACE) {
        this.complete = false;
        if (!topLevel) return { items, names, truncated, closed: false };
        this.i = i + 1;
        continue;
      }
      if (c === COMMA) {
        // An empty element (`, ,`): nothing strace prints on purpose.
        this.complete = false;
        this.i = i + 1;
        continue;
      }
      if (c === DOT && s.charCodeAt(i + 1) === DOT && s.charCodeAt(i + 2) === DOT) {
        truncated = true;
        this.i = i + 3;
      } else {
        const name = this.fieldName();
        if (name !== undefined) {
          names ??= new Array<string | undefined>(items.length);
          names[items.length] = name;
        } else if (names !== undefined) {
          names[items.length] = undefined;
        }
        items.push(this.value(depth));
      }
      i = this.i;
      while (i < limit && s.charCodeAt(i) === SPACE) i++;
      if (s.charCodeAt(i) === COMMA) i++;
      this.i = i;
    }
  }

  /** `name=` (not `==`) at the cursor: consumes it and returns the name. */
  fieldName(): string | undefined {
    const { s, limit } = this;
    const start = this.i;
    let i = start;
    while (i < limit && isIdentChar(s.charCodeAt(i))) i++;
    if (i === start || i >= limit || s.charCodeAt(i) !== EQ || s.charCodeAt(i + 1) === EQ) return undefined;
    const first = s.charCodeAt(start);
    if (first >= 48 && first <= 57) return undefined;
    this.i = i + 1;
    return s.slice(start, i);
  }

  /** One value, with the pidns comment and the catch-all for forms it does not type. */
  value(depth: number): TraceArg {
    const { s, limit } = this;
    const start = this.i;
    const v = depth > MAX_DEPTH ? undefined : this.primary(depth);
    let i = this.i;
    if (v !== undefined) {
      const c = s.charCodeAt(i);
      if (i >= limit || c === COMMA || c === RPAREN || c === RBRACKET || c === RBRACE) return v;
      while (i < limit && s.charCodeAt(i) === SPACE) i++;
      const d = s.charCodeAt(i);
      if (i >= limit || d === COMMA || d === RPAREN || d === RBRACKET || d === RBRACE) {
        this.i = i;
        return v;
      }
      if (v.t === 'num' && d === SLASH && s.charCodeAt(i + 1) === STAR) {
        const pid = this.pidComment(v.value, i);
        if (pid !== undefined) return pid;
      }
    }
    // Something the grammar above does not type (`0x7ff /* 35 vars */`, `4096 => 16`,
    // `WIFEXITED(s) && ...`): keep the whole element as text.
    if (v === undefined && !isKnownUntypedStart(s.charCodeAt(start))) this.complete = false;
    const end = skipToTerminator(s, i, limit);
    this.i = end;
    let textEnd = end;
    while (textEnd > start && s.charCodeAt(textEnd - 1) === SPACE) textEnd--;
    return { t: 'other', text: s.slice(start, textEnd) };
  }

  /** ` /* 1234 in strace's PID NS *\/` after a pid. */
  pidComment(value: number, at: number): TraceArg | undefined {
    const { s } = this;
    let i = at + 3;
    let tracer = 0;
    const digitsStart = i;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) tracer = tracer * 10 + (c - 48);
    if (i === digitsStart || !s.startsWith(PIDNS_COMMENT, i)) return undefined;
    this.i = i + PIDNS_COMMENT.length;
    return { t: 'pid', value, tracerValue: tracer };
  }

  primary(depth: number): TraceArg | undefined {
    const { s } = this;
    const i = this.i;
    const c = s.charCodeAt(i);
    if (c === QUOTE) return this.string(i, false);
    if (c === LBRACKET) {
      this.i = i + 1;
      const list = this.list(RBRACKET, depth + 1, false);
      const arr: ArrayArg = { t: 'array', items: list.items, truncated: list.truncated };
      return list.closed ? arr : undefined;
    }
    if (c === LBRACE) return this.struct(depth);
    if ((c >= 48 && c <= 57) || c === MINUS) return this.numberOrFd(i);
    if (isIdentStart(c)) return this.identifier(i, depth);
    if (c === AT && s.charCodeAt(i + 1) === QUOTE) return this.string(i + 1, true);
    if (c === TILDE && s.charCodeAt(i + 1) === LBRACKET) return undefined;
    return undefined;
  }

  string(quote: number, abstract: boolean): TraceArg | undefined {
    const { s, limit } = this;
    const q = readQuotedString(s, quote, limit);
    if (!q.closed) {
      this.complete = false;
      this.i = q.end;
      return undefined;
    }
    let i = q.end;
    const truncated = s.charCodeAt(i) === DOT && s.charCodeAt(i + 1) === DOT && s.charCodeAt(i + 2) === DOT;
    if (truncated) i += 3;
    this.i = i;
    if (abstract) return { t: 'str', value: `@${q.value}`, truncated, abstract: true };
    return { t: 'str', value: q.value, truncated };
  }

  struct(depth: number): TraceArg | undefined {
    this.i++;
    const list = this.list(RBRACE, depth + 1, false);
    if (!list.closed) return undefined;
    const fields: (readonly [string, TraceArg])[] = new Array(list.items.length);
    for (let k = 0; k < list.items.length; k++) {
      fields[k] = [list.names?.[k] ?? `#${k}`, list.items[k] as TraceArg];
    }
    return { t: 'struct', fields, truncated: list.truncated };
  }

  numberOrFd(start: number): TraceArg | undefined {
    const { s, limit } = this;
    let i = start;
    const negative = s.charCodeAt(i) === MINUS;
    if (negative) i++;
    let value = 0;
    const digitsStart = i;
    if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
      i += 2;
      for (;;) {
        const h = hexDigit(s.charCodeAt(i));
        if (h < 0) break;
        value = value * 16 + h;
        i++;
      }
      if (i === digitsStart + 2) return undefined;
    } else if (s.charCodeAt(i) === 48 && isDigit(s.charCodeAt(i + 1))) {
      // Octal, as strace prints modes (`0644`) and masks (`00000000`).
      for (let c = s.charCodeAt(i); c >= 48 && c <= 55; c = s.charCodeAt(++i)) value = value * 8 + (c - 48);
    } else {
      for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) value = value * 10 + (c - 48);
    }
    if (i === digitsStart) return undefined;
    if (negative) value = -value;
    const next = i < limit ? s.charCodeAt(i) : 0;
    if (next === LT && s.charCodeAt(i + 1) !== LT) {
      this.i = i;
      return this.fd(value);
    }
    if (next === PIPE) return this.flags(start);
    if (isIdentChar(next) || next === DOT) return undefined;
    this.i = i;
    return { t: 'num', value, text: s.slice(start, i) };
  }

  /** The decoration after an fd number (cursor on `<`), and `(deleted)` after it. */
  fd(fd: number): TraceArg | undefined {
    const { s, limit } = this;
    const open = this.i;
    const end = findDecorationEnd(s, open, limit);
    if (end === -1) return undefined;
    const deleted = s.startsWith('(deleted)', end);
    const decoration: FdDecoration = parseFdDecoration(s, open + 1, end - 1, deleted);
    this.i = deleted ? end + 9 : end;
    return { t: 'fd', fd, decoration };
  }

  identifier(start: number, depth: number): TraceArg | undefined {
    const { s, limit } = this;
    let i = start + 1;
    while (i < limit && isIdentChar(s.charCodeAt(i))) i++;
    const next = i < limit ? s.charCodeAt(i) : 0;
    if (next === PIPE) return this.flags(start);
    if (next === LPAREN) {
      const name = s.slice(start, i);
      this.i = i + 1;
      const list = this.list(RPAREN, depth + 1, false);
      if (!list.closed) return undefined;
      return { t: 'other', text: s.slice(start, this.i), name, callArgs: list.items };
    }
    const len = i - start;
    if (len === 4 && s.startsWith('NULL', start)) {
      this.i = i;
      return { t: 'null' };
    }
    if (len === 8 && s.startsWith('AT_FDCWD', start)) {
      this.i = i;
      if (next === LT) return this.fd(-100);
      return { t: 'fd', fd: -100, decoration: NO_DECORATION };
    }
    if (next === LT || next === LBRACKET || next === DOT) return undefined;
    this.i = i;
    const text = s.slice(start, i);
    return { t: 'other', text, name: text };
  }

  /** `O_WRONLY|O_CREAT|0x800`, `S_IFREG|0644`. */
  flags(start: number): TraceArg | undefined {
    const { s, limit } = this;
    const names: string[] = [];
    let i = start;
    for (;;) {
      const tokenStart = i;
      while (i < limit && isIdentChar(s.charCodeAt(i))) i++;
      if (i === tokenStart) return undefined;
      names.push(s.slice(tokenStart, i));
      if (s.charCodeAt(i) !== PIPE) break;
      i++;
    }
    this.i = i;
    return { t: 'flags', names };
  }
}

/** Values strace prints that start with a character no typed form starts with: `~[KILL STOP]`, `&sin6_addr`, `<unavailable>`. */
function isKnownUntypedStart(c: number): boolean {
  return c === TILDE || c === AMP || c === LT;
}

const AMP = 38;

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
