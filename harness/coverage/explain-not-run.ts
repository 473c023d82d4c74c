/**
 * Why a command did not run, in one sentence a reviewer can check: the
 * innermost guard whose deciding command did run, and what the trace shows
 * of it: the condition as the shell expanded it (its xtrace, e.g.
 * `[ B.11.31 = B.11.23 ]`), and the calls that failed on a path the
 * condition, or the commands that set its variables, asked about (a pid
 * file that does not exist: openat ENOENT at trace line N). A body of a
 * function nobody called says so; a command after the script's end says
 * which line it ended at.
 */
import type { CoverageRecorder, FailedProbe } from '../model/coverage-recorder.js';
import type { CommandStatus } from './join-coverage.js';
import type { Guard, ScriptCommand, ScriptOutline } from './script-outline.js';

const MAX_PROBES_QUOTED = 3;
const MAX_TEXT = 120;

/** Why a command did not run, and the trace lines of the xtrace markers that show it. */
export interface Explanation {
  readonly text: string;
  readonly traceLines: readonly number[];
}

export class NotRunExplainer {
  constructor(
    private readonly outline: ScriptOutline,
    private readonly status: readonly CommandStatus[],
    private readonly recorder: CoverageRecorder,
  ) {}

  explain(c: ScriptCommand): Explanation {
    const s = this.status[c.index];
    if (s?.state === 'not' && s.neverCalled !== undefined) {
      const def = this.outline.functions.get(s.neverCalled);
      const calls = this.outline.commands.filter((x) => x.name?.literal && x.name.text === s.neverCalled);
      const at = def === undefined ? '' : ` (defined at line ${def.line})`;
      if (calls.length === 0) return { text: `it is in the function \`${s.neverCalled}\`${at}, which the script never calls`, traceLines: [] };
      const lines = calls.map((x) => x.line).join(', ');
      const first = calls[0] as ScriptCommand;
      const inner = this.explainGuards(first);
      return {
        text: `it is in the function \`${s.neverCalled}\`${at}, and its call${calls.length > 1 ? 's' : ''} (line ${lines}) did not run${inner === undefined ? '' : `: ${inner.text}`}`,
        traceLines: inner?.traceLines ?? [],
      };
    }
    return this.explainGuards(c) ?? { text: this.afterEnd(c), traceLines: [] };
  }

  /** The innermost guard a ran command decided, as a sentence; undefined when none of them ran. */
  private explainGuards(c: ScriptCommand): Explanation | undefined {
    const text = this.guardText(c);
    if (text === undefined) return undefined;
    return { text: text.text, traceLines: [...new Set(text.deciders.flatMap((d) => this.recorder.lines.get(d.line)?.traceLine ?? []))] };
  }

  private guardText(c: ScriptCommand): { readonly text: string; readonly deciders: readonly ScriptCommand[] } | undefined {
    for (let i = c.guards.length - 1; i >= 0; i--) {
      const g = c.guards[i] as Guard;
      if (g.kind === 'function') return undefined;
      const deciders = g.deciders.map((d) => this.outline.commands[d] as ScriptCommand);
      const ran = deciders.filter((d) => this.status[d.index]?.state === 'ran');
      if (ran.length === 0 && g.kind !== 'for') continue;
      const shown = this.shown(ran);
      const evidence = this.evidence(ran, g);
      const tail = `${shown}${evidence}`;
      switch (g.kind) {
        case 'then':
          return { deciders: ran, text: `the condition \`${clip(g.text)}\` (line ${g.line}) was false${tail}` };
        case 'else':
          return { deciders: ran, text: `an earlier condition of the \`if\` at line ${g.line} held${tail}` };
        case 'and':
          return { deciders: ran, text: `\`${clip(g.text)}\` (line ${g.line}) failed, so what follows \`&&\` did not run${tail}` };
        case 'or':
          return { deciders: ran, text: `\`${clip(g.text)}\` (line ${g.line}) succeeded, so what follows \`||\` did not run${tail}` };
        case 'loop':
          return {
            deciders: ran,
            text: `the \`${g.detail === 'until' ? 'until' : 'while'}\` condition \`${clip(g.text)}\` (line ${g.line}) ${g.detail === 'until' ? 'held' : 'failed'} the first time${tail}`,
          };
        case 'for':
          return { deciders: ran, text: `the \`for\` list \`${clip(g.text)}\` (line ${g.line}) was empty${tail}` };
        case 'case':
          return { deciders: ran, text: `the \`case\` word \`${clip(g.text)}\` (line ${g.line}) did not match \`${clip(g.detail ?? '')}\`${tail}` };
      }
    }
    // A case word without substitutions decides nothing the trace shows; the case was reached if anything near it ran.
    const kase = [...c.guards].reverse().find((g) => g.kind === 'case');
    if (kase !== undefined && this.reached(kase.line))
      return { deciders: [], text: `the \`case\` word \`${clip(kase.text)}\` (line ${kase.line}) did not match \`${clip(kase.detail ?? '')}\`` };
    return undefined;
  }

  /** Something before line `line` ran (the construct there was reached). */
  private reached(line: number): boolean {
    return this.outline.commands.some((x) => x.line <= line && this.status[x.index]?.state === 'ran');
  }

  /** `; the shell traced \`[ -f /var/run/x.pid ]\``: the expansions of the deciding commands' lines. */
  private shown(ran: readonly ScriptCommand[]): string {
    const texts: string[] = [];
    for (const d of ran) {
      const seen = this.recorder.lines.get(d.line);
      const word = d.name?.literal ? d.name.text : undefined;
      for (const e of seen?.expansions ?? []) {
        if (word !== undefined && !e.startsWith(word) && !e.startsWith(`'${word}'`)) continue;
        if (!texts.includes(e)) texts.push(e);
      }
    }
    if (texts.length === 0) return '';
    return `: the shell ran \`${texts
      .slice(0, 2)
      .map((t) => clip(t))
      .join('`, `')}\``;
  }

  /** The failed calls behind the deciding commands: theirs, and those of the commands that set the variables they read. */
  private evidence(ran: readonly ScriptCommand[], g: Guard): string {
    const lines = new Set(ran.map((d) => d.line));
    const vars = new Set(ran.flatMap((d) => d.reads));
    for (const x of this.outline.commands) {
      if (x.line >= g.line || this.status[x.index]?.state !== 'ran') continue;
      if (x.assigns.some((v) => vars.has(v))) lines.add(x.line);
    }
    // The paths those lines' commands named, as the shell expanded them (`cat /var/run/x.pid`).
    const words = new Set<string>();
    for (const line of lines)
      for (const e of this.recorder.lines.get(line)?.expansions ?? []) for (const w of e.split(/\s+/)) words.add(w.replace(/^'|'$/g, ''));
    const probes: FailedProbe[] = [];
    for (const p of this.recorder.probes) {
      if (words.has(p.path)) {
        if (!probes.some((q) => q.path === p.path && q.errno === p.errno)) probes.push(p);
      }
      if (probes.length >= MAX_PROBES_QUOTED) break;
    }
    if (probes.length === 0) return '';
    return `; ${probes.map((p) => `${p.path}: ${p.errno ?? 'failed'} (${p.syscall}${p.scriptLine === undefined ? '' : ` from line ${p.scriptLine}`}, trace line ${p.traceLine})`).join('; ')}`;
  }

  /** No guard explains it: the script stopped before it. */
  private afterEnd(c: ScriptCommand): string {
    let last: ScriptCommand | undefined;
    for (const x of this.outline.commands) {
      if (this.status[x.index]?.state === 'ran' && (last === undefined || x.line > last.line)) last = x;
    }
    if (last === undefined) return 'the shell traced no line of the script';
    if (last.line < c.line) return `the script stopped before it: the last line the shell traced is ${last.line} (\`${clip(last.source)}\`)`;
    return 'no command that decides whether it runs shows in the trace';
  }
}

function clip(text: string): string {
  const one = text.replace(/\s*\n\s*/g, ' ');
  return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT)}...` : one;
}
