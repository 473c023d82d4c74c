/**
 * The two places where the sandbox calls into the analysis: the syscall set
 * the policy needs traced, and the analysis of a finished run directory.
 * Both are loaded lazily so running and sandbox tests work while the policy
 * and report stages are being built; once `harness/policy/index.ts` exports
 * `tracedSyscalls` and `MODEL_REQUIRED_SYSCALLS`, those replace the fallback
 * list below.
 */
import type { CliIo } from '../cli/command.js';
import { InternalError } from '../errors.js';

export interface AnalyzeRunOptions {
  readonly policyFiles?: readonly string[];
  readonly format: 'text' | 'json';
  readonly failOn?: 'error' | 'warning' | 'info' | 'never';
  /** Command start (unix ms): the report records the harness overhead from it. */
  readonly startedAt?: number;
}

/** Prints the report of a run directory and returns the exit code (0 safe, 1 unsafe, 3 indeterminate). */
export type AnalyzeRunDir = (runDir: string, options: AnalyzeRunOptions, io: CliIo) => Promise<number>;

/**
 * What the process/path model and the built-in rules read, used until the
 * policy stage exports its own set: process tree (clone/exec/exit), signals,
 * sockets, writes that change files, mounts and the shell's xtrace writes
 * that tie each event to its script line.
 */
export const FALLBACK_TRACED_SYSCALLS: readonly string[] = [
  'clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'chdir', 'fchdir', 'chroot', 'setsid', 'setpgid',
  'kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_open', 'pidfd_send_signal', 'ptrace',
  'socket', 'connect', 'bind', 'listen', 'accept', 'accept4', 'sendto', 'sendmsg', 'sendmmsg',
  'open', 'openat', 'openat2', 'creat', 'truncate', 'ftruncate', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2',
  'mkdir', 'mkdirat', 'rmdir', 'link', 'linkat', 'symlink', 'symlinkat', 'mknod', 'mknodat',
  'chmod', 'fchmod', 'fchmodat', 'chown', 'fchown', 'lchown', 'fchownat', 'utimensat',
  'mount', 'umount2', 'pivot_root', 'swapon', 'swapoff', 'reboot', 'init_module', 'finit_module', 'delete_module', 'kexec_load',
  'sethostname', 'setdomainname', 'settimeofday', 'clock_settime', 'write',
];

// Held in variables so the type checker does not require the modules to exist yet.
const POLICY_MODULE = '../policy/index.js';
const ANALYZE_MODULE = '../report/analyze-run.js';

/** The `-e trace=` set for a run under these policy files: the policy's set plus what the model needs. */
export async function tracedSyscallsFor(policyFiles: readonly string[]): Promise<string[]> {
  const mod = (await import(POLICY_MODULE).catch((error: unknown) => {
    // Only a policy stage that is not there yet falls back; a broken one is an error.
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes('policy/index')) return undefined;
    throw error;
  })) as Record<string, unknown> | undefined;
  const traced = mod?.tracedSyscalls;
  const load = mod?.loadPolicy;
  const compile = mod?.compilePolicy;
  if (typeof traced !== 'function' || typeof load !== 'function') return [...FALLBACK_TRACED_SYSCALLS];
  const loaded: unknown = await load([...policyFiles]);
  const policy: unknown = typeof compile === 'function' ? compile(loaded) : loaded;
  const required = Array.isArray(mod?.MODEL_REQUIRED_SYSCALLS) ? (mod.MODEL_REQUIRED_SYSCALLS as string[]) : [];
  const set = new Set<string>([...(traced(policy) as Iterable<string>), ...required]);
  return [...set].sort();
}

export async function loadAnalyzeRunDir(): Promise<AnalyzeRunDir> {
  const mod = (await import(ANALYZE_MODULE)) as { analyzeRunDir?: unknown };
  if (typeof mod.analyzeRunDir !== 'function') {
    throw new InternalError(`${ANALYZE_MODULE} does not export analyzeRunDir`);
  }
  return mod.analyzeRunDir as AnalyzeRunDir;
}
