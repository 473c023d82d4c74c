/**
 * Calls that reach past the file system: signals, socket traffic and
 * serving, namespace and tracing calls, and calls that change the kernel.
 */
import type { SyscallEvent, TraceArg } from '../trace/trace-event.js';
import type { SignalTarget, SocketEndpoint, SocketOp, TargetProcess } from './model-event.js';
import type { ProcessChangeSpec } from './syscall-tables.js';
import type { ModelContext } from './model-context.js';
import type { ProcessState } from './process-state.js';
import { signalArg } from './signal-number.js';
import { decoratedRemote, familyOf, parseSockaddr, socketDecoration, splitHostPort, typeOf } from './socket-address.js';
import { fdArg, flagNames, pidArg, structField, succeeded } from './trace-args.js';

/** kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal. */
export function onSignal(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: { readonly pid: number; readonly signal: number }): void {
  const signal = signalArg(e.args[spec.signal]) ?? { name: '?', number: -1 };
  let target: SignalTarget | undefined;
  if (e.name === 'pidfd_send_signal') {
    target = pidfdTarget(ctx, p, e);
  } else {
    const pid = pidArg(e.args[spec.pid]);
    if (pid !== undefined) target = e.name === 'kill' || e.name === 'rt_sigqueueinfo' ? ctx.targets.signal(p, pid) : ctx.targets.process(p, pid);
  }
  target ??= { kind: 'process', nsPid: -1, origin: 'unknown' };
  ctx.emit(p, e, 'signal', e.name, succeeded(e), { signal: { name: signal.name, number: signal.number, target } }, e.ret.errno);
}

/**
 * setpriority, sched_set*, ioprio_set, prlimit64: the priority, scheduling,
 * CPU affinity or limits of a running process change, like a signal reaching
 * it without one. The target is resolved as a signal's is, except that 0 is
 * the caller (or, for a group scope, its group). prlimit64 with a NULL new
 * limit only reads (every program's loader asks for its stack limit so) and
 * makes no event; one whose arguments were cut makes one.
 */
export function onProcessChange(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: ProcessChangeSpec): void {
  if (spec.limit !== undefined && e.args[spec.limit]?.t === 'null') return;
  const scope = spec.which === undefined ? 'process' : scopeOf(flagNames(e.args[spec.which])[0]);
  const who = pidArg(e.args[spec.who]);
  let target: SignalTarget;
  if (scope === 'user' || scope === undefined || who === undefined) target = { kind: 'all' };
  else if (scope === 'group')
    target =
      who.value === 0
        ? ctx.targets.signal(p, who)
        : ctx.targets.signal(p, { value: -Math.abs(who.value), ...(who.tracerValue !== undefined ? { tracerValue: -Math.abs(who.tracerValue) } : {}) });
  else target = who.value === 0 ? ctx.targets.self(p) : ctx.targets.process(p, who);
  ctx.emit(p, e, 'process-change', e.name, succeeded(e), { change: { kind: spec.kind, detail: short(e.argsText), target } }, e.ret.errno);
}

/** PRIO_PROCESS/IOPRIO_WHO_PROCESS and kin; undefined when strace printed a number it could not name. */
function scopeOf(which: string | undefined): 'process' | 'group' | 'user' | undefined {
  switch (which) {
    case 'PRIO_PROCESS':
    case 'IOPRIO_WHO_PROCESS':
      return 'process';
    case 'PRIO_PGRP':
    case 'IOPRIO_WHO_PGRP':
      return 'group';
    case 'PRIO_USER':
    case 'IOPRIO_WHO_USER':
      return 'user';
    default:
      return undefined;
  }
}

/** The sockaddr argument of a socket call, when it has one. */
function addressArg(e: SyscallEvent): TraceArg | undefined {
  switch (e.name) {
    case 'connect':
    case 'bind':
      return e.args[1];
    case 'sendto':
      return e.args[4];
    case 'sendmsg':
      return structField(e.args[1], 'msg_name');
    case 'sendmmsg': {
      // `[{msg_hdr={msg_name=..., ...}, msg_len=N}, ...]`: the first message's
      // address (glibc's resolver sends its queries to one server per call).
      const vec = e.args[1];
      const first = vec?.t === 'array' ? vec.items[0] : undefined;
      return structField(structField(first, 'msg_hdr'), 'msg_name');
    }
    default:
      return undefined;
  }
}

/** connect, sendto, sendmsg, sendmmsg (class `socket`) and bind, listen (class `serve`). */
export function onSocket(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const ok = succeeded(e);
  const fd = fdArg(e.args[0]);
  const deco = socketDecoration(fd);
  const addr = parseSockaddr(addressArg(e));
  const op = e.name as SocketOp;
  const serving = op === 'bind' || op === 'listen';
  if (addr === undefined && !serving) {
    const known = ctx.endpoints.connectedEndpoint(deco?.inode);
    if (known !== undefined) {
      ctx.emit(p, e, 'socket', e.name, ok, { socket: { op, endpoint: known } }, e.ret.errno);
      return;
    }
  }
  const family = addr?.family ?? familyOf(deco) ?? 'other';
  const type = typeOf(deco);
  let path = addr?.path;
  let address = addr?.address;
  let port = addr?.port;
  if (addr === undefined) {
    if (family === 'unix' && op === 'listen') path = deco?.path;
    const hp = op === 'listen' ? (deco?.local !== undefined ? splitHostPort(deco.local) : undefined) : decoratedRemote(deco);
    address = hp?.address;
    port = hp?.port;
  }
  if (addr?.pathTruncated === true) ctx.gap('truncated-string', `socket path of ${e.name} cut by strace's string limit`, e.line);
  let realPath: string | undefined;
  let tree: SocketEndpoint['tree'];
  if (family === 'unix' && path !== undefined && path !== '' && !path.startsWith('@')) {
    const r = ctx.resolve(p, path);
    realPath = r.real;
    tree = r.tree;
    if (r.through !== undefined) {
      ctx.emit(
        p,
        e,
        'jail',
        e.name,
        ok,
        { subject: { kind: `proc-${r.through.link.kind}`, detail: path, tree: r.tree, target: r.through.target } },
        e.ret.errno,
      );
    }
  }
  const key = {
    family,
    ...(type !== undefined ? { type } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(realPath !== undefined ? { realPath: ctx.classifier.throughShared(realPath) } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(port !== undefined ? { port } : {}),
  };
  const name = p.shortName();
  const served = serving ? { servedBy: p.origin, ...(name !== undefined ? { server: name } : {}) } : ctx.endpoints.servedBy(key, ok, e.ret.errno);
  const endpoint: SocketEndpoint = {
    ...key,
    ...(realPath !== undefined ? { realPath } : {}),
    ...(tree !== undefined ? { tree } : {}),
    ...served,
  };
  if (ok && op === 'bind') ctx.endpoints.recordBind(key, p.origin, name);
  if (ok && op === 'connect') ctx.endpoints.recordConnect(deco?.inode, endpoint);
  ctx.emit(p, e, serving ? 'serve' : 'socket', e.name, ok, { socket: { op, endpoint } }, e.ret.errno);
}

/** Module loads, mounts, swap, reboot, kexec, clock and hostname changes. */
export function onKernel(ctx: ModelContext, p: ProcessState, e: SyscallEvent, kind: string): void {
  // adjtimex/clock_adjtime with modes=0 only read the clock.
  if (kind === 'clock' && /\bmodes=0\b/.test(e.argsText)) return;
  ctx.emit(p, e, 'kernel', e.name, succeeded(e), { subject: { kind, detail: short(e.argsText) } }, e.ret.errno);
}

/** setns, unshare: jail events; a new PID namespace for the caller's children is remembered. */
export function onNamespace(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const ok = succeeded(e);
  let detail = e.argsText;
  if (e.name === 'setns') {
    const fd = fdArg(e.args[0]);
    const deco = fd?.decoration;
    const text = deco?.kind === 'other' ? deco.text : deco?.kind === 'path' ? deco.path : '';
    detail = `${text} ${e.args[1]?.t === 'flags' ? e.args[1].names.join('|') : ''}`.trim() || e.argsText;
    if (ok && (e.argsText.includes('CLONE_NEWPID') || text.startsWith('pid:'))) p.childrenInNewPidNs = true;
  } else if (ok && e.argsText.includes('CLONE_NEWPID')) {
    p.childrenInNewPidNs = true;
  }
  ctx.emit(p, e, 'jail', e.name, ok, { subject: { kind: e.name, detail: short(detail) } }, e.ret.errno);
}

/** ptrace: a jail event naming the traced process. */
export function onPtrace(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const request = e.args[0]?.t === 'other' ? e.args[0].text : e.args[0]?.t === 'num' ? String(e.args[0].value) : '?';
  const pid = pidArg(e.args[1]);
  let target: TargetProcess | undefined;
  if (request === 'PTRACE_TRACEME')
    target = p.parent !== undefined ? ctx.targets.process(p, { value: p.parent.nsPid ?? p.parent.pid, tracerValue: p.parent.pid }) : undefined;
  else if (pid !== undefined) target = ctx.targets.process(p, pid);
  ctx.emit(p, e, 'jail', e.name, succeeded(e), { subject: { kind: 'ptrace', detail: request, ...(target !== undefined ? { target } : {}) } }, e.ret.errno);
}

/** The process a pidfd (the call's first argument) refers to: strace decorates it with the pid, in strace's namespace. */
function pidfdTarget(ctx: ModelContext, p: ProcessState, e: SyscallEvent): TargetProcess | undefined {
  const fd = fdArg(e.args[0]);
  const text = fd?.decoration.kind === 'other' ? fd.decoration.text : fd?.decoration.kind === 'path' ? fd.decoration.path : '';
  const m = /pid:(\d+)/.exec(text);
  return m ? ctx.targets.byTracerPid(p, Number(m[1])) : undefined;
}

/**
 * pidfd_getfd: a copy of one of another process's open files (its sockets,
 * its files in the booted tree), which no path or chroot stands between: a
 * jail event naming that process and the fd taken.
 */
export function onFdSteal(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const target = pidfdTarget(ctx, p, e);
  const fd = fdArg(e.args[1]);
  const detail = fd === undefined ? short(e.argsText) : `fd ${fd.fd}${fd.decoration.kind === 'path' ? ` (${fd.decoration.path})` : ''}`;
  ctx.emit(p, e, 'jail', e.name, succeeded(e), { subject: { kind: e.name, detail, ...(target !== undefined ? { target } : {}) } }, e.ret.errno);
}

/** process_vm_writev: a jail event naming the process whose memory it writes. */
export function onMemoryWrite(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const pid = pidArg(e.args[0]);
  const target = pid !== undefined ? ctx.targets.process(p, pid) : undefined;
  ctx.emit(
    p,
    e,
    'jail',
    e.name,
    succeeded(e),
    { subject: { kind: e.name, detail: short(e.argsText), ...(target !== undefined ? { target } : {}) } },
    e.ret.errno,
  );
}

/**
 * open_by_handle_at: opening a file by its handle, relative to any mount the
 * fd names, ignores the caller's root: the known way out of a chroot or a
 * container. Every attempt is a jail event, with the mount it names.
 */
export function onOpenByHandle(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const fd = fdArg(e.args[0]);
  const mount = fd?.decoration.kind === 'path' ? fd.decoration.path : undefined;
  const r = mount !== undefined ? ctx.fromReal(p, mount) : undefined;
  ctx.emit(
    p,
    e,
    'jail',
    e.name,
    succeeded(e),
    { subject: { kind: e.name, detail: mount ?? short(e.argsText), ...(r !== undefined ? { tree: r.tree } : {}) } },
    e.ret.errno,
  );
}

/**
 * io_uring_setup: opens, writes, connects and sends submitted through an
 * io_uring happen in the kernel without a system call of their own, so
 * strace never shows them. A jail process that set one up may have done
 * anything the trace cannot prove it did not: a gap, never safe.
 */
export function onIoUring(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  if (p.origin !== 'runcmd' || !succeeded(e)) return;
  ctx.gap('untraced-io', `${p.label()} set up io_uring: what it submits through it does not show in the trace`, e.line);
}

function short(text: string): string {
  return text.length > 512 ? `${text.slice(0, 512)}...` : text;
}
