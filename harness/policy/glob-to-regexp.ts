/**
 * A small path glob compiler: the compiled RegExp is what the hot path runs.
 *
 * - `*` any run of characters except `/`
 * - `**` any run of characters including `/`; `**\/` also matches nothing,
 *   so `**\/init.d/*` matches both `/sbin/init.d/x` and `init.d/x`
 * - `?` one character except `/`
 * - `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` one character of (not of) a set
 * - `{a,b}` either alternative (alternatives may hold globs, and nest)
 * - `\x` the character `x` itself
 *
 * The whole string must match.
 *
 * Why not picomatch's `makeRe` (measured, and tried against the tests of
 * test/policy/glob-to-regexp.ts): its speed was no reason either way (policy
 * bench, 4 alternating runs: 480-581k evaluations/s here, 377-746k with
 * picomatch; matching the built-in lists' globs against ten typical paths:
 * 2-4x faster on `init-script-paths` and `disk-devices`, 3x slower on
 * `installed-program-paths`), but its globs mean other things, and one of
 * the differences lets a finding go missing:
 *
 * - `*`, `**` and `?` never match a `.` or `..` path segment, even with
 *   `dot: true` (shell globbing). A path as a process named it
 *   (`exec.path`, `path.path`) may hold one: `/opt/**` would not match
 *   `/opt/acme/../acme/bin/acmed`, a program the sandbox lacks, and
 *   `unknown-program` (a gap, so never `safe`) would become
 *   `unknown-command` (information) and the run `safe`.
 * - `(a|b)` is a group and `|` an alternation, where a policy means the
 *   characters; `!`, `@(`, `+(` start negations and extglobs unless turned
 *   off.
 * - `**` is a globstar only as a whole segment (`a**b` is `a*b`), and
 *   `/opt/**` also matches `/opt` itself.
 */

export class GlobSyntaxError extends Error {
  override readonly name = 'GlobSyntaxError';
}

const SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function escapeChar(c: string): string {
  return SPECIAL.test(c) ? `\\${c}` : c;
}

/** Translates glob text from `start` up to an unmatched `}` or `,` (when inside braces) or the end. */
function translate(glob: string, start: number, inBraces: boolean): { source: string; end: number } {
  let out = '';
  let i = start;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (inBraces && (c === '}' || c === ',')) return { source: out, end: i };
    if (c === '\\') {
      const next = glob[i + 1];
      if (next === undefined) throw new GlobSyntaxError(`dangling \`\\\` at the end of \`${glob}\``);
      out += escapeChar(next);
      i += 2;
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        if (glob[i + 2] === '/') {
          // Lazy: the same strings match, and a leading `**/` fails 5x faster on a path that does not end as it asks.
          out += '(?:.*?/)?';
          i += 3;
        } else {
          out += '.*';
          i += 2;
        }
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (c === '?') {
      out += '[^/]';
      i += 1;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) throw new GlobSyntaxError(`unclosed \`[\` in \`${glob}\``);
      let body = glob.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      const escaped = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += negate ? `[^/${escaped}]` : `[${escaped}]`;
      i = close + 1;
    } else if (c === '{') {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = translate(glob, j, true);
        alternatives.push(part.source);
        if (part.end >= glob.length) throw new GlobSyntaxError(`unclosed \`{\` in \`${glob}\``);
        j = part.end + 1;
        if (glob[part.end] === '}') break;
      }
      out += `(?:${alternatives.join('|')})`;
      i = j;
    } else {
      out += escapeChar(c);
      i += 1;
    }
  }
  if (inBraces) return { source: out, end: glob.length };
  return { source: out, end: i };
}

/** The source of an unanchored RegExp equivalent to `glob` (for joining several globs into one). */
export function globSource(glob: string): string {
  return translate(glob, 0, false).source;
}

/** A RegExp that matches exactly the strings `glob` matches. Throws `GlobSyntaxError`. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^(?:${globSource(glob)})$`, 's');
}

/** One RegExp matching any of `globs`. */
export function globsToRegExp(globs: readonly string[]): RegExp {
  return new RegExp(`^(?:${globs.map((g) => globSource(g)).join('|')})$`, 's');
}
