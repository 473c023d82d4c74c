/**
 * What the model saw of the control script while it read the trace: for
 * each script line, the commands its xtrace markers named (their first
 * word), a few of their expansions and the trace line of the first; the
 * calls of runcmd processes that failed on a path (a missing pid file, an
 * init script that is not there), by the script line they came from; the
 * paths the script's tests asked about (`[ -x /sbin/init.d/x ]`); the
 * process-list searches that found nothing (`ps -ef | grep -q x` whose grep
 * exited 1); and the signal-0 probes answered ESRCH. Fed by the model
 * (process-model.ts, model-context.ts, probe-events.ts) as it goes, in
 * constant work per marker; read once at the end by the coverage join and
 * by branch exploration's probe listing (harness/explore/).
 */
import type { ScriptLocation } from './model-event.js';

/** First words kept per line (a line runs a handful of commands), expansions quoted per line. */
const MAX_WORDS = 16;
const MAX_EXPANSIONS = 4;
const MAX_PROBES = 2000;
const MAX_TESTED = 2000;
const MAX_SEARCHES = 200;

export interface LineSeen {
  /** How many markers named each command word (`[`, `kill`, `PID=`) on the line, the first few words. */
  readonly words: Map<string, number>;
  /** Distinct expanded commands as the shell traced them, the first few. */
  readonly expansions: string[];
  /** Trace line of the first marker naming the line. */
  readonly traceLine: number;
  count: number;
}

/** A call of a runcmd process that failed on a path: an answer the script may have acted on. */
export interface FailedProbe {
  /**
   * The control-script line the process was at, when known. Absent for a
   * call of the tracing shell itself that ksh93 traces only after running
   * it (a test builtin's stat): its line is not known when the call is read.
   */
  readonly scriptLine?: number;
  /** The path as the process named it. */
  readonly path: string;
  /** The same path from the root of the process (absolute), when it could be resolved. */
  readonly jailPath?: string;
  readonly syscall: string;
  readonly errno?: string;
  readonly traceLine: number;
  readonly raw: string;
  /** The acting process (strace's pid). */
  readonly pid?: number;
  /**
   * The process's command names the path: the program it tried to exec, an
   * argument of its argv, or a word of the command its script line ran as
   * (`cat /var/run/x.pid`). A library or locale file a program looks for on
   * its own, or a directory of a PATH search, is not named.
   */
  readonly named?: true;
  /** An access(2) family call that asked for X_OK. */
  readonly executable?: true;
}

/** A path a test of the script asked about, from its xtrace (`[ -x /sbin/init.d/x ]`, `test -d /opt/p`, `[[ -f $F ]]`). */
export interface TestedPath {
  /** The test operators asked of it (`-f`, `-x`, `-d`, ...). */
  readonly ops: Set<string>;
  readonly line: number;
  readonly traceLine: number;
  /** The test as the shell expanded it. */
  readonly expanded: string;
}

/** A process-list search of the script that found nothing: a `grep` (after a `ps`) or a `pgrep` that exited 1. */
export interface ProcessSearch {
  readonly argv: readonly string[];
  readonly scriptLine?: number;
  readonly traceLine: number;
  readonly raw: string;
}

/** A signal-0 probe of the script answered ESRCH: the pid it asked about does not run. */
export interface MissingProcess {
  readonly pid: number;
  readonly scriptLine?: number;
  readonly traceLine: number;
  readonly raw: string;
}

/** The test operators of test(1) and ksh93's `[[ ]]` that ask about a path. */
const PATH_TESTS: ReadonlySet<string> = new Set([
  '-a',
  '-b',
  '-c',
  '-d',
  '-e',
  '-f',
  '-g',
  '-h',
  '-k',
  '-L',
  '-p',
  '-r',
  '-s',
  '-S',
  '-u',
  '-w',
  '-x',
  '-O',
  '-G',
]);
const TEST_WORDS: ReadonlySet<string> = new Set(['[', 'test', '[[']);

export class CoverageRecorder {
  readonly lines = new Map<number, LineSeen>();
  readonly probes: FailedProbe[] = [];
  /** Paths the script's tests asked about, by path as the test named it. */
  readonly tested = new Map<string, TestedPath>();
  readonly searches: ProcessSearch[] = [];
  readonly missingProcesses: MissingProcess[] = [];
  /** Markers seen in all. */
  markers = 0;

  /** A marker of the control script: `location` as the xtrace reader made it, written at trace line `traceLine`. */
  saw(location: ScriptLocation, traceLine: number): void {
    this.markers++;
    const expanded = location.expanded ?? '';
    const word = firstWord(expanded);
    if (TEST_WORDS.has(word)) this.sawTest(expanded, location.line, traceLine);
    const seen = this.lines.get(location.line);
    if (seen === undefined) {
      this.lines.set(location.line, { words: new Map([[word, 1]]), expansions: [expanded], traceLine, count: 1 });
      return;
    }
    seen.count++;
    const n = seen.words.get(word);
    if (n !== undefined) seen.words.set(word, n + 1);
    else if (seen.words.size < MAX_WORDS) seen.words.set(word, 1);
    if (seen.expansions.length < MAX_EXPANSIONS && !seen.expansions.includes(expanded)) seen.expansions.push(expanded);
  }

  /** A failed call of a runcmd process on a path. */
  failed(probe: FailedProbe): void {
    if (this.probes.length >= MAX_PROBES) return;
    this.probes.push(probe);
  }

  /** A `grep` or `pgrep` of the script that exited 1 (found nothing). */
  searched(search: ProcessSearch): void {
    if (this.searches.length < MAX_SEARCHES) this.searches.push(search);
  }

  /** A signal-0 probe of the script answered ESRCH. */
  noProcess(missing: MissingProcess): void {
    if (this.missingProcesses.length < MAX_SEARCHES) this.missingProcesses.push(missing);
  }

  /** The paths a traced test asks about: each operand after a path operator. */
  private sawTest(expanded: string, line: number, traceLine: number): void {
    const words = expanded.split(/\s+/).map(unquote);
    for (let i = 1; i + 1 < words.length; i++) {
      const op = words[i] as string;
      const path = words[i + 1] as string;
      if (!PATH_TESTS.has(op) || !path.startsWith('/')) continue;
      const known = this.tested.get(path);
      if (known !== undefined) known.ops.add(op);
      else if (this.tested.size < MAX_TESTED) this.tested.set(path, { ops: new Set([op]), line, traceLine, expanded });
    }
  }
}

/** A word as ksh93's xtrace quotes it (`'a b'`, `$'\t'`), without the quotes. */
function unquote(word: string): string {
  if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) return word.slice(1, -1);
  if (word.startsWith("$'") && word.endsWith("'")) return word.slice(2, -1);
  return word;
}

/**
 * The command word of a traced command: ksh93 quotes a word with special
 * characters (`'['` never, `'a b'`), and an assignment is `NAME=` whatever
 * its value.
 */
export function firstWord(expanded: string): string {
  let end: number;
  if (expanded.startsWith("'")) end = expanded.indexOf("'", 1) + 1;
  else if (expanded.startsWith("$'")) end = closingQuote(expanded, 2) + 1;
  else end = expanded.indexOf(' ');
  if (end <= 0) end = expanded.length;
  let word = expanded.slice(0, end);
  const eq = word.indexOf('=');
  if (eq > 0 && /^[A-Za-z_][\w]*(?:\[[^\]]*\])?$/.test(word.slice(0, eq))) return word.slice(0, eq + 1).replace(/\[.*$/, '=');
  if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) word = word.slice(1, -1);
  else if (word.startsWith("$'") && word.endsWith("'")) word = word.slice(2, -1);
  return word;
}

/** The index of the `'` that ends a `$'...'` word begun before `from` (backslash escapes skipped), or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === "'") return i;
  }
  return -1;
}
