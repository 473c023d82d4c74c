/**
 * Skipping over strace text without building values: used to find where an
 * argument or an argument list ends when the typed scanner cannot read it.
 * Iterative (no recursion), so deep or unbalanced garbage cannot overflow the stack.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LT = 60;

/**
 * Index of the `"` that closes the string opened at `start`, or -1 when it
 * does not close before `limit`. Jumps with `indexOf`: strings are the longest
 * spans of a line (`read` buffers under `-s 4096`).
 */
export function findStringEnd(text: string, start: number, limit: number): number {
  let close = text.indexOf('"', start + 1);
  while (close !== -1 && close < limit) {
    // Escaped when preceded by an odd number of backslashes.
    let k = close - 1;
    while (k > start && text.charCodeAt(k) === BACKSLASH) k--;
    if ((close - 1 - k) % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/** Index just after the string whose `"` is at `start`, or `limit` when it never closes. */
export function skipString(text: string, start: number, limit: number): number {
  const close = findStringEnd(text, start, limit);
  return close === -1 ? limit : close + 1;
}

/**
 * Index of the first `,` or closing bracket at nesting level zero from `start`
 * (or `limit`). Strings and fd decorations (`3</a,b)>`) are skipped whole.
 */
export function skipToTerminator(text: string, start: number, limit: number): number {
  let depth = 0;
  let i = start;
  while (i < limit) {
    const c = text.charCodeAt(i);
    switch (c) {
      case QUOTE:
        i = skipString(text, i, limit);
        continue;
      case 40: // (
      case 91: // [
      case 123: // {
        depth++;
        break;
      case 41: // )
      case 93: // ]
      case 125: // }
        if (depth === 0) return i;
        depth--;
        break;
      case COMMA:
        if (depth === 0) return i;
        break;
      case LT:
        // `1<<12` (futex ops) is a shift, not a decoration.
        if (i > start && isDecorationOwner(text.charCodeAt(i - 1)) && text.charCodeAt(i + 1) !== LT) {
          i = skipDecoration(text, i, limit);
          continue;
        }
        break;
      default:
        break;
    }
    i++;
  }
  return limit;
}

/**
 * Index of the `)` that closes an argument list whose text starts at `start`
 * (just after `name(`, or just after `resumed>`), or -1 when there is none.
 */
export function findArgsClose(text: string, start: number, limit: number): number {
  let i = start;
  while (i < limit) {
    i = skipToTerminator(text, i, limit);
    if (i >= limit) return -1;
    if (text.charCodeAt(i) === 41) return i;
    i++; // a `,` or a stray closer: keep going
  }
  return -1;
}

/**
 * Index of the `)` that ends the arguments of a complete call line: the first
 * `)` followed by spaces and `= ` that is not inside a string or an fd
 * decoration, or -1. Outside those two, strace's own text never holds `) = `
 * (`WEXITSTATUS(s) == 0` has `==`), so only they need skipping, and `indexOf`
 * finds them: this is much cheaper than visiting every character.
 */
export function findCallClose(text: string, start: number, limit: number): number {
  let quote = text.indexOf('"', start);
  let lt = text.indexOf('<', start);
  let pos = start;
  for (;;) {
    const paren = text.indexOf(')', pos);
    if (paren === -1 || paren >= limit) return -1;
    // Step over strings and decorations that open before this `)`.
    if (quote !== -1 && quote < paren && (lt === -1 || quote < lt)) {
      const end = findStringEnd(text, quote, limit);
      if (end === -1) return -1;
      pos = end + 1;
      quote = text.indexOf('"', pos);
      if (lt !== -1 && lt < pos) lt = text.indexOf('<', pos);
      continue;
    }
    if (lt !== -1 && lt < paren) {
      if (lt > start && isDecorationOwner(text.charCodeAt(lt - 1)) && text.charCodeAt(lt + 1) !== LT) {
        const end = findDecorationEnd(text, lt, limit);
        if (end === -1) return -1;
        pos = end;
        if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      } else {
        pos = lt + 1;
      }
      lt = text.indexOf('<', pos);
      continue;
    }
    let i = paren + 1;
    while (text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) === 61 /* = */ && text.charCodeAt(i + 1) === 32) return paren;
    pos = paren + 1;
  }
}

/** `3<...>` and `AT_FDCWD<...>`: a decoration follows a digit or a letter directly. */
function isDecorationOwner(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Index just after the `>` that closes the decoration opened at `start` (a `<`),
 * or -1 when it does not close before `limit`.
 */
export function findDecorationEnd(text: string, start: number, limit: number = text.length): number {
  // In a path every `<` `>` `"` of the name is escaped, so a raw `>` closes (a raw `<` opens
  // the `-yy` device part); elsewhere (sockets) `->` joins endpoints and quoted socket paths
  // may hold a raw `>`.
  if (text.charCodeAt(start + 1) === 47 /* / */) {
    const gt = text.indexOf('>', start + 1);
    if (gt === -1 || gt >= limit) return -1;
    // `/dev/null<char 1:3>>`: the `-yy` device part nests once.
    if (text.lastIndexOf('<', gt) === start) return gt + 1;
    const outer = text.indexOf('>', gt + 1);
    return outer === -1 || outer >= limit ? -1 : outer + 1;
  }
  let depth = 0;
  let i = start;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === QUOTE) {
      i = skipString(text, i, limit);
      continue;
    }
    if (c === LT) depth++;
    else if (c === 62 && text.charCodeAt(i - 1) !== 45 && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Like `findDecorationEnd`, but returns `limit` instead of -1 so callers always advance. */
function skipDecoration(text: string, start: number, limit: number): number {
  const end = findDecorationEnd(text, start, limit);
  return end === -1 ? limit : end;
}
