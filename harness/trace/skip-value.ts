/**
 * Skipping over strace text without building values: used to find where an
 * argument or an argument list ends when the typed scanner cannot read it.
 * Iterative (no recursion), so deep or unbalanced garbage cannot overflow the stack.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LT = 60;

/** Index just after the string whose `"` is at `start`, or `limit` when it never closes. */
export function skipString(text: string, start: number, limit: number): number {
  let i = start + 1;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
  return limit;
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
  const isPath = text.charCodeAt(start + 1) === 47; /* / */
  let depth = 0;
  let i = start;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === QUOTE && !isPath) {
      i = skipString(text, i, limit);
      continue;
    }
    if (c === LT) depth++;
    else if (c === 62 && (isPath || text.charCodeAt(i - 1) !== 45) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Like `findDecorationEnd`, but returns `limit` instead of -1 so callers always advance. */
function skipDecoration(text: string, start: number, limit: number): number {
  const end = findDecorationEnd(text, start, limit);
  return end === -1 ? limit : end;
}
