/**
 * When a script line from the xtrace markers may not be the line that caused
 * an event. The location is the last line the shell traced, and ksh93 stops
 * tracing in three common ways, all measured in the sandbox:
 * - `exec 2>/dev/null` (or `exec >/dev/null 2>&1`, `exec 2>&-`): ksh93's sfio
 *   writes nothing to the null device (it knows it by its device number, so no
 *   name for /dev/null helps) or to a closed fd, so no marker follows;
 * - `set +x` (`set +o xtrace`, `set -`): it is not traced itself;
 * - a `function NAME { ... }` body: ksh93 gives such functions their own
 *   options, so their commands are not traced and the event shows the call.
 * The script text cannot be rewritten to prevent this (the script must run as
 * written), so the location says so instead of naming the wrong line.
 */

/** `exec` with a redirection of fd 2, as ksh93 traces it: `exec 2> /dev/null`, `exec 1> /dev/null 2>& 1`, `exec 2>& -`. */
const EXEC_MOVES_STDERR = /^exec(?:\s+\d*(?:<>|>\||>>|[<>])&?\s*\S+)*\s+2(?:<>|>\||>>|>)/;

/** `set +x`, `set +ex`, `set +o xtrace`, `set -` as a command of a source line. */
const XTRACE_OFF = /(?:^|[;&|({}\s])set\s+(?:\+[A-Za-z]*x[A-Za-z]*|\+o\s+xtrace|-)(?=\s|;|$)/;

/** A `function NAME` definition (ksh93's own syntax; POSIX `NAME()` bodies are traced). */
const KSH_FUNCTION = /^[ \t]*function\s+([A-Za-z_][\w.]*)/;

const COMMENT_OR_BLANK = /^\s*(?:#.*)?$/;

export class ScriptCaveats {
  private functions: ReadonlyMap<string, number> | undefined;

  /** @param lines the script's source lines (empty when its text is not known) */
  constructor(private readonly lines: readonly string[]) {}

  /**
   * Why events tied to `line` (whose command the shell expanded to
   * `expanded`) may come from a later line, or undefined when the line is exact.
   */
  caveat(line: number, expanded: string): string | undefined {
    if (EXEC_MOVES_STDERR.test(expanded)) {
      return 'the shell traces no line after this one while its stderr goes to /dev/null or is closed: the event may come from a later line';
    }
    const name = /^[A-Za-z_][\w.]*/.exec(expanded)?.[0];
    const defined = name === undefined ? undefined : this.kshFunctions().get(name);
    if (defined !== undefined) {
      return `\`${name}\` is a ksh function (\`function ${name}\`, line ${defined}), whose body ksh93 does not trace: the event comes from inside it`;
    }
    const off = this.xtraceOffFrom(line);
    if (off !== undefined) return `the shell stops tracing at line ${off.line} (\`${off.command}\`): the event may come from a later line`;
    return undefined;
  }

  /** The line at or just after `line` (up to the next command line) that turns xtrace off, and its `set` command. */
  private xtraceOffFrom(line: number): { readonly line: number; readonly command: string } | undefined {
    const lines = this.lines;
    for (let i = line - 1; i >= 0 && i < lines.length; i++) {
      const text = lines[i] as string;
      const off = XTRACE_OFF.exec(text);
      if (off !== null) return { line: i + 1, command: off[0].replace(/^[;&|({}\s]/, '').trim() };
      if (i > line - 1 && !COMMENT_OR_BLANK.test(text)) return undefined;
    }
    return undefined;
  }

  private kshFunctions(): ReadonlyMap<string, number> {
    if (this.functions === undefined) {
      const found = new Map<string, number>();
      this.lines.forEach((text, i) => {
        const name = KSH_FUNCTION.exec(text)?.[1];
        if (name !== undefined && !found.has(name)) found.set(name, i + 1);
      });
      this.functions = found;
    }
    return this.functions;
  }
}
