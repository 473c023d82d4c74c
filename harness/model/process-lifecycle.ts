/**
 * Process creation, exec and exit: the process tree, who the control script
 * is, and which processes outlive it.
 */
import type { ExitEvent, SyscallEvent, TraceEvent } from '../trace/trace-event.js';
import type { ModelContext } from './model-context.js';
import { ProcessState } from './process-state.js';
import { argvOf, fdArg, pidArg, returnTracerPid, stringArg, succeeded } from './trace-args.js';

/** Programs that only set up the jail; with no chroot in the trace they are not taken for the script. */
const LAUNCHERS: ReadonlySet<string> = new Set(['strace', 'nsenter', 'unshare', 'chroot', 'jail-exec', 'env', 'setsid', 'timeout', 'sudo']);

/** A process the trace shows without a record of its creation. */
export function parentless(ctx: ModelContext, pid: number, e: TraceEvent, first: boolean): ProcessState {
  const script = ctx.table.controlScript;
  // Every traced process descends from the launcher; once the script runs, a new one is the script's.
  const origin = ctx.meta.daemons.some((d) => d.pid === pid) ? 'booted' : script !== undefined && !first ? 'runcmd' : 'sandbox';
  const fs = script !== undefined && !first ? { root: script.fs.root, cwd: script.fs.cwd } : { root: first ? '/' : undefined, cwd: undefined };
  const group = { leader: pid, runcmdOnly: false };
  const inBootedNs = ctx.meta.pidNamespace === 'booted';
  const p = new ProcessState({ pid, origin, fs, group, session: group, inPidNs: script?.inPidNs ?? inBootedNs });
  if (inBootedNs) p.nsPid = pid;
  if (script !== undefined && !first) p.location = script.location;
  ctx.table.add(p);
  if (!first) {
    ctx.gap('unknown-root', `process ${pid} appears without a creation record; its root and parent are assumed`, e.line);
  }
  // Its first line is the evidence, not the call on it (which may never have returned).
  ctx.emit(
    p,
    { line: e.line, ...(e.endLine !== undefined ? { endLine: e.endLine } : {}), raw: e.raw, ...(e.time !== undefined ? { time: e.time } : {}) },
    'process-start',
    'attach',
    true,
    {},
  );
  return p;
}

/** clone/clone3/fork/vfork returned: the child joins the tree. Returns it, or undefined when no child was made. */
export function onClone(ctx: ModelContext, parent: ProcessState, e: SyscallEvent): ProcessState | undefined {
  if (!succeeded(e) || e.ret.value === null || e.ret.value <= 0) return undefined;
  const tracer = returnTracerPid(e.ret, e.raw);
  const pid = tracer ?? e.ret.value;
  const flags = e.argsText;
  const thread = flags.includes('CLONE_THREAD');
  // CLONE_PARENT makes the child a sibling of the caller.
  const treeParent = flags.includes('CLONE_PARENT') && parent.parent !== undefined ? parent.parent : parent;
  const known = ctx.table.get(pid);
  if (known !== undefined) {
    // Seen before its creation record: only the link to its parent was missing.
    if (known.parent === undefined) {
      known.parent = treeParent;
      ctx.table.changed();
    }
    return known;
  }
  const child = parent.fork(pid, { shareFs: flags.includes('CLONE_FS'), thread, parent: treeParent });
  // Until it shows a line of its own, its evidence is its creation (a child strace never follows has no other).
  child.lastLine = e.endLine ?? e.line;
  child.lastRaw = e.raw;
  // The returned pid is in the caller's namespace: the child's own pid only when it stays in that namespace.
  const newNs = flags.includes('CLONE_NEWPID');
  if (newNs) {
    child.inPidNs = true;
    child.nsPid = 1;
  } else if (!parent.childrenInNewPidNs && (tracer !== undefined || parent.inPidNs)) {
    child.nsPid = e.ret.value;
  }
  if (ctx.meta.daemons.some((d) => d.pid === pid)) child.origin = 'booted';
  // A launcher's child in a group kept for runcmd processes: the group holds an outsider now.
  if (child.origin !== 'runcmd' && !thread) child.group.runcmdOnly = false;
  ctx.table.add(child);
  if (!thread) ctx.emit(child, e, 'process-start', e.name, true, {});
  return child;
}

/**
 * execve/execveat: the exec event, and on success the new program.
 * `succeededElsewhere`: a thread's exec whose success strace reported under its process's pid.
 */
export function onExec(ctx: ModelContext, p: ProcessState, e: SyscallEvent, succeededElsewhere = false): void {
  const at = e.name === 'execveat';
  const pathArg = stringArg(e.args[at ? 1 : 0]);
  // A resume whose head went to another pid (a thread's exec) names no program: nothing to learn.
  if (pathArg === undefined) return;
  const path = pathArg.value;
  const { argv, truncated } = argvOf(e.args[at ? 2 : 1]);
  const ok = succeededElsewhere || (succeeded(e) && e.ret.value !== null);
  const resolved = ctx.resolve(p, path, at ? fdArg(e.args[0]) : undefined);
  if (pathArg.truncated || truncated) ctx.gap('truncated-string', `exec path or argv cut by strace's string limit`, e.line);
  if (ok) {
    // A new program: whatever it writes on stderr is not a trace of the script (a nested `sh -x` says so by its markers).
    p.xtraceShell = false;
    p.exe = path;
    p.argv = argv;
    p.execLine = e.line;
    ctx.table.changed();
    identifyScript(ctx, p, path);
  }
  if (!ok && e.ret.errno === 'ENOENT') {
    // The shell that forked this child says `not found` for it, after it exits.
    p.missedExec = path;
    if (p.parent !== undefined) p.parent.missedExec = path;
  }
  const payload = ctx.payload.holds(path, p.fs.root ?? '/', resolved.real);
  // A stand-in branch exploration put where the script looked for a program: it ran, the real one's deeds are unknown.
  const standin = ok && ctx.standins.holds(path, p.fs.root ?? '/', resolved.real);
  const exec = { path, realPath: resolved.real, argv, ...(payload ? { payload } : {}), ...(standin ? { standin } : {}) };
  ctx.emit(p, e, 'exec', e.name, ok, { exec }, e.ret.errno);
}

function identifyScript(ctx: ModelContext, p: ProcessState, path: string): void {
  if (ctx.table.controlScript !== undefined) return;
  const first = p.pid === ctx.firstPid;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (p.jailed || (!ctx.chrootSeen && first && !LAUNCHERS.has(name))) {
    ctx.table.controlScript = p;
    p.origin = 'runcmd';
    p.jailed = false;
    p.xtraceShell = true;
  }
}

/** `+++ exited with N +++` / `+++ killed by SIG +++`. */
export function onExit(ctx: ModelContext, p: ProcessState, e: ExitEvent): boolean {
  p.alive = false;
  ctx.table.remove(p, true);
  const script = ctx.table.controlScript;
  const outlived = ctx.scriptExited && p.origin === 'runcmd' && p !== script;
  if (p === script) ctx.scriptExited = true;
  if (!p.thread) {
    ctx.emit(p, e, 'process-exit', 'exit', true, {
      exit: {
        ...(e.code !== undefined ? { code: e.code } : {}),
        ...(e.signal !== undefined ? { signal: e.signal } : {}),
        outlivedScript: outlived,
      },
    });
  }
  return outlived && !p.thread;
}

/** getpid/gettid/getppid under `--decode-pids=pidns`: learn pids in the jail's namespace. */
export function onGetpid(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const value = e.ret.value;
  const tracer = returnTracerPid(e.ret, e.raw);
  if (value === null || tracer === undefined) return;
  const subject = e.name === 'getppid' ? p.parent : p;
  if (subject !== undefined && subject.pid === tracer) ctx.table.setNsPid(subject, value);
}

/** setsid/setpgid/setpgrp: process groups, so kill(0) and kill(-pgid) can sometimes be proven contained. */
export function onGroupChange(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  if (!succeeded(e)) return;
  const runcmd = p.origin === 'runcmd';
  if (e.name === 'setsid') {
    p.session = { leader: p.pid, runcmdOnly: runcmd };
    p.group = { leader: p.pid, runcmdOnly: runcmd };
    return;
  }
  // setpgid(pid, pgid) and setpgrp() == setpgid(0, 0).
  const who = e.name === 'setpgrp' ? { value: 0 } : (pidArg(e.args[0]) ?? { value: 0 });
  const pg = e.name === 'setpgrp' ? { value: 0 } : (pidArg(e.args[1]) ?? { value: 0 });
  const target = who.value === 0 ? p : lookup(ctx, p, who);
  if (target === undefined) return;
  const leaderPid = pg.value === 0 ? target.pid : lookup(ctx, p, pg)?.pid;
  if (leaderPid === target.pid) {
    // The launcher's last process makes a group of its own before it becomes
    // the script (jail-exec, as swagent runs a control script in a group of the
    // runcmd environment): only what the script starts can be in it. Its session
    // holds the harness too, whose processes never join it; a traced outsider
    // that did would be seen (below, and in onClone).
    const launcherMade = target.origin === 'sandbox' && target === p && ctx.table.controlScript === undefined;
    target.group = { leader: target.pid, runcmdOnly: launcherMade || (target.session.runcmdOnly && target.origin === 'runcmd') };
    return;
  }
  const leader = leaderPid === undefined ? undefined : ctx.table.get(leaderPid);
  if (leader !== undefined && leader.group.leader === leaderPid) {
    if (target.origin !== 'runcmd') leader.group.runcmdOnly = false;
    target.group = leader.group;
  } else {
    target.group = { leader: leaderPid ?? -1, runcmdOnly: false };
  }
}

function lookup(ctx: ModelContext, p: ProcessState, pid: { readonly value: number; readonly tracerValue?: number }): ProcessState | undefined {
  if (pid.tracerValue !== undefined) return ctx.table.get(Math.abs(pid.tracerValue));
  return p.inPidNs ? ctx.table.getNs(pid.value) : ctx.table.get(pid.value);
}
