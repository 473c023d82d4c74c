/**
 * Script lines from the jail shell's xtrace output. With
 * `PS4='+drdsafe[${.sh.file}:${LINENO}] '` every command the shell runs is
 * announced on stderr as `+drdsafe[FILE:LINE] expanded command` (drdsafe run's
 * PS4 writes the control script's own path as an alias, `@`); a process's
 * current place in the script is the last such marker it wrote. One write can
 * carry several markers (the shell buffers) and one marker line can arrive in
 * pieces, so the unterminated tail of each process's writes is kept.
 */
import type { ScriptLocation } from './model-event.js';
import type { ProcessState } from './process-state.js';
import { ScriptCaveats } from './script-caveats.js';

/** A marker line that holds only redirections: `2>& 1`, `> /dev/null`, `>>log 2>&1`, `<&-`, a here-document's `0<< \EOF`. */
const REDIRECTIONS_ONLY = /^(?:\d*(?:<>|>\||>>|<<<|<<-?|[<>])&?\s*(?:-|\S+)\s*)+$/;

/** One marker line: the file and line it names and the command text after it. */
interface Marker {
  readonly file: string;
  readonly line: number;
  readonly expanded: string;
}

/** What one stderr write traced (see XtraceReader.read). */
export interface XtraceRead {
  readonly location?: ScriptLocation;
  readonly lines: readonly ScriptLocation[];
  /** The last of `lines` is a whole marker line (false: its command text may still be cut; the next write reads it again whole). */
  readonly lastWhole?: boolean;
  /** The write traced a command of another file too (a sourced file's function, a nested script). */
  readonly foreign?: true;
}

const NOTHING_READ: XtraceRead = Object.freeze({ lines: Object.freeze([]) as readonly ScriptLocation[] });

/** Longest unterminated stderr tail kept per process. */
const MAX_TAIL = 8192;

export class XtraceReader {
  /** The script's source lines (undefined: its text is not known). */
  private readonly lines: readonly string[] | undefined;
  private readonly caveats: ScriptCaveats;

  /**
   * @param marker the PS4 prefix, e.g. `+drdsafe[`
   * @param scriptFile the control script as the jail names it; markers from other files (sourced helpers,
   *   nested scripts) do not move the location, so actions stay tied to the control-script line that caused them.
   *   Default: the file of the first marker read.
   * @param scriptText the script's text, to quote the source line
   * @param scriptAlias what the marker writes for `scriptFile`'s path (`@` for it, `@REST` for `scriptFile + REST`)
   */
  constructor(
    private readonly marker: string,
    private scriptFile: string | undefined,
    scriptText: string | undefined,
    private readonly scriptAlias?: string,
  ) {
    this.lines = scriptText?.split('\n');
    this.caveats = new ScriptCaveats(this.lines ?? []);
  }

  /** Feed one stderr write of `p`; returns the location when the write names a control-script line. */
  write(p: ProcessState, text: string): ScriptLocation | undefined {
    return this.read(p, text).location;
  }

  /**
   * Feed one stderr write of `p`: `location` as `write` gives it, and `lines`,
   * every control-script command the write traced, in order, the last being
   * `location` (ksh93 buffers its trace, so one write can trace several lines).
   */
  read(p: ProcessState, text: string): XtraceRead {
    const buf = p.xtail.length === 0 ? text : p.xtail + text;
    const nl = buf.lastIndexOf('\n');
    const tail = nl < 0 ? buf : buf.slice(nl + 1);
    p.xtail = tail.length > MAX_TAIL ? tail.slice(-MAX_TAIL) : tail;
    const at = buf.lastIndexOf(this.marker);
    if (at < 0) return NOTHING_READ;
    const last = this.markerAt(buf, at);
    const foreign: { seen?: true } = {};
    const earlier = this.earlierCommands(buf, at, foreign);
    this.noteCommands(p, buf, nl, at, last);
    if (last === undefined || !this.isScript(last.file)) {
      if (last !== undefined) foreign.seen = true;
      return earlier.length === 0 && foreign.seen === undefined ? NOTHING_READ : { lines: earlier, ...(foreign.seen ? { foreign: true as const } : {}) };
    }
    let expanded = last.expanded;
    // ksh93 traces a command's redirections on a marker line of their own, just after the
    // command's (`... dd if=x` then `... 2>& 1`): they belong to that command.
    const command = p.xcommand;
    if (command !== undefined && command.file === last.file && command.line === last.line && REDIRECTIONS_ONLY.test(expanded)) {
      expanded = `${command.expanded} ${expanded}`;
    }
    const prev = p.location;
    const location =
      prev !== undefined && prev.line === last.line && prev.file === last.file && prev.expanded === expanded
        ? prev
        : this.locationOf(last.file, last.line, expanded);
    return { location, lines: [...earlier, location], lastWhole: at < nl, ...(foreign.seen ? { foreign: true as const } : {}) };
  }

  /** The control-script commands of the complete marker lines before `lastAt`, in order (redirections-only lines belong to the command before them). */
  private earlierCommands(buf: string, lastAt: number, foreign: { seen?: true }): ScriptLocation[] {
    const found: ScriptLocation[] = [];
    if (this.scriptFile === undefined) return found;
    for (let at = buf.indexOf(this.marker); at >= 0 && at < lastAt; at = buf.indexOf(this.marker, at + 1)) {
      const m = this.markerAt(buf, at);
      if (m === undefined || REDIRECTIONS_ONLY.test(m.expanded)) continue;
      if (!this.isScript(m.file)) {
        foreign.seen = true;
        continue;
      }
      found.push(this.locationOf(m.file, m.line, m.expanded));
    }
    return found;
  }

  private locationOf(file: string, line: number, expanded: string): ScriptLocation {
    const source = this.sourceLine(line);
    const caveat = this.caveats.caveat(line, expanded);
    return { file, line, ...(source !== undefined ? { source } : {}), expanded, ...(caveat !== undefined ? { caveat } : {}) };
  }

  /**
   * The last complete marker line of `buf[0, nl)` that names a command (not
   * only redirections) becomes `p.xcommand`. `lastAt`/`last`: the buffer's
   * last marker, already read by the caller (reused when it is complete).
   */
  private noteCommands(p: ProcessState, buf: string, nl: number, lastAt: number, last: Marker | undefined): void {
    for (let at = buf.lastIndexOf(this.marker, nl); at >= 0 && nl >= 0; at = at > 0 ? buf.lastIndexOf(this.marker, at - 1) : -1) {
      const m = at === lastAt ? last : this.markerAt(buf, at);
      if (m === undefined || REDIRECTIONS_ONLY.test(m.expanded)) continue;
      // isScript is only asked once the script's file is known: asked first, it would learn it from this marker.
      if (this.scriptFile === undefined || this.isScript(m.file)) p.xcommand = m;
      return;
    }
  }

  /** The marker line at `at` (where the marker starts): its file, line and command text. */
  private markerAt(buf: string, at: number): Marker | undefined {
    const start = at + this.marker.length;
    const eol = buf.indexOf('\n', start);
    const end = eol < 0 ? buf.length : eol;
    const close = findClose(buf, start, end);
    if (close === undefined) return undefined;
    let from = close.bracket + 1;
    if (buf.charCodeAt(from) === 0x20) from++;
    return { file: this.fileOf(buf, start, close.colon), line: close.line, expanded: buf.slice(from, end) };
  }

  /** The marker's file, its script alias expanded (ksh93 names every file it reads by an absolute path, so an alias is never a real name). */
  private fileOf(buf: string, start: number, end: number): string {
    const alias = this.scriptAlias;
    const script = this.scriptFile;
    if (alias !== undefined && script !== undefined && buf.startsWith(alias, start)) return script + buf.slice(start + alias.length, end);
    return buf.slice(start, end);
  }

  private isScript(file: string): boolean {
    const script = this.scriptFile;
    if (script === undefined) {
      this.scriptFile = file;
      return true;
    }
    if (file === script) return true;
    // A relative invocation (`sh -x ./preinstall`) names the same file.
    if (!file.startsWith('/')) return script.endsWith(`/${file.startsWith('./') ? file.slice(2) : file}`);
    return false;
  }

  private sourceLine(line: number): string | undefined {
    const text = this.lines?.[line - 1];
    return text === undefined ? undefined : text.replace(/\r$/, '');
  }
}

/** The `:LINE]` that ends a marker's `FILE:LINE]`, searching `[start, end)`. */
function findClose(buf: string, start: number, end: number): { readonly colon: number; readonly bracket: number; readonly line: number } | undefined {
  let bracket = buf.indexOf(']', start);
  while (bracket >= 0 && bracket < end) {
    let i = bracket - 1;
    while (i >= start && isDigit(buf.charCodeAt(i))) i--;
    if (i < bracket - 1 && i >= start && buf.charCodeAt(i) === 0x3a) {
      return { colon: i, bracket, line: Number(buf.slice(i + 1, bracket)) };
    }
    bracket = buf.indexOf(']', bracket + 1);
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
