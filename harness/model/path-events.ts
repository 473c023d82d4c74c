/**
 * Calls that name paths: file changes and reads, cwd and root changes, and
 * the jail events they imply (a path through another process's
 * `/proc/<pid>/root`, a real path outside the caller's root, a write under
 * `/proc/sys`).
 */
import type { FdArg, SyscallEvent } from '../trace/trace-event.js';
import type { FsOp, PathTarget } from './model-event.js';
import type { ModelContext, ResolvedPath } from './model-context.js';
import type { Tree } from '../contract/run-metadata.js';
import type { ProcessState } from './process-state.js';
import { isProcSys, jailView } from './resolve-path.js';
import type { PathSpec } from './syscall-tables.js';
import { fdArg, fdPath, flagNames, stringArg, structField, succeeded } from './trace-args.js';

/** Operations on a directory entry (a name), not on the file it names. */
const ENTRY_OPS: ReadonlySet<FsOp> = new Set<FsOp>(['mkdir', 'rmdir', 'unlink', 'rename', 'link', 'symlink', 'mknod']);

const WRITE_FLAGS: ReadonlySet<string> = new Set(['O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_TRUNC', 'O_TMPFILE', '__O_TMPFILE']);

export function onPathCall(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: PathSpec): void {
  const ok = succeeded(e);
  const dirfd = spec.dirfd === undefined ? undefined : fdArg(e.args[spec.dirfd]);
  const first = primaryPath(ctx, p, e, spec, dirfd);
  if (first === undefined) return;
  let op: FsOp | undefined;
  if (spec.op === 'open') op = openOp(e, spec);
  else if (spec.atFlags !== undefined && flagNames(e.args[spec.atFlags]).includes('AT_REMOVEDIR')) op = 'rmdir';
  else op = spec.op;
  if (spec.op === 'open') {
    reportJail(ctx, p, e, first, ok, true);
  } else if (first.through !== undefined) {
    reportJail(ctx, p, e, first, ok, false);
  }
  const inJail = jailView(p.fs.root ?? '/', first.real) ?? first.real;
  if (op !== undefined && isProcSys(inJail)) {
    ctx.emit(p, e, 'kernel', e.name, ok, { subject: { kind: 'sysctl', detail: inJail, tree: first.tree } }, e.ret.errno);
    return;
  }
  const second = secondPath(ctx, p, e, spec, first);
  // A call that makes or removes a name changes the directory holding it (a shared mount point's
  // is not shared). A symlink's second path is only where it points, not a name it makes.
  const entry = op !== undefined && ENTRY_OPS.has(op);
  const treeOf = (r: ResolvedPath, isName: boolean): Tree => (isName && r.tree === 'shared' ? ctx.classifier.classifyEntry(r.real) : r.tree);
  const target: PathTarget = {
    path: first.path,
    real: first.real,
    tree: treeOf(first, entry),
    ...(second !== undefined ? { second: { path: second.path, real: second.real, tree: treeOf(second, entry && op !== 'symlink') } } : {}),
    resolvedBy: first.resolvedBy,
  };
  if (op === undefined) ctx.emit(p, e, 'fs-read', e.name, ok, { fs: { op: 'open-read', target } }, e.ret.errno);
  else ctx.emit(p, e, 'fs-write', e.name, ok, { fs: { op, target } }, e.ret.errno);
}

/** The fs-write operation an open performs, or undefined for a read-only open. */
function openOp(e: SyscallEvent, spec: PathSpec): FsOp | undefined {
  if (e.name === 'creat') return 'create';
  const flagsArg = spec.flags === undefined ? undefined : e.args[spec.flags];
  const names = e.name === 'openat2' ? flagNames(structField(flagsArg, 'flags')) : flagNames(flagsArg);
  if (names.includes('O_PATH')) return undefined;
  let write = false;
  for (const n of names) if (WRITE_FLAGS.has(n)) write = true;
  if (!write) return undefined;
  if (names.includes('O_CREAT') || names.includes('O_TMPFILE') || names.includes('__O_TMPFILE')) return 'create';
  if (names.includes('O_TRUNC')) return 'truncate';
  return 'open-write';
}

function primaryPath(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: PathSpec, dirfd: FdArg | undefined): ResolvedPath | undefined {
  if (spec.fd !== undefined) {
    const real = fdPath(fdArg(e.args[spec.fd]));
    return real === undefined ? undefined : ctx.fromReal(p, real);
  }
  const s = spec.path === undefined ? undefined : stringArg(e.args[spec.path]);
  if (s === undefined) {
    // utimensat(fd, NULL, ...) acts on the dirfd itself.
    const real = fdPath(dirfd);
    return real === undefined ? undefined : ctx.fromReal(p, real);
  }
  const r = ctx.resolve(p, s.value, dirfd, spec.op === 'open' ? e.ret.decoration : undefined);
  // A cut path matters only when strace's decoration did not give the whole real path.
  if (s.truncated && e.ret.decoration?.kind !== 'path') ctx.gap('truncated-string', `path argument of ${e.name} cut by strace's string limit`, e.line);
  return r;
}

function secondPath(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: PathSpec, first: ResolvedPath): ResolvedPath | undefined {
  if (spec.second !== undefined) {
    const s = stringArg(e.args[spec.second]);
    if (s === undefined) return undefined;
    if (s.truncated) ctx.gap('truncated-string', `path argument of ${e.name} cut by strace's string limit`, e.line);
    const dirfd = spec.secondDirfd === undefined ? undefined : fdArg(e.args[spec.secondDirfd]);
    return ctx.resolve(p, s.value, dirfd);
  }
  if (spec.target !== undefined) {
    // A symlink's target is resolved from the link's directory when it is used.
    const s = stringArg(e.args[spec.target]);
    if (s === undefined) return undefined;
    const cut = first.real.lastIndexOf('/');
    const dir: FdArg = { t: 'fd', fd: -1, decoration: { kind: 'path', path: cut <= 0 ? '/' : first.real.slice(0, cut) } };
    return ctx.resolve(p, s.value, dir);
  }
  return undefined;
}

/** Jail events a resolved path implies: traversal of another process's /proc link, and (when `escape`) leaving the root. */
function reportJail(ctx: ModelContext, p: ProcessState, e: SyscallEvent, r: ResolvedPath, ok: boolean, escape: boolean): void {
  if (r.through !== undefined) {
    // Another process's fd is not modelled: without a decoration its real path is only the
    // lexical one under the caller's /proc, whose tree says nothing of the file behind it.
    const known = r.through.link.kind !== 'fd' || r.resolvedBy === 'decoration';
    ctx.emit(
      p,
      e,
      'jail',
      e.name,
      ok,
      { subject: { kind: `proc-${r.through.link.kind}`, detail: r.path, ...(known ? { tree: r.tree } : {}), target: r.through.target } },
      e.ret.errno,
    );
  }
  if (escape && r.outsideRoot && !r.reopensFd) {
    ctx.emit(p, e, 'jail', e.name, ok, { subject: { kind: 'escape', detail: r.real, tree: r.tree } }, e.ret.errno);
  }
}

/** chdir/fchdir: the new cwd, and a jail event when it lies outside the root. */
export function onChdir(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const ok = succeeded(e);
  let r: ResolvedPath | undefined;
  if (e.name === 'fchdir') {
    const real = fdPath(fdArg(e.args[0]));
    if (real !== undefined) r = ctx.fromReal(p, real);
  } else {
    const s = stringArg(e.args[0]);
    if (s !== undefined) r = ctx.resolve(p, s.value);
  }
  if (r === undefined) return;
  if (ok && p.fs.cwd !== r.real) {
    p.fs.cwd = r.real;
    ctx.table.changed();
  }
  reportJail(ctx, p, e, r, ok, true);
}

/** chroot: always a jail event; on success the new root (and the launcher's jail). */
export function onChroot(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const ok = succeeded(e);
  const s = stringArg(e.args[0]);
  if (s === undefined) return;
  let r = ctx.resolve(p, s.value);
  if (!s.value.startsWith('/') && p.fs.cwd === undefined) {
    // A relative chroot from an unknown cwd: if the layout's jail ends with that path, it is the jail.
    const rel = s.value.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (rel !== '' && ctx.inactive.endsWith(`/${rel}`)) r = ctx.fromReal(p, ctx.inactive);
    else ctx.gap('unknown-root', `chroot("${s.value}") from an unknown cwd: the new root is a guess`, e.line);
  }
  ctx.emit(p, e, 'jail', e.name, ok, { subject: { kind: 'chroot', detail: r.real, tree: r.tree } }, e.ret.errno);
  if (!ok) return;
  ctx.chrootSeen = true;
  p.fs.root = r.real;
  p.jailed = r.real === ctx.inactive;
  ctx.table.changed();
}

/** pivot_root(new_root, put_old). */
export function onPivotRoot(ctx: ModelContext, p: ProcessState, e: SyscallEvent): void {
  const s = stringArg(e.args[0]);
  const r = s === undefined ? undefined : ctx.resolve(p, s.value);
  ctx.emit(p, e, 'jail', e.name, succeeded(e), { subject: { kind: 'pivot_root', detail: r?.real ?? e.argsText, ...(r ? { tree: r.tree } : {}) } }, e.ret.errno);
}
