/**
 * What coverage knows of a control script from its parse: every simple
 * command with the line ksh93's LINENO gives it (a command spanning several
 * lines counts at its first), its words as far as they are literal, its
 * redirections, and what must hold for it to run (the conditions, loops,
 * case branches, `&&`/`||` lists and function bodies around it).
 */

/** A word as written: `text` with every part the shell expands at run time (`$PID`, `$(cat f)`) shown as `*`. */
export interface ScriptWord {
  readonly text: string;
  /** Every part is literal: `text` is what the shell passes. */
  readonly literal: boolean;
}

/**
 * `call`: a simple command (also `NAME=value` alone); `test`: `[[ ... ]]`;
 * `arith`: `(( ... ))`; `decl`: `typeset`/`export`/`readonly`/`local` with
 * its assignments; `let`: `let EXPR`.
 */
export type CommandKind = 'call' | 'test' | 'arith' | 'decl' | 'let';

/** What must hold for a command to run, from the construct around it. */
export interface Guard {
  /**
   * `then`: a branch of `if`/`elif` (its condition held); `else`: the `else`
   * or a later `elif` (every earlier condition failed); `loop`: the body of
   * `while`/`until`; `for`: the body of `for`/`select`; `case`: a branch of
   * `case`; `and`/`or`: the right side of `&&`/`||`; `function`: a function body.
   */
  readonly kind: 'then' | 'else' | 'loop' | 'for' | 'case' | 'and' | 'or' | 'function';
  /** Line of the construct (the `if`, the `case`, the left side of `&&`, the function's name). */
  readonly line: number;
  /** The condition, case word, list or function name as written. */
  readonly text: string;
  /** Indexes (into ScriptOutline.commands) of the commands whose outcome decided: the condition, the left side, the case word's substitutions. */
  readonly deciders: readonly number[];
  /** `case`: this branch's patterns; `loop`: `until` when the loop is an `until`. */
  readonly detail?: string;
}

export interface ScriptCommand {
  readonly index: number;
  /** First line (ksh93's LINENO for it). */
  readonly line: number;
  readonly kind: CommandKind;
  /** The command word (`[[`, `((`, `let`, the declaration builtin for those kinds); absent for assignments alone. */
  readonly name?: ScriptWord;
  readonly args: readonly ScriptWord[];
  readonly redirects: readonly { readonly op: string; readonly fd?: string; readonly target: ScriptWord }[];
  /** Variables the command assigns (`PID=$(cat f)`, `typeset -i n=3`, `read x`). */
  readonly assigns: readonly string[];
  /** Variables its words read (`$PIDFILE`, `${PID}`). */
  readonly reads: readonly string[];
  /** Outermost first. */
  readonly guards: readonly Guard[];
  /** The function whose body holds it, innermost. */
  readonly inFunction?: string;
  /**
   * A command substitution in a `case` word: ksh93 traces it with the LINENO
   * of an earlier line (measured with ksh93u+m 1.0.4), so its marker names
   * that line instead.
   */
  readonly staleLine: boolean;
  /**
   * In a job run in the background (`cmd &`, a `|&` coprocess): the job writes
   * its own trace, and one killed as it starts (`kill 0`) never does.
   */
  readonly background: boolean;
  /** The command's text as written (its first line's part when it spans several). */
  readonly source: string;
}

export interface FunctionDef {
  readonly name: string;
  readonly line: number;
  /** `function NAME { }`: ksh93 runs its body with its own options and does not trace it. */
  readonly ksh: boolean;
  readonly firstLine: number;
  readonly lastLine: number;
}

export interface ScriptOutline {
  readonly commands: readonly ScriptCommand[];
  /** Commands by first line. */
  readonly byLine: ReadonlyMap<number, readonly ScriptCommand[]>;
  readonly functions: ReadonlyMap<string, FunctionDef>;
  /** The parser's language: mksh (ksh88's descendant), or bash when mksh rejected the script. */
  readonly dialect: 'mksh' | 'bash';
}
