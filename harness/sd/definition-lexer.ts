/**
 * The line grammar shared by PSFs, INDEX and INFO files: `keyword value`,
 * `#` comments (alone or after a value), values in double quotes that may
 * span lines (`\"`, `\#`, `\\` escaped inside), `< file` values read from a
 * file, and a trailing `\` continuing an unquoted value on the next line.
 * Sources: swpackage(4) "PRODUCT SPECIFICATION FILE SYNTAX", sd(4) "INDEX
 * FORMAT", swbis sw(5) "Additional Syntax Rules" (docs/sd-formats.md).
 *
 * The lexer does not know keywords: the first token of a line is returned as
 * its keyword and the readers decide what it means, so a list continued on
 * the following lines (`prerequisites` then one spec per line) lexes too.
 */
import type { ProblemList } from './sd-input-error.js';

export interface Token {
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

export interface DefinitionLine {
  /** The first token of the line. */
  readonly keyword: string;
  readonly line: number;
  readonly col: number;
  /** Unquoted text (trimmed, comment removed), or a quoted value's content with escapes resolved; `''` when none. */
  readonly value: string;
  readonly quoted: boolean;
  /** Set for `keyword < file`: the value is that file's contents. */
  readonly fileRef?: Token;
  /** Whitespace-separated tokens of the value, with positions (one token for a quoted value). */
  readonly tokens: readonly Token[];
}

const SPACE = /[ \t\f\v]/;

/** Lexes `text` (the contents of `file`); malformed lines are reported to `problems` and left out. */
export function lexDefinitions(text: string, file: string, problems: ProblemList): DefinitionLine[] {
  const lines = text.split(/\r?\n/);
  const out: DefinitionLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    i++;
    let p = skipSpace(raw, 0);
    if (p >= raw.length || raw[p] === '#') continue;
    if (raw[p] === '"') {
      problems.add(file, lineNo, p + 1, 'expected a keyword, got a quoted value');
      // Skip a quoted value that may span lines, so its text is not lexed as keywords.
      i = skipQuoted(lines, i - 1, p).next;
      continue;
    }
    const kwStart = p;
    while (p < raw.length && !SPACE.test(raw[p]!)) p++;
    const keyword = raw.slice(kwStart, p);
    const base = { keyword, line: lineNo, col: kwStart + 1 };
    p = skipSpace(raw, p);
    if (p >= raw.length || raw[p] === '#') {
      out.push({ ...base, value: '', quoted: false, tokens: [] });
      continue;
    }
    if (raw[p] === '"') {
      const q = skipQuoted(lines, i - 1, p);
      if (q.value === undefined) {
        problems.add(file, lineNo, p + 1, 'unterminated quoted value: no closing `"`');
        i = lines.length;
        continue;
      }
      const rest = lines[q.endLine]!.slice(q.endCol);
      const after = skipSpace(rest, 0);
      if (after < rest.length && rest[after] !== '#') {
        problems.add(file, q.endLine + 1, q.endCol + after + 1, 'unexpected text after the closing `"`');
      }
      out.push({ ...base, value: q.value, quoted: true, tokens: [{ text: q.value, line: lineNo, col: p + 1 }] });
      i = q.next;
      continue;
    }
    if (raw[p] === '<') {
      const start = skipSpace(raw, p + 1);
      const name = stripComment(raw, start).slice(start).trimEnd();
      if (name === '') {
        problems.add(file, lineNo, p + 1, '`<` must be followed by the name of the file holding the value');
        continue;
      }
      const fileRef = { text: name, line: lineNo, col: start + 1 };
      out.push({ ...base, value: name, quoted: false, fileRef, tokens: [fileRef] });
      continue;
    }
    // Unquoted: the rest of the line, continued while it ends in a backslash.
    const tokens: Token[] = [];
    let segment = stripComment(raw, p).trimEnd();
    let segLine = lineNo;
    let segStart = p;
    const parts: string[] = [];
    for (;;) {
      const continued = segment.endsWith('\\');
      const body = continued ? segment.slice(0, -1).trimEnd() : segment;
      tokens.push(...tokenize(body, segLine, segStart));
      parts.push(body.slice(segStart));
      if (!continued || i >= lines.length) break;
      const next = lines[i]!;
      segLine = i + 1;
      i++;
      segStart = skipSpace(next, 0);
      segment = stripComment(next, segStart).trimEnd();
    }
    out.push({ ...base, value: parts.filter((s) => s !== '').join(' '), quoted: false, tokens });
  }
  return out;
}

function skipSpace(s: string, from: number): number {
  let p = from;
  while (p < s.length && SPACE.test(s[p]!)) p++;
  return p;
}

/** The line up to a `#` that starts a word (a `#` inside a word, as in `a#b`, is text). */
function stripComment(s: string, from: number): string {
  for (let p = from; p < s.length; p++) {
    if (s[p] === '#' && (p === from || SPACE.test(s[p - 1]!))) return s.slice(0, p);
  }
  return s;
}

function tokenize(s: string, line: number, from: number): Token[] {
  const out: Token[] = [];
  let p = skipSpace(s, from);
  while (p < s.length) {
    const start = p;
    while (p < s.length && !SPACE.test(s[p]!)) p++;
    out.push({ text: s.slice(start, p), line, col: start + 1 });
    p = skipSpace(s, p);
  }
  return out;
}

interface Quoted {
  /** Undefined when the closing quote is missing. */
  readonly value?: string;
  /** Line index and column just after the closing quote. */
  readonly endLine: number;
  readonly endCol: number;
  /** Index of the first line after the value. */
  readonly next: number;
}

/** Reads a quoted value opening at `lines[lineIndex][col]`. */
function skipQuoted(lines: readonly string[], lineIndex: number, col: number): Quoted {
  let value = '';
  let li = lineIndex;
  let p = col + 1;
  while (li < lines.length) {
    const s = lines[li]!;
    while (p < s.length) {
      const c = s[p]!;
      if (c === '\\' && p + 1 < s.length && '"#\\'.includes(s[p + 1]!)) {
        value += s[p + 1];
        p += 2;
      } else if (c === '"') {
        return { value, endLine: li, endCol: p + 1, next: li + 1 };
      } else {
        value += c;
        p++;
      }
    }
    value += '\n';
    li++;
    p = 0;
  }
  return { endLine: lines.length - 1, endCol: 0, next: lines.length };
}
