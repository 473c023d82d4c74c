/**
 * Which script line a call of the tracing shell itself belongs to, when
 * ksh93 wrote the line's xtrace marker only after running it.
 *
 * ksh93 buffers its xtrace output: the marker of a builtin that writes
 * nothing and forks nothing (`cd`, `ulimit`, `umask`, `test`) waits in the
 * buffer until the shell next writes to stderr or forks, so the call the
 * builtin made comes before its marker, and several markers then arrive in
 * one write. Measured in the sandbox: `ulimit -n 64` then
 * `cd /proc/1/root/var/run` at the top of a script write both markers after
 * the chdir, which the last marker read would tie to no line (and a later
 * such `cd` to the line of the one before). Every other command's marker is
 * written before its calls (a fork, output, a `kill` or a redirection
 * flushes the buffer first).
 *
 * Every write flushes the whole buffer, so a call the shell made between two
 * stderr writes belongs to the line it last traced or to one of the
 * deferred builtins the next write traces. The calls wait (ShellCalls) for
 * that write; a call such a builtin makes goes to the first of its lines, in
 * order, whose command names what the call names (`cd DIR` for
 * `chdir("DIR")`, `ulimit -n 63` for `prlimit64(.., {rlim_cur=63, ..})`), or
 * else to the first line of that builtin, saying so when several could be
 * it. Every other call stays with the line before.
 */
import type { ModelEvent, ScriptLocation } from './model-event.js';
import type { ProcessState } from './process-state.js';
import type { Mutable } from '../mutable.js';

/** Calls held for one shell before they are delivered with the line they had. */
const MAX_HELD_CALLS = 256;

/** The calls a builtin that runs before its marker is written makes, by call: that builtin. */
const DEFERRED_BUILTIN: ReadonlyMap<string, string> = new Map([
  ['chdir', 'cd'],
  ['fchdir', 'cd'],
  ['prlimit64', 'ulimit'],
  ['setrlimit', 'ulimit'],
  ['umask', 'umask'],
]);

const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const NUMBER = /(?<![\w.])\d+(?![\w.])/g;

/** The shell calls of one process waiting for the stderr write that says which lines they belong to. */
export class ShellCalls {
  private owner: ProcessState | undefined;
  private calls: Mutable<ModelEvent>[] = [];

  constructor(private readonly deliver: (e: ModelEvent) => void) {}

  /** Keep `e`, a call of `p` (a shell tracing the script), until `p` writes to stderr again; another process's calls are let go first. */
  hold(p: ProcessState, e: Mutable<ModelEvent>): void {
    if (this.owner !== p) this.release();
    this.owner = p;
    this.calls.push(e);
    if (this.calls.length >= MAX_HELD_CALLS) this.release();
  }

  /** `p` wrote to stderr, tracing `lines` (in order; none for other output): its calls held get their lines and go. */
  wrote(p: ProcessState, lines: readonly ScriptLocation[]): void {
    if (this.owner === p && lines.length > 0 && this.calls.length > 0) assignLines(this.calls, lines);
    this.release();
  }

  /** Deliver the calls held with the line they had. */
  release(): void {
    const calls = this.calls;
    if (calls.length === 0) return;
    this.calls = [];
    for (const e of calls) this.deliver(e);
  }
}

/**
 * Gives each call (all made by one shell since its last stderr write, in
 * order, carrying the line it last traced) the line that made it: the
 * candidates are that line then `lines`; lines only move forward.
 */
export function assignLines(calls: readonly Mutable<ModelEvent>[], lines: readonly ScriptLocation[]): void {
  const candidates: (ScriptLocation | undefined)[] = [calls[0]?.location];
  for (const l of lines) {
    const last = candidates[candidates.length - 1];
    if (last === undefined || last.line !== l.line || last.file !== l.file) candidates.push(l);
  }
  if (candidates.length < 2) return;
  let at = 0;
  for (const call of calls) {
    const builtin = DEFERRED_BUILTIN.get(call.syscall);
    if (builtin === undefined) continue;
    const claim = claimant(candidates, at, call, builtin);
    if (claim === undefined) continue;
    at = claim.at;
    const location = candidates[at];
    if (location === undefined || location === call.location) continue;
    if (claim.alternatives.length === 0) {
      call.location = location;
      continue;
    }
    const others = claim.alternatives.join(', ');
    const caveat = `the call may also come from line${claim.alternatives.length > 1 ? 's' : ''} ${others} (\`${builtin}\` too, whose trace ksh93 wrote after running it)`;
    call.location = { ...location, caveat: location.caveat === undefined ? caveat : `${location.caveat}; ${caveat}` };
  }
}

/** A line a call goes to, and the other lines of the same builtin it could come from when nothing it names decides. */
interface Claim {
  readonly at: number;
  readonly alternatives: readonly number[];
}

/**
 * From `from` on, the first candidate whose command is `builtin` with a word
 * the call names (a string argument, or a number); else the first whose
 * command is `builtin` at all.
 */
function claimant(candidates: readonly (ScriptLocation | undefined)[], from: number, call: ModelEvent, builtin: string): Claim | undefined {
  const args = argsOf(call.raw);
  const named = [...[...args.matchAll(QUOTED)].map((m) => m[1] as string).filter((s) => s.length > 0), ...[...args.matchAll(NUMBER)].map((m) => m[0])];
  const weak: number[] = [];
  for (let i = from; i < candidates.length; i++) {
    const expanded = candidates[i]?.expanded;
    if (expanded === undefined) continue;
    const words = wordsOf(expanded);
    if (words[0] !== builtin) continue;
    if (named.some((s) => words.includes(s))) return { at: i, alternatives: [] };
    weak.push(i);
  }
  const first = weak[0];
  if (first === undefined) return undefined;
  const others = weak.slice(1).map((i) => candidates[i]?.line as number);
  return { at: first, alternatives: others };
}

/** The arguments of a trace line's call: from after its name's `(` to the last `) = `. */
function argsOf(raw: string): string {
  const open = raw.indexOf('(');
  const close = raw.lastIndexOf(') = ');
  return open < 0 ? '' : raw.slice(open + 1, close > open ? close : raw.length);
}

/** A traced command's words, without the quotes ksh93 puts around words with special characters. */
function wordsOf(expanded: string): string[] {
  return expanded
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => (w.length >= 2 && w.startsWith("'") && w.endsWith("'") ? w.slice(1, -1) : w.startsWith("$'") && w.endsWith("'") ? w.slice(2, -1) : w));
}
