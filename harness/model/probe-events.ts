/**
 * Calls that only ask about a path (the stat family, access, readlink): the
 * answers a script branches on. `[ -f /var/run/x.pid ]` is a stat in ksh93,
 * `[ -r F ]` and `[ -e F ]` an access. They change nothing, so the model
 * makes no event of them; a runcmd process's call that failed (ENOENT,
 * ENOTDIR, EACCES) is kept for script coverage and branch exploration
 * (coverage-recorder.ts). Traced only when exploring (PROBE_SYSCALLS).
 */
import type { SyscallEvent } from '../trace/trace-event.js';
import type { ModelContext } from './model-context.js';
import type { ProcessState } from './process-state.js';
import { jailView } from './resolve-path.js';
import { fdArg, stringArg, succeeded } from './trace-args.js';

/** Where a probe call's path (and the dirfd it is relative to) are. */
export interface ProbeSpec {
  readonly path: number;
  readonly dirfd?: number;
  /** Index of access(2)'s mode. */
  readonly mode?: number;
}

/** The calls that ask about a path without opening it. */
export const PROBE_SYSCALLS: ReadonlyMap<string, ProbeSpec> = new Map<string, ProbeSpec>([
  ['stat', { path: 0 }],
  ['lstat', { path: 0 }],
  ['newfstatat', { dirfd: 0, path: 1 }],
  ['statx', { dirfd: 0, path: 1 }],
  ['access', { path: 0, mode: 1 }],
  ['faccessat', { dirfd: 0, path: 1, mode: 2 }],
  ['faccessat2', { dirfd: 0, path: 1, mode: 2 }],
  ['readlink', { path: 0 }],
  ['readlinkat', { dirfd: 0, path: 1 }],
]);

/** The answers that say the path is not there (or not reachable) for the caller. */
const MISSING: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EACCES']);

export function onProbeCall(ctx: ModelContext, p: ProcessState, e: SyscallEvent, spec: ProbeSpec): void {
  const coverage = ctx.coverage;
  if (coverage === undefined || p.origin !== 'runcmd' || succeeded(e)) return;
  const errno = e.ret.errno;
  if (errno === undefined || !MISSING.has(errno)) return;
  const s = stringArg(e.args[spec.path]);
  // fstat(fd) is newfstatat(fd, "", AT_EMPTY_PATH): no path asked about.
  if (s === undefined || s.value === '') return;
  const dirfd = spec.dirfd === undefined ? undefined : fdArg(e.args[spec.dirfd]);
  const r = ctx.resolve(p, s.value, dirfd);
  const jailPath = jailView(p.fs.root ?? '/', r.real);
  const executable = spec.mode !== undefined && e.argsText.includes('X_OK');
  // The tracing shell's own tests run before ksh93 writes their line: its line then is the one before.
  const scriptLine = p.xtraceShell ? undefined : p.location?.line;
  coverage.failed({
    ...(scriptLine === undefined ? {} : { scriptLine }),
    path: s.value,
    ...(jailPath === undefined ? {} : { jailPath }),
    syscall: e.name,
    errno,
    traceLine: e.line,
    raw: e.raw,
    pid: p.pid,
    ...(p.argv.indexOf(s.value) > 0 ? { named: true as const } : {}),
    ...(executable ? { executable: true as const } : {}),
  });
}
