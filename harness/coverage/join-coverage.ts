/**
 * Joins the script's outline with the xtrace markers the model saw: which
 * commands ran, which did not, and which cannot be told because ksh93 was
 * not tracing where they sit. A command counts as not run only when the
 * shell would have traced it had it run:
 * - the body of a `function NAME` (ksh93 runs it with its own options, xtrace
 *   off) that was called, and of a POSIX function called from such a body,
 *   is `unknown`;
 * - after a `set +x` (`set +o xtrace`, `set -`), or an `exec` that sends
 *   stderr to /dev/null or closes it, every later command, every function
 *   body, and the loop around it are `unknown` unless a marker names them;
 * - a shell killed before it wrote its buffered trace (a signal, a limit, a
 *   trace cut short) leaves every command without a marker `unknown`;
 * - a function body whose every call did not run did not run either (an
 *   `eval` or `trap` that ran may call anything: then `unknown`).
 * A marker names its line and the command's first word; it marks the
 * commands of that line with that word, in order (`kill -0 $P && kill -9 $P`
 * with one `kill` marker ran the first). ksh93 traces a command
 * substitution in a `case` word with an earlier line's LINENO, so a marker
 * whose line has no such command goes to the next such substitution below.
 * A marker that fits no command (the code of an `eval`, traced with its own
 * line numbers) is counted, not placed.
 */
import type { CoverageRecorder } from '../model/coverage-recorder.js';
import type { ScriptCommand, ScriptOutline } from './script-outline.js';

/** Why a command's run cannot be told. */
export type Untraced =
  /** Inside a ksh `function NAME` body, or a POSIX function called from one. */
  | 'ksh-function'
  /** After a `set +x` or an `exec 2>/dev/null` that may have run. */
  | 'xtrace-off'
  /** The shell ended without writing its buffered trace (killed, a limit, a cut trace). */
  | 'unflushed'
  /** The trace shows no control-script shell at all. */
  | 'no-trace'
  /** A function reached only through `eval`/`trap` code, or a call whose run is itself unknown. */
  | 'indirect'
  /** A background job (`&`, `|&`), which writes its own trace and may be killed before it does. */
  | 'background';

export type CommandStatus =
  | { readonly state: 'ran' }
  | { readonly state: 'not'; readonly neverCalled?: string }
  | { readonly state: 'unknown'; readonly why: Untraced; readonly detail: string };

export interface JoinOptions {
  /** How the control script's shell ended: `normal` (an exit the trace shows) or not. */
  readonly ended: 'normal' | 'killed' | 'missing';
}

export interface JoinResult {
  readonly status: readonly CommandStatus[];
  /** Markers that fit no command of the outline. */
  readonly unattributed: number;
}

const RAN: CommandStatus = Object.freeze({ state: 'ran' });

/** Does a traced first word name this command? */
export function named(c: ScriptCommand, word: string): boolean {
  if (word.endsWith('=')) return c.assigns.includes(word.slice(0, -1));
  const name = c.name;
  if (name === undefined) return false;
  // `$CIMPROVIDER -ls` is traced as what the variable held.
  if (!name.literal) return true;
  return name.text === word;
}

export function joinCoverage(outline: ScriptOutline, recorder: CoverageRecorder, options: JoinOptions): JoinResult {
  const ran = new Array<boolean>(outline.commands.length).fill(false);
  let unattributed = 0;
  const stale = outline.commands.filter((c) => c.staleLine);
  for (const [line, seen] of recorder.lines) {
    const here = outline.byLine.get(line) ?? [];
    for (const [word, count] of seen.words) {
      // The shell's own diagnostic after a marker prefix (`/path/script[4]: /x: cannot create`) names no command,
      // nor does the line of a command's redirections (`1> /tmp/f 0<< \EOF`), which ksh93 traces apart.
      if (/\[\d+\]:$/.test(word) || /^\d*(?:[<>]|&>)/.test(word)) continue;
      const hits = here.filter((c) => named(c, word));
      if (hits.length > 0) {
        // One marker per run of a command: the first `count` of the same name ran (a line in a loop marks them all).
        for (const c of hits.slice(0, Math.max(count, 1))) ran[c.index] = true;
        continue;
      }
      const moved = stale.find((c) => c.line > line && named(c, word));
      if (moved !== undefined) ran[moved.index] = true;
      else unattributed += count;
    }
  }
  return { status: new StatusSolver(outline, ran, options).solve(), unattributed };
}

/** `set +x`, `set +ex`, `set +o xtrace`, `set -`. */
function turnsXtraceOff(c: ScriptCommand): boolean {
  if (c.name?.text !== 'set') return false;
  const args = c.args.map((a) => a.text);
  return args.some((a, i) => /^\+[A-Za-z]*x[A-Za-z]*$/.test(a) || (a === '+o' && args[i + 1] === 'xtrace') || (a === '-' && i === 0));
}

/** `exec 2>/dev/null`, `exec 2>&-`, `exec >/dev/null 2>&1`: ksh93 writes no trace to the null device or a closed fd. */
function silencesStderr(c: ScriptCommand): boolean {
  if (c.name?.text !== 'exec' || c.args.length > 0) return false;
  return c.redirects.some((r) => r.fd === '2' && (r.target.text === '/dev/null' || r.op === '>&' || r.op === '<&' || !r.target.literal));
}

class StatusSolver {
  private readonly status: (CommandStatus | undefined)[];
  private readonly calls = new Map<string, ScriptCommand[]>();
  /** Commands after which tracing may be off, with the region each opens. */
  private readonly silencers: ScriptCommand[];
  private readonly dynamicCallers: ScriptCommand[];
  private readonly solving = new Set<string>();
  private readonly fnState = new Map<string, FunctionState>();

  constructor(
    private readonly outline: ScriptOutline,
    private readonly ran: readonly boolean[],
    private readonly options: JoinOptions,
  ) {
    this.status = new Array<CommandStatus | undefined>(outline.commands.length);
    for (const c of outline.commands) {
      const name = c.name;
      if (name?.literal && outline.functions.has(name.text)) {
        const list = this.calls.get(name.text);
        if (list === undefined) this.calls.set(name.text, [c]);
        else list.push(c);
      }
    }
    this.silencers = outline.commands.filter((c) => silencesStderr(c) || (turnsXtraceOff(c) && !this.inKshFunction(c)));
    this.dynamicCallers = outline.commands.filter((c) => c.name?.literal && (c.name.text === 'eval' || c.name.text === 'trap') && ran[c.index]);
  }

  solve(): CommandStatus[] {
    return this.outline.commands.map((c) => this.of(c));
  }

  private of(c: ScriptCommand): CommandStatus {
    const known = this.status[c.index];
    if (known !== undefined) return known;
    const s = this.decide(c);
    this.status[c.index] = s;
    return s;
  }

  private decide(c: ScriptCommand): CommandStatus {
    if (this.ran[c.index]) return RAN;
    if (this.options.ended === 'missing') return { state: 'unknown', why: 'no-trace', detail: 'the trace shows no shell running the control script' };
    if (this.options.ended === 'killed') {
      return {
        state: 'unknown',
        why: 'unflushed',
        detail: 'the shell ended without an exit of its own (killed, or the run was cut short), so the trace it had not yet written is lost',
      };
    }
    if (turnsXtraceOff(c)) {
      return { state: 'unknown', why: 'xtrace-off', detail: `ksh93 does not trace \`${c.source}\` itself` };
    }
    if (c.background) {
      return {
        state: 'unknown',
        why: 'background',
        detail: 'it runs in the background, whose job writes its own trace and may have been killed before it did',
      };
    }
    if (c.inFunction !== undefined) {
      const fn = this.functionState(c.inFunction);
      if (fn.state === 'never') return { state: 'not', neverCalled: c.inFunction };
      if (fn.state === 'unknown') return { state: 'unknown', why: 'indirect', detail: fn.detail };
      if (fn.untraced !== undefined) return { state: 'unknown', why: 'ksh-function', detail: fn.untraced };
    }
    const off = this.silencedBy(c);
    if (off !== undefined) {
      return {
        state: 'unknown',
        why: 'xtrace-off',
        detail: `the shell may have stopped tracing at line ${off.line} (\`${off.source}\`) and written no trace of it`,
      };
    }
    return { state: 'not' };
  }

  private inKshFunction(c: ScriptCommand): boolean {
    return c.guards.some((g) => g.kind === 'function' && this.outline.functions.get(g.text)?.ksh === true);
  }

  /**
   * The first silencer that may have run before `c` could: one before it in
   * the script, anywhere when either is in a function body, or in a loop
   * around it. A silencer before it stops counting once a top-level command
   * after it, up to `c` with no other silencer between, shows in the trace:
   * the shell was tracing again there (`set -x`) and stayed so.
   */
  private silencedBy(c: ScriptCommand): ScriptCommand | undefined {
    // The nearest first: that is the one a reviewer looks at.
    for (let k = this.silencers.length - 1; k >= 0; k--) {
      const x = this.silencers[k] as ScriptCommand;
      if (x === c) continue;
      if (x.inFunction !== undefined && this.functionState(x.inFunction).state === 'never') continue;
      if (x.inFunction !== undefined || c.inFunction !== undefined) return x;
      const loop = x.guards.find((g) => g.kind === 'loop' || g.kind === 'for');
      if (loop !== undefined && c.guards.includes(loop)) return x;
      if (x.index < c.index && !this.tracedAgain(x, c)) return x;
    }
    return undefined;
  }

  /** A command after silencer `x` and up to `c` (top level, no silencer between it and `c`) ran with a marker. */
  private tracedAgain(x: ScriptCommand, c: ScriptCommand): boolean {
    for (let i = c.index; i > x.index; i--) {
      const m = this.outline.commands[i] as ScriptCommand;
      if (i !== c.index && this.silencers.includes(m)) return false;
      if (this.ran[i] && m.inFunction === undefined && !m.background) return true;
    }
    return false;
  }

  private functionState(name: string): FunctionState {
    const known = this.fnState.get(name);
    if (known !== undefined) return known;
    if (this.solving.has(name)) return { state: 'unknown', detail: `\`${name}\` calls itself, through a chain of calls whose run is unknown` };
    this.solving.add(name);
    const def = this.outline.functions.get(name);
    let state: FunctionState;
    const calls = this.calls.get(name) ?? [];
    const statuses = calls.map((call) => ({ call, s: this.of(call) }));
    const ranCall = statuses.find((x) => x.s.state === 'ran');
    const unknownCall = statuses.find((x) => x.s.state === 'unknown');
    const untracedCall = statuses.find((x) => x.s.state === 'unknown' && x.s.why === 'ksh-function');
    const dynamic = this.dynamicCallers[0];
    if (def?.ksh === true && (ranCall !== undefined || untracedCall !== undefined)) {
      const at = ranCall?.call ?? untracedCall?.call;
      state = {
        state: 'called',
        untraced: `ksh93 does not trace the body of \`function ${name}\` (line ${def.line}), which was called${at === undefined ? '' : ` at line ${at.line}`}`,
      };
    } else if (untracedCall !== undefined) {
      state = { state: 'called', untraced: `\`${name}\` is called at line ${untracedCall.call.line}, inside a ksh function body ksh93 does not trace` };
    } else if (ranCall !== undefined) {
      state = { state: 'called' };
    } else if (unknownCall !== undefined) {
      state = {
        state: 'unknown',
        detail: `whether \`${name}\` was called is unknown: its call at line ${unknownCall.call.line} is in code the shell did not trace`,
      };
    } else if (dynamic !== undefined) {
      state = {
        state: 'unknown',
        detail: `\`${name}\` is never called by name, but the \`${dynamic.name?.text ?? ''}\` at line ${dynamic.line} ran code that may call it`,
      };
    } else {
      state = { state: 'never' };
    }
    this.solving.delete(name);
    this.fnState.set(name, state);
    return state;
  }
}

type FunctionState =
  { readonly state: 'called'; readonly untraced?: string } | { readonly state: 'never' } | { readonly state: 'unknown'; readonly detail: string };
