/**
 * Commands ksh93 found nowhere in PATH while their stderr went nowhere.
 *
 * ksh93 looks a bare command name up in PATH itself (a stat of each
 * directory's entry, which the sandbox does not trace) and execs nothing
 * when none is there; it says `NAME: not found` on the command's stderr,
 * and the model reads that word from the trace (process-model.ts). With
 * `2>/dev/null`, the most common way control scripts run an optional
 * command (`crontab -l 2>/dev/null`), ksh93 writes nothing at all (sfio
 * skips the null device), so the miss leaves no call. What the trace still
 * shows is the command's xtrace line, written before the lookup: a command
 * the shell announced and then neither forked nor exec'd for, before it
 * announced the next one or ended, was not found (measured in the sandbox:
 * `crontab -l 2>/dev/null`, `x=$(crontab -l 2>/dev/null)` and
 * `if crontab -l >/dev/null 2>&1` all run no call between their line and
 * the next but the stats of the lookup).
 *
 * A command that runs no program is no miss: ksh93's builtins, the
 * script's own functions (by their definitions in its text), assignments,
 * and a line after which the shell traced another file (a POSIX function
 * of a sourced file such as control_utils, whose body is traced there). A
 * command of a pipeline runs in a child, which traces it and execs (or
 * ends) on its own. Not told apart: a ksh `function NAME` defined in a
 * sourced file (ksh93 traces no line of its body) that runs only builtins
 * looks like a miss of NAME, an unknown-command for information unless
 * HP-UX has a command of that name.
 */
import type { ScriptLocation } from './model-event.js';

/** ksh93u+m's builtins (`ksh -c builtin`, those bound to no path) and the words xtrace shows for `[[` and `((`. */
const KSH_BUILTINS: ReadonlySet<string> = new Set([
  '.',
  ':',
  '[',
  '[[',
  '((',
  'alias',
  'autoload',
  'bg',
  'break',
  'builtin',
  'cd',
  'command',
  'compound',
  'continue',
  'disown',
  'echo',
  'enum',
  'eval',
  'exec',
  'exit',
  'export',
  'false',
  'fc',
  'fg',
  'float',
  'functions',
  'getopts',
  'hash',
  'hist',
  'integer',
  'jobs',
  'kill',
  'let',
  'nameref',
  'print',
  'printf',
  'pwd',
  'read',
  'readonly',
  'redirect',
  'return',
  'set',
  'shift',
  'sleep',
  'source',
  'stop',
  'suspend',
  'test',
  'times',
  'trap',
  'true',
  'type',
  'typeset',
  'ulimit',
  'umask',
  'unalias',
  'unset',
  'wait',
  'whence',
]);

/** A function definition: `name()`, `name ()`, `function name`. */
const FUNCTION_DEFINITION = /^[ \t]*(?:function[ \t]+([A-Za-z_][\w.]*)|([A-Za-z_][\w.]*)[ \t]*\([ \t]*\))/gm;

/** An assignment word as xtrace shows it: `x=''`, `A[1]=v`, `n+=1`. */
const ASSIGNMENT = /^[A-Za-z_][\w.]*(?:\[[^\]]*\])?\+?=/;

/** A name a shell looks up in PATH: no `/`, no quoting or expansion left in it. */
const BARE_NAME = /^[A-Za-z0-9_][\w.+-]*$/;

/** A command announced by xtrace and waiting to show whether it ran a program. */
export interface LookupCandidate {
  readonly name: string;
  readonly location: ScriptLocation;
}

export class SilentLookups {
  private readonly functions: ReadonlySet<string>;

  /** @param scriptText the control script's text, whose function definitions are no programs */
  constructor(scriptText: string | undefined) {
    const names = new Set<string>();
    for (const m of (scriptText ?? '').matchAll(FUNCTION_DEFINITION)) names.add((m[1] ?? m[2]) as string);
    this.functions = names;
  }

  /** The command of an xtrace line that ksh93 must look up in PATH (a bare name, no builtin, no function), if any. */
  candidate(location: ScriptLocation): LookupCandidate | undefined {
    const text = location.expanded;
    if (text === undefined) return undefined;
    for (const word of text.split(/\s+/)) {
      if (word === '') continue;
      if (ASSIGNMENT.test(word)) continue;
      if (!BARE_NAME.test(word) || KSH_BUILTINS.has(word) || this.functions.has(word)) return undefined;
      return { name: word, location };
    }
    return undefined;
  }
}
