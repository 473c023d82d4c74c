/**
 * The process/path model: one pass over parsed trace events, turning them
 * into `ModelEvent`s (who did what to what, from which script line) and
 * `ModelGap`s (what the trace could not show). Memory follows the number of
 * live processes; nothing keeps the whole trace.
 */
import type { DumpEvent, SyscallEvent, TraceEvent, TraceParseIssue, TraceParseSummary } from '../trace/trace-event.js';
import { UNREAD_CALL } from '../trace/parse-line.js';
import type { TraceSink } from '../trace/trace-sink.js';
import type { EventInterest, ModelEvent, ModelGap, ScriptLocation } from './model-event.js';
import type { RunMetadata } from '../contract/run-metadata.js';
import { DEFAULT_XTRACE_MARKER } from '../contract/run-metadata.js';
import type { LeftoverProcess, ModelSummary } from './model-summary.js';
import { HeldEvents } from './held-events.js';
import { ModelContext } from './model-context.js';
import type { ProcessState } from './process-state.js';
import { onClone, onExec, onExit, onGetpid, onGroupChange, parentless } from './process-lifecycle.js';
import { onIoUring } from './action-events.js';
import { EVENT_CLASS_LIST } from './event-classes/event-classes.js';
import type { ModelHooks } from './event-classes/event-class.js';
import { CLONE_SYSCALLS, EXEC_SYSCALLS } from './syscall-tables.js';
import { onProbeCall, PROBE_SYSCALLS } from './probe-events.js';
import { AT_FDCWD, fdArg, stringArg } from './trace-args.js';
import type { CoverageRecorder } from './coverage-recorder.js';
import { cannotExecute, hasCommandLine, scriptTextProblem } from './script-run.js';
import { SilentLookups, type LookupCandidate } from './silent-lookup.js';
import type { XtraceRead } from './xtrace-reader.js';
import type { Evidence } from './model-context.js';

type Handler = (p: ProcessState, e: SyscallEvent) => void;

/** Exited processes remembered for calls delivered after the exit (never-resumed calls come at end of input). */
const MAX_RECENTLY_EXITED = 1024;
const MAX_LEFTOVERS_LISTED = 1000;

const NOT_FOUND = ': not found';
const CANNOT_EXECUTE = ': cannot execute [';
/** ksh93's diagnostic for a command it found nowhere in PATH: `FILE[LINE]: NAME: not found [No such file or directory]`. */
const KSH_NOT_FOUND = /^[^\n]*\[\d+\]: ([^\n:]+): not found(?: \[[^\]\n]*\])?$/gm;

export class ProcessModel implements TraceSink {
  private readonly ctx: ModelContext;
  private readonly handlers = new Map<string, Handler>();
  /** Syscalls whose outcome matters: one never resumed is a gap. */
  private readonly relevant = new Set<string>();
  private readonly held: HeldEvents;
  private readonly exited = new Map<number, ProcessState>();
  /** Threads that exec'd and took over their process's pid: thread pid -> that process. */
  private readonly superseded = new Map<number, ProcessState>();
  private readonly leftovers: LeftoverProcess[] = [];
  private leftoverCount = 0;
  private scriptExit: { code?: number; signal?: string } = {};
  /** Commands of the control script its shell traced (xtrace lines of the script's own file). */
  private scriptCommandsTraced = 0;
  /** Writes of runcmd shells that carried the xtrace marker, read or not (strace may cut them). */
  private markerWrites = 0;
  private readonly marker: string;
  /** The script's shell said it cannot run the script: its words and their trace line. */
  private scriptRefused: { readonly message: string; readonly line: number } | undefined;
  /** Which traced commands ksh93 had to look up in PATH (silent-lookup.ts). */
  private readonly lookups: SilentLookups;

  /**
   * `options.interest`: the events `out` can use (e.g. a compiled policy's);
   * the others are numbered but not delivered. Default: every event.
   * `options.coverage`: where the script lines the xtrace names are gathered. Default: nowhere.
   */
  constructor(
    meta: RunMetadata,
    out: { event(e: ModelEvent): void; gap(g: ModelGap): void },
    options: { readonly interest?: EventInterest; readonly coverage?: CoverageRecorder } = {},
  ) {
    this.ctx = new ModelContext(meta, out, options.interest, options.coverage);
    this.lookups = new SilentLookups(meta.script?.text);
    this.marker = meta.xtraceMarker ?? DEFAULT_XTRACE_MARKER;
    const ctx = this.ctx;
    // Only what can change the model is kept (a spawned child first resets every signal handler).
    const keep = (e: TraceEvent): boolean => e.kind === 'exit' || e.kind === 'dump' || (e.kind === 'syscall' && this.handlers.has(e.name));
    this.held = new HeldEvents(keep, (pid, events) => {
      const first = events[0];
      if (first !== undefined) parentless(this.ctx, pid, first, false);
      for (const ev of events) this.event(ev);
    });
    const on = (names: Iterable<string>, h: Handler, relevant = true): void => {
      for (const n of names) {
        // Each call has one reader: a second would silently take the first's place.
        if (this.handlers.has(n)) throw new Error(`the model reads ${n} twice`);
        this.handlers.set(n, h);
        if (relevant) this.relevant.add(n);
      }
    };
    // What each event class reads (harness/model/event-classes/).
    const hooks: ModelHooks = { ctx, onClone: (p, e) => this.onClone(p, e) };
    for (const d of EVENT_CLASS_LIST) for (const [name, read] of d.reads) on([name], (p, e) => read.handle(hooks, p, e), read.relevant ?? true);
    // What the model itself needs: an io_uring is a gap, pids and groups make targets, writes carry the xtrace.
    on(['io_uring_setup'], (p, e) => onIoUring(ctx, p, e));
    // Calls that only ask about a path, read only when they fail (a missing file asked about), for
    // coverage and exploration; they make no event. One that never returned asked nothing.
    for (const [name, spec] of PROBE_SYSCALLS) on([name], (p, e) => onProbeCall(ctx, p, e, spec), false);
    on(['getpid', 'gettid', 'getppid'], (p, e) => onGetpid(ctx, p, e), false);
    on(['setsid', 'setpgid', 'setpgrp'], (p, e) => onGroupChange(ctx, p, e), false);
    on(['write'], (p, e) => this.onWrite(p, e), false);
    on([UNREAD_CALL], (p, e) => this.onUnreadCall(p, e), false);
  }

  /**
   * The syscalls the model reads; the parser need not deliver any other
   * (`ParseTraceOptions.syscalls`): the model would drop them unread.
   */
  get syscalls(): ReadonlySet<string> {
    return new Set(this.handlers.keys());
  }

  event(e: TraceEvent): void {
    if (e.kind === 'strace') return;
    let p = this.ctx.table.get(e.pid);
    if (p === undefined && e.kind === 'syscall' && this.superseded.has(e.pid)) {
      // The exec'ing thread's own line, delivered after its process took its place.
      const leader = this.superseded.get(e.pid);
      if (leader !== undefined) {
        if (e.name === 'execve' || e.name === 'execveat') onExec(this.ctx, leader, e, true);
        return;
      }
    }
    if (p === undefined) {
      if (e.kind === 'syscall' && e.unfinished === true) p = this.exited.get(e.pid);
      if (p === undefined) {
        if (this.ctx.firstPid === undefined) {
          this.ctx.firstPid = e.pid;
          p = parentless(this.ctx, e.pid, e, true);
        } else if (this.held.holding && this.ctx.table.size > 0) {
          // Only a live process can still return it from a clone; with none, nothing will claim it.
          // (Waiting processes do not count: one whose clone was killed before it returned,
          // as in a fork bomb, waits for ever, and would hold every later process with it.)
          this.held.hold(e);
          return;
        } else {
          p = parentless(this.ctx, e.pid, e, false);
        }
      }
    }
    if (e.kind === 'dump') {
      this.onDump(p, e);
      return;
    }
    p.lastLine = e.endLine ?? e.line;
    p.lastRaw = e.raw;
    if (p.unreadCall !== undefined) this.settleUnreadCall(p, e);
    if (e.kind === 'syscall') this.syscall(p, e);
    else if (e.kind === 'exit') this.exit(p, e);
  }

  issue(i: TraceParseIssue): void {
    this.ctx.gap('parse-error', `trace line not understood: ${i.message}`, i.line);
  }

  finish(summary: TraceParseSummary): ModelSummary {
    const ctx = this.ctx;
    this.held.releaseAll();
    const script = ctx.table.controlScript;
    for (const p of [...ctx.table.live()]) {
      ctx.flushExecMisses(p);
      if (p.unreadCall !== undefined) this.unreadCallRan(p);
      if (p.thread) continue;
      ctx.gap('lost-process', `${p.label()} has no exit in the trace`, p.lastLine);
      if (p.origin === 'runcmd' && p !== script) {
        ctx.emit(p, { line: p.lastLine, raw: p.lastRaw }, 'process-exit', 'exit', true, { exit: { outlivedScript: true } });
        this.addLeftover(p, undefined);
      }
    }
    if (script === undefined) ctx.gap('lost-process', 'the control script was not found in the trace (no exec after a chroot into the inactive tree)');
    if (ctx.meta.finished === false || typeof ctx.meta.limitHit === 'string') {
      ctx.gap('unfinished-run', `the run did not finish${typeof ctx.meta.limitHit === 'string' ? ` (limit: ${ctx.meta.limitHit})` : ''}`);
    }
    if (summary.truncatedTail) ctx.gap('unfinished-run', 'the trace ends in the middle of a line', summary.lines);
    if (script !== undefined) this.scriptRunGaps(script);
    ctx.shellCalls.release();
    ctx.flushGapCounts();
    return {
      processes: ctx.table.count,
      events: ctx.events,
      ...(script !== undefined ? { scriptPid: script.pid } : {}),
      ...(script?.nsPid !== undefined ? { scriptNsPid: script.nsPid } : {}),
      ...(script !== undefined ? { scriptProcess: ctx.table.info(script) } : {}),
      ...(this.scriptExit.code !== undefined ? { scriptExitCode: this.scriptExit.code } : {}),
      ...(this.scriptExit.signal !== undefined ? { scriptSignal: this.scriptExit.signal } : {}),
      leftovers: this.leftovers,
      leftoverCount: this.leftoverCount,
    };
  }

  private syscall(p: ProcessState, e: SyscallEvent): void {
    // Arguments are parsed on first read: calls the model has no handler for are never parsed.
    const h = this.handlers.get(e.name);
    if (h === undefined) return;
    if (e.argsText.startsWith('AT_FDCWD<')) {
      const a0 = e.args[0];
      if (a0?.t === 'fd' && a0.fd === AT_FDCWD) this.ctx.learnCwd(p, a0);
    }
    // The shell ran a program for the command it announced (or forked to): it was found.
    if (p.lookup !== undefined && (CLONE_SYSCALLS.has(e.name) || EXEC_SYSCALLS.has(e.name))) p.lookup = undefined;
    if (e.unfinished === true && this.relevant.has(e.name)) {
      this.ctx.gap('unresumed-call', `${e.name} by process ${p.pid} never returned in the trace: its outcome is unknown`, e.line);
    }
    h(p, e);
  }

  private exit(p: ProcessState, e: Extract<TraceEvent, { kind: 'exit' }>): void {
    if (e.supersededBy !== undefined) {
      // A thread called execve and took over this pid: the process lives on, the thread is gone.
      const thread = this.ctx.table.get(e.supersededBy);
      if (thread !== undefined && thread !== p) {
        thread.alive = false;
        this.ctx.table.remove(thread);
        this.superseded.set(thread.pid, p);
      }
      return;
    }
    const script = this.ctx.table.controlScript;
    // The command it announced last ran no program before it ended: ksh93 found it nowhere.
    if (p.lookup !== undefined) this.silentMiss(p);
    if (onExit(this.ctx, p, e))
      this.addLeftover(p, { ...(e.code !== undefined ? { code: e.code } : {}), ...(e.signal !== undefined ? { signal: e.signal } : {}), line: e.line });
    if (p === script) this.scriptExit = { ...(e.code !== undefined ? { code: e.code } : {}), ...(e.signal !== undefined ? { signal: e.signal } : {}) };
    if (this.exited.size >= MAX_RECENTLY_EXITED) {
      const oldest = this.exited.keys().next();
      if (!oldest.done) this.exited.delete(oldest.value);
    }
    this.exited.set(p.pid, p);
  }

  private onClone(p: ProcessState, e: SyscallEvent): void {
    const child = onClone(this.ctx, p, e);
    if (child === undefined) return;
    this.exited.delete(child.pid);
    for (const ev of this.held.claim(child.pid) ?? []) this.event(ev);
  }

  /**
   * strace printed `???(`: it could not read which call the process entered.
   * Whether the call ran shows in what the process does next (settleUnreadCall).
   */
  private onUnreadCall(p: ProcessState, e: SyscallEvent): void {
    // Unfinished, or ended with `= ?`: what happens next tells.
    if (e.unfinished === true || e.ret.value === null) p.unreadCall = e.line;
    else this.unreadCallRan(p, e.line);
  }

  /**
   * The process after an unread call: killed by SIGKILL next, it never ran the
   * call (a fatal signal pending in a syscall-entry or seccomp stop makes the
   * kernel skip the call; strace could not read the registers because the
   * process was already dying). Anything else, and the call may have run.
   */
  private settleUnreadCall(p: ProcessState, e: TraceEvent): void {
    if (e.kind === 'exit' && e.signal === 'SIGKILL') p.unreadCall = undefined;
    else if (!(e.kind === 'syscall' && e.name === UNREAD_CALL)) this.unreadCallRan(p);
  }

  private unreadCallRan(p: ProcessState, line = p.unreadCall): void {
    p.unreadCall = undefined;
    this.ctx.gap('unread-call', `${p.label()} made a system call strace could not read (\`???\`), and was not killed in it: the call may have run`, line);
  }

  /** stderr writes of runcmd processes carry the shell's xtrace markers. */
  private onWrite(p: ProcessState, e: SyscallEvent): void {
    p.xtraceDump = false;
    if (p.origin !== 'runcmd') return;
    // Decoded, `write(2</drdsafe/out/stderr.txt>, "+drdsafe[...", n)`; raw (how runs
    // trace it: no fd decoration to pay), `write(0x2, 0x55..., 0x1c)` and a hex dump.
    const raw = e.argsText.startsWith('0x2,');
    if ((!raw && !e.argsText.startsWith('2')) || fdArg(e.args[0])?.fd !== 2) return;
    if (raw) {
      p.xtraceDump = true;
      return;
    }
    const text = stringArg(e.args[1]);
    if (text !== undefined) this.xtraceWrite(p, text.value, e);
  }

  /** A hex dump line: the data of the process's last call, xtrace when that was a raw write to fd 2. */
  private onDump(p: ProcessState, e: DumpEvent): void {
    if (e.call === 'write' && p.xtraceDump) this.xtraceWrite(p, e.data, e);
  }

  /** What the shell wrote on fd 2: its xtrace lines, and its word that a command was not found. */
  private xtraceWrite(p: ProcessState, text: string, e: TraceEvent): void {
    const read = this.ctx.xtrace.read(p, text);
    const coverage = this.ctx.coverage;
    if (coverage !== undefined) {
      // A marker cut by the end of the write is read again whole with the next one.
      const whole = read.lastWhole === false ? read.lines.length - 1 : read.lines.length;
      for (let i = 0; i < whole; i++) coverage.saw(read.lines[i] as ScriptLocation, e.line);
    }
    if (text.includes(this.marker)) this.markerWrites++;
    // Every write flushes ksh93's whole trace buffer: the calls held for this shell belong to the line
    // it traced before, or to one this write traces.
    if (read.lines.length > 0) {
      p.xtraceShell = true;
      this.scriptCommandsTraced += read.lines.length;
    }
    this.ctx.shellCalls.wrote(p, read.lines);
    if (read.location !== undefined) p.location = read.location;
    const reported = text.includes(NOT_FOUND) ? this.notFound(p, text, e) : undefined;
    if (text.includes(CANNOT_EXECUTE)) this.cannotExecute(text, e);
    if (read.lines.length > 0 || read.foreign === true) this.lookedUp(p, read, e, reported);
  }

  /**
   * The shell traced more commands: the one it announced before ran no
   * program (it neither forked nor exec'd since), and neither did each but
   * the last of these (silent-lookup.ts). The last waits for what comes next.
   */
  private lookedUp(p: ProcessState, read: XtraceRead, e: Evidence, reported: ReadonlySet<string> | undefined): void {
    let pending = p.lookup;
    p.lookup = undefined;
    // Commands of another file came next: the line called a function or sourced a file.
    if (read.foreign === true) return;
    for (const line of read.lines) {
      // ksh93 traces a command's redirections after it, on the same line (and a loop runs it again): still that command.
      if (pending !== undefined && sameCommand(pending.location, line)) continue;
      if (pending !== undefined && reported?.has(pending.name) !== true) this.silentMiss(p, pending);
      const c = this.lookups.candidate(line);
      pending = c === undefined ? undefined : { ...c, evidence: e };
    }
    p.lookup = pending !== undefined && reported?.has(pending.name) === true ? undefined : pending;
  }

  /** A command ksh93 found nowhere in PATH without saying so: an exec event like its `not found`, at the command's line. */
  private silentMiss(p: ProcessState, c: LookupCandidate & { readonly evidence: Evidence } = p.lookup!): void {
    p.lookup = undefined;
    const now = p.location;
    // The event belongs to the command's line, which the shell has since moved past.
    p.location = c.location;
    const payload = this.ctx.payload.holds(c.name, p.fs.root ?? '/');
    this.ctx.emit(
      p,
      c.evidence,
      'exec',
      'write',
      false,
      { exec: payload ? { path: c.name, argv: [c.name], payload } : { path: c.name, argv: [c.name] } },
      'ENOENT',
    );
    p.location = now;
  }

  /** ksh93 could not run a file (`FILE: cannot execute [Exec format error]`): when that file is the control script, nothing of it ran. */
  private cannotExecute(text: string, e: TraceEvent): void {
    const script = this.ctx.meta.script?.jailPath;
    for (const c of cannotExecute(text)) {
      if (this.scriptRefused === undefined && (c.file === script || (script === undefined && this.scriptCommandsTraced === 0))) {
        this.scriptRefused = { message: c.line, line: e.line };
      }
    }
  }

  /** The control script did not run as written (script-run.ts): a capture gap saying why. */
  private scriptRunGaps(script: ProcessState): void {
    const text = this.ctx.meta.script?.text;
    const refused = this.scriptRefused;
    if (refused !== undefined) {
      this.ctx.gap('script-not-run', `the control script's shell could not run it (\`${refused.message}\`): nothing of it ran`, refused.line);
      return;
    }
    if (text === undefined) return;
    const problem = scriptTextProblem(text);
    if (problem !== undefined) this.ctx.gap('script-not-run', problem);
    else if (this.scriptCommandsTraced === 0 && this.markerWrites === 0 && hasCommandLine(text)) {
      this.ctx.gap('script-not-run', `no command of the control script ran: its shell (${script.label()}) traced none of them`, script.lastLine);
    }
  }

  /**
   * ksh93 looks a bare command name up in PATH itself and, when it finds
   * nothing, says so on stderr (`/path/script[2]: pkill: not found`) without
   * any exec: an exec miss the trace has no call for. Reported like one, so
   * that a command the inactive image lacks is never silent.
   */
  private notFound(p: ProcessState, text: string, e: TraceEvent): ReadonlySet<string> {
    const named = new Set<string>();
    for (const m of text.matchAll(KSH_NOT_FOUND)) {
      const command = m[1] as string;
      named.add(command);
      if (p.lookup?.name === command) p.lookup = undefined;
      // A path (`/usr/sbin/tool`) was exec'd, and that miss is already an event.
      if (command === p.missedExec) continue;
      // The evidence is the write (decoded) or the dump of it (raw) that carried the message.
      const payload = this.ctx.payload.holds(command, p.fs.root ?? '/');
      this.ctx.emit(
        p,
        e,
        'exec',
        'write',
        false,
        { exec: payload ? { path: command, argv: [command], payload } : { path: command, argv: [command] } },
        'ENOENT',
      );
    }
    return named;
  }

  private addLeftover(p: ProcessState, exit: LeftoverProcess['exit']): void {
    this.leftoverCount++;
    if (this.leftovers.length >= MAX_LEFTOVERS_LISTED) return;
    this.leftovers.push({
      pid: p.pid,
      ...(p.nsPid !== undefined ? { nsPid: p.nsPid } : {}),
      ...(p.exe !== undefined ? { exe: p.exe } : {}),
      argv: p.argv,
      ...(p.location !== undefined ? { location: p.location } : {}),
      ...(exit !== undefined ? { exit } : {}),
    });
  }
}

/** `b` traces the command of `a` again: the same line, its text continued (redirections) or repeated. */
function sameCommand(a: ScriptLocation, b: ScriptLocation): boolean {
  return a.line === b.line && a.file === b.file && (b.expanded ?? '').startsWith(a.expanded ?? '');
}
