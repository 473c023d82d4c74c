/**
 * What the model saw of the control script while it read the trace: for
 * each script line, the commands its xtrace markers named (their first
 * word), a few of their expansions and the trace line of the first; and the
 * calls of runcmd processes that failed on a path (a missing pid file, an
 * init script that is not there), by the script line they came from. Fed by
 * the model (process-model.ts, model-context.ts) as it goes, in constant
 * work per marker; read once at the end by the coverage join.
 */
import type { ScriptLocation } from './model-event.js';

/** First words kept per line (a line runs a handful of commands), expansions quoted per line. */
const MAX_WORDS = 16;
const MAX_EXPANSIONS = 4;
const MAX_PROBES = 2000;

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
  /** The control-script line the process was at, when known. */
  readonly scriptLine?: number;
  readonly path: string;
  readonly syscall: string;
  readonly errno?: string;
  readonly traceLine: number;
  readonly raw: string;
}

export class CoverageRecorder {
  readonly lines = new Map<number, LineSeen>();
  readonly probes: FailedProbe[] = [];
  /** Markers seen in all. */
  markers = 0;

  /** A marker of the control script: `location` as the xtrace reader made it, written at trace line `traceLine`. */
  saw(location: ScriptLocation, traceLine: number): void {
    this.markers++;
    const expanded = location.expanded ?? '';
    const word = firstWord(expanded);
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

  /** A failed call on `path` by a runcmd process at `scriptLine`. */
  failed(scriptLine: number | undefined, path: string, syscall: string, errno: string | undefined, traceLine: number, raw: string): void {
    if (this.probes.length >= MAX_PROBES) return;
    this.probes.push({ ...(scriptLine === undefined ? {} : { scriptLine }), path, syscall, ...(errno === undefined ? {} : { errno }), traceLine, raw });
  }
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
