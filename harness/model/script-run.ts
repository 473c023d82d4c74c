/**
 * Whether the control script ran as written. The sandbox runs every control
 * script as `/sbin/sh -x SCRIPT` (ksh93, tracing each command it runs), so
 * a script that is a binary, or one written for another interpreter, or one
 * of which no command ran, shows nothing of what it does on HP-UX: such a
 * run is a capture gap (`script-not-run`), never a safe one. Three kinds of
 * evidence, each enough alone:
 * - the script's shell said it cannot run the file (`FILE: cannot execute
 *   [Exec format error]`, measured in the sandbox for a binary script; ksh93
 *   then exits 126 having run nothing);
 * - its text: a NUL byte (a binary: an HP-UX executable, a compiled helper),
 *   or a `#!` line naming an interpreter that is not a POSIX or Korn shell
 *   (`#!/usr/bin/perl`, `#!/bin/bash`, which HP-UX does not ship): the
 *   sandbox's shell does not run that interpreter's language;
 * - the trace: the script's shell traced none of its commands, though its
 *   text has some (a syntax error before the first, an `exec` of something
 *   that is not there). Without the text this is not judged: an empty script
 *   runs nothing and is safe.
 */

/** ksh93's word that it could not run a file: `[prefix: ]FILE: cannot execute [REASON]`. */
const CANNOT_EXECUTE = /(?:^|: )([^\n:]+): cannot execute \[([^\]\n]*)\]$/gm;

/** Interpreters whose language the sandbox's shell (ksh93, as HP-UX's POSIX shell) runs: sh and ksh by any path. */
const SHELL_INTERPRETER = /^(?:\S*\/)?(?:sh|ksh|ksh93|ksh88)$/;

const COMMENT_OR_BLANK = /^\s*(?:#.*)?$/;

/** How much of the text is read for a NUL byte: a binary has one near its start. */
const BINARY_PROBE_CHARS = 4096;

/** Why the control script's text cannot run as written under the sandbox's shell, or undefined. */
export function scriptTextProblem(text: string): string | undefined {
  if (text.slice(0, BINARY_PROBE_CHARS).includes('\u0000')) {
    return 'the control script is a binary, not a shell script: the sandbox runs control scripts with /sbin/sh -x, which cannot run it, so nothing it does was traced';
  }
  const interpreter = shebang(text);
  if (interpreter !== undefined && !SHELL_INTERPRETER.test(interpreter.program)) {
    return `the control script names ${interpreter.line} on its #! line: the sandbox runs control scripts with /sbin/sh -x, so what it does under ${interpreter.program} was not traced`;
  }
  return undefined;
}

/** The interpreter of a `#!` line: `/usr/bin/perl -w` gives `/usr/bin/perl`; `/usr/bin/env bash` gives `bash`. */
function shebang(text: string): { readonly line: string; readonly program: string } | undefined {
  if (!text.startsWith('#!')) return undefined;
  const end = text.indexOf('\n');
  const line = text.slice(2, end < 0 ? undefined : end).trim();
  const words = line.split(/\s+/);
  const first = words[0] ?? '';
  const program = first.endsWith('/env') && words[1] !== undefined ? words[1] : first;
  return program === '' ? undefined : { line: `#!${line}`, program };
}

/** The text has a line that is neither blank nor a comment (the `#!` line is one). */
export function hasCommandLine(text: string): boolean {
  for (const line of text.split('\n')) if (!COMMENT_OR_BLANK.test(line)) return true;
  return false;
}

/** Each `FILE: cannot execute [REASON]` in a shell's stderr write. */
export function* cannotExecute(text: string): Generator<{ readonly file: string; readonly reason: string; readonly line: string }> {
  for (const m of text.matchAll(CANNOT_EXECUTE)) {
    yield { file: (m[1] as string).trim(), reason: m[2] as string, line: m[0].replace(/^: /, '') };
  }
}
