/**
 * The argument scanner: a hand-written recursive-descent reader over the
 * characters of one strace line, from after `name(` to the closing `)`.
 *
 * It types what the later stages use (strings, numbers, fds with their
 * decorations, flag sets, arrays, structs, sockaddr pieces, pids with their
 * `--decode-pids=pidns` translation, `name(args)` forms) and keeps anything
 * else as `OtherArg` text, so an unexpected form costs detail, never the line.
 * Every loop advances, nesting is capped, and nothing here throws on input.
 *
 * This is the parser's hot path: one scanner object is reused, strings are
 * skipped with `indexOf`, and values are built with one allocation each.
 */
import { unescapeC } from './decode-c-string.js';
import { NO_DECORATION, parseFdDecoration } from './parse-fd-decoration.js';
import { findDecorationEnd, findStringEnd, skipToTerminator } from './skip-value.js';
import { SpanCache } from './span-cache.js';
import type { FdDecoration, TraceArg } from './trace-event.js';

/** The arguments of one call. */
export interface ScannedArgs {
  readonly args: TraceArg[];
  /** Names of `name=value` arguments by position; undefined when none is named. */
  readonly names: (string | undefined)[] | undefined;
  /** Index just after the closing character (or `limit` when scanning to the end of a range). */
  readonly end: number;
  /** The closing character was found (always true when `closer` is 0). */
  readonly closed: boolean;
  /** Every argument was read without a fallback for malformed text. */
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
const AMP = 38;

const PIDNS_COMMENT = " in strace's PID NS */";

/**
 * Scans a comma-separated argument list in `text[start, limit)`.
 * `closer` is the character code that ends the list (`)`), or 0 to read to `limit`.
 */
export function scanArgs(text: string, start = 0, limit = text.length, closer = RPAREN): ScannedArgs {
  const sc = SCANNER;
  sc.s = text;
  sc.i = start;
  sc.limit = limit;
  sc.complete = true;
  sc.nextBackslash = 0;
  sc.identStart = -1;
  const args = sc.list(closer, 0, true);
  const result: ScannedArgs = { args, names: sc.names, end: sc.i, closed: sc.closed, complete: sc.complete };
  sc.s = '';
  return result;
}

class ArgScanner {
  s = '';
  i = 0;
  limit = 0;
  complete = true;
  /** Side results of the last `list()` call. */
  names: (string | undefined)[] | undefined = undefined;
  truncated = false;
  closed = false;
  /** Index of the next `\\` at or after the cursor (-1: none left); 0 before the first look. */
  nextBackslash = 0;
  /** An identifier `list()` already measured: `s[identStart, identEnd)`. */
  identStart = -1;
  identEnd = -1;

  /**
   * Reads values separated by `,` up to `closer` (consumed). Top-level lists
   * step over stray closers; nested ones return on them so the parent decides.
   */
  list(closer: number, depth: number, topLevel: boolean): TraceArg[] {
    const s = this.s;
    const limit = this.limit;
    const items: TraceArg[] = [];
    let names: (string | undefined)[] | undefined;
    let truncated = false;
    let closed = false;
    let i = this.i;
    for (;;) {
      while (i < limit && s.charCodeAt(i) === SPACE) i++;
      if (i >= limit) {
        if (closer !== 0) this.complete = false;
        else closed = true;
        break;
      }
      const c = s.charCodeAt(i);
      if (c === closer) {
        i++;
        closed = true;
        break;
      }
      if (c === RPAREN || c === RBRACKET || c === RBRACE) {
        this.complete = false;
        if (!topLevel) break;
        i++;
        continue;
      }
      if (c === COMMA) {
        // An empty element (`, ,`): nothing strace prints on purpose.
        this.complete = false;
        i++;
        continue;
      }
      if (c === DOT && s.charCodeAt(i + 1) === DOT && s.charCodeAt(i + 2) === DOT) {
        truncated = true;
        i += 3;
      } else {
        let name: string | undefined;
        if (isIdentStart(c)) {
          // `name=value` (struct fields, clone's named arguments), not `==`.
          let j = i + 1;
          while (j < limit && isIdentChar(s.charCodeAt(j))) j++;
          if (s.charCodeAt(j) === EQ && s.charCodeAt(j + 1) !== EQ) {
            name = s.slice(i, j);
            i = j + 1;
          } else {
            // The value is this identifier: `identifier()` need not scan it again.
            this.identStart = i;
            this.identEnd = j;
          }
        }
        if (name !== undefined) {
          names ??= new Array<string | undefined>(items.length).fill(undefined);
          names.push(name);
        } else if (names !== undefined) {
          names.push(undefined);
        }
        this.i = i;
        items.push(this.value(depth));
        i = this.i;
      }
      while (i < limit && s.charCodeAt(i) === SPACE) i++;
      if (s.charCodeAt(i) === COMMA) i++;
    }
    this.i = i;
    this.names = names;
    this.truncated = truncated;
    this.closed = closed;
    return items;
  }

  /** One value, with the pidns comment and the catch-all for forms it does not type. */
  value(depth: number): TraceArg {
    const s = this.s;
    const limit = this.limit;
    const start = this.i;
    const v = depth > MAX_DEPTH ? undefined : this.primary(depth);
    let i = this.i;
    if (v !== undefined) {
      if (i >= limit) return v;
      let c = s.charCodeAt(i);
      if (c === COMMA || c === RPAREN || c === RBRACKET || c === RBRACE) return v;
      // Text glued to a string (`"abc"xyz`) is nothing strace prints.
      if (v.t === 'str' && c !== SPACE) this.complete = false;
      while (c === SPACE) c = s.charCodeAt(++i);
      if (i >= limit || c === COMMA || c === RPAREN || c === RBRACKET || c === RBRACE) {
        this.i = i;
        return v;
      }
      if (v.t === 'num' && c === SLASH && s.charCodeAt(i + 1) === STAR) {
        const pid = this.pidComment(v.value, i);
        if (pid !== undefined) return pid;
      }
    } else if (!isKnownUntypedStart(s.charCodeAt(start))) {
      this.complete = false;
    }
    // A form the grammar does not type (`0x7ff /* 35 vars */`, `4096 => 16`,
    // `WIFEXITED(s) && ...`, `~[KILL STOP]`): keep the whole element as text.
    const end = skipToTerminator(s, i, limit);
    this.i = end;
    let textEnd = end;
    while (textEnd > start && s.charCodeAt(textEnd - 1) === SPACE) textEnd--;
    return { t: 'other', text: s.slice(start, textEnd) };
  }

  /** ` /* 1234 in strace's PID NS *\/` after a pid. */
  pidComment(value: number, at: number): TraceArg | undefined {
    const s = this.s;
    let i = at + 3;
    let tracer = 0;
    const digitsStart = i;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) tracer = tracer * 10 + (c - 48);
    if (i === digitsStart || !s.startsWith(PIDNS_COMMENT, i)) return undefined;
    this.i = i + PIDNS_COMMENT.length;
    return { t: 'pid', value, tracerValue: tracer };
  }

  primary(depth: number): TraceArg | undefined {
    const s = this.s;
    const i = this.i;
    const c = s.charCodeAt(i);
    if (isIdentStart(c)) return this.identifier(i, depth);
    if ((c >= 48 && c <= 57) || c === MINUS) return this.numberOrFd(i);
    if (c === QUOTE) return this.string(i, false);
    if (c === LBRACE) {
      this.i = i + 1;
      const items = this.list(RBRACE, depth + 1, false);
      if (!this.closed) return undefined;
      const names = this.names;
      const fields: (readonly [string, TraceArg])[] = new Array(items.length);
      for (let k = 0; k < items.length; k++) fields[k] = [names?.[k] ?? `#${k}`, items[k] as TraceArg];
      return { t: 'struct', fields, truncated: this.truncated };
    }
    if (c === LBRACKET) {
      this.i = i + 1;
      const items = this.list(RBRACKET, depth + 1, false);
      if (!this.closed) return undefined;
      return { t: 'array', items, truncated: this.truncated };
    }
    if (c === AT && s.charCodeAt(i + 1) === QUOTE) return this.string(i + 1, true);
    return undefined;
  }

  string(quote: number, abstract: boolean): TraceArg | undefined {
    const s = this.s;
    const close = findStringEnd(s, quote, this.limit);
    if (close === -1) {
      this.complete = false;
      this.i = this.limit;
      return undefined;
    }
    // The next backslash of the line, found once and reused while the scan moves on.
    let backslash = this.nextBackslash;
    if (backslash !== -1 && backslash <= quote) backslash = this.nextBackslash = s.indexOf('\\', quote + 1);
    const value = backslash === -1 || backslash > close ? s.slice(quote + 1, close) : unescapeC(s, quote + 1, close);
    let i = close + 1;
    const truncated = s.charCodeAt(i) === DOT && s.charCodeAt(i + 1) === DOT && s.charCodeAt(i + 2) === DOT;
    if (truncated) i += 3;
    this.i = i;
    if (abstract) return { t: 'str', value: `@${value}`, truncated, abstract: true };
    return { t: 'str', value, truncated };
  }

  numberOrFd(start: number): TraceArg | undefined {
    const s = this.s;
    let i = start;
    const negative = s.charCodeAt(i) === MINUS;
    if (negative) i++;
    let value = 0;
    const digitsStart = i;
    let c = s.charCodeAt(i);
    if (c === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
      i += 2;
      for (;;) {
        c = s.charCodeAt(i);
        const h = c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
        if (h < 0) break;
        value = value * 16 + h;
        i++;
      }
      if (i === digitsStart + 2) return undefined;
    } else if (c === 48 && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57) {
      // Octal, as strace prints modes (`0644`) and masks (`00000000`).
      for (; c >= 48 && c <= 55; c = s.charCodeAt(++i)) value = value * 8 + (c - 48);
    } else {
      for (; c >= 48 && c <= 57; c = s.charCodeAt(++i)) value = value * 10 + (c - 48);
    }
    if (i === digitsStart) return undefined;
    if (negative) value = -value;
    const next = i < this.limit ? s.charCodeAt(i) : 0;
    // Small plain decimals (fds, sizes, flags) share one interned text: no slice per number.
    if (value >= 0 && value < SMALL_LIMIT && i - start === decimalLength(value) && next !== LT && next !== PIPE && !isIdentChar(next) && next !== DOT) {
      this.i = i;
      return (SMALL_NUMBERS[value] ??= { t: 'num', value, text: String(value) });
    }
    if (next === LT && s.charCodeAt(i + 1) !== LT) {
      this.i = i;
      return this.fd(value, start);
    }
    if (next === PIPE) return this.flags(start);
    if (isIdentChar(next) || next === DOT) return undefined;
    this.i = i;
    return { t: 'num', value, text: s.slice(start, i) };
  }

  /** The decoration after an fd number (cursor on `<`), and `(deleted)` after it; `start` is where the fd begins. */
  fd(fd: number, start: number): TraceArg | undefined {
    const s = this.s;
    const open = this.i;
    const end = findDecorationEnd(s, open, this.limit);
    if (end === -1) return undefined;
    const deleted = s.charCodeAt(end) === LPAREN && s.startsWith('(deleted)', end);
    const stop = deleted ? end + 9 : end;
    this.i = stop;
    const slot = FDS.slot(s, start, stop);
    const shared = FDS.hit(slot, s, start, stop);
    if (shared !== undefined) return shared;
    const decoration: FdDecoration = parseFdDecoration(s, open + 1, end - 1, deleted);
    const arg: TraceArg = { t: 'fd', fd, decoration };
    FDS.store(slot, s.slice(start, stop), arg);
    return arg;
  }

  identifier(start: number, depth: number): TraceArg | undefined {
    const s = this.s;
    const limit = this.limit;
    let i = start + 1;
    if (start === this.identStart) i = this.identEnd;
    else while (i < limit && isIdentChar(s.charCodeAt(i))) i++;
    const next = i < limit ? s.charCodeAt(i) : 0;
    if (next === PIPE) return this.flags(start);
    if (next === LPAREN) {
      const name = s.slice(start, i);
      this.i = i + 1;
      const callArgs = this.list(RPAREN, depth + 1, false);
      if (!this.closed) return undefined;
      return { t: 'other', text: s.slice(start, this.i), name, callArgs };
    }
    const len = i - start;
    if (len === 4 && s.startsWith('NULL', start)) {
      this.i = i;
      return NULL_ARG;
    }
    if (len === 8 && s.startsWith('AT_FDCWD', start)) {
      this.i = i;
      if (next === LT) return this.fd(-100, start);
      return AT_FDCWD_ARG;
    }
    // `FUTEX_OP_SET<<28`: a shift, kept whole as text by the caller.
    if ((next === LT && s.charCodeAt(i + 1) !== LT) || next === LBRACKET || next === DOT) return undefined;
    this.i = i;
    const slot = WORDS.slot(s, start, i);
    const shared = WORDS.hit(slot, s, start, i);
    if (shared !== undefined) return shared;
    const text = s.slice(start, i);
    const arg: TraceArg = { t: 'other', text, name: text };
    WORDS.store(slot, text, arg);
    return arg;
  }

  /** `O_WRONLY|O_CREAT|0x800`, `S_IFREG|0644`. */
  flags(start: number): TraceArg | undefined {
    const s = this.s;
    const limit = this.limit;
    let i = start;
    for (;;) {
      const tokenStart = i;
      while (i < limit && isIdentChar(s.charCodeAt(i))) i++;
      if (i === tokenStart) return undefined;
      if (s.charCodeAt(i) !== PIPE) break;
      i++;
    }
    this.i = i;
    const slot = FLAGS.slot(s, start, i);
    const shared = FLAGS.hit(slot, s, start, i);
    if (shared !== undefined) return shared;
    const text = s.slice(start, i);
    const arg: TraceArg = { t: 'flags', names: text.split('|') };
    FLAGS.store(slot, text, arg);
    return arg;
  }
}

const SCANNER = new ArgScanner();

// Arguments are read-only, so one value can stand for every occurrence of the same text.
const SMALL_LIMIT = 65536;
const SMALL_NUMBERS: (TraceArg | undefined)[] = [];
const NULL_ARG: TraceArg = { t: 'null' };
const AT_FDCWD_ARG: TraceArg = { t: 'fd', fd: -100, decoration: NO_DECORATION };
const FDS = new SpanCache<TraceArg>(1024);
const WORDS = new SpanCache<TraceArg>(1024);
const FLAGS = new SpanCache<TraceArg>(1024);

function decimalLength(value: number): number {
  return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;
}

/** Values strace prints that no typed form starts with: `~[KILL STOP]`, `&sin6_addr`, `<unavailable>`. */
function isKnownUntypedStart(c: number): boolean {
  return c === TILDE || c === AMP || c === LT;
}

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
