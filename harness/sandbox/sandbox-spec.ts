/**
 * The container a run gets: no network but loopback, the capabilities strace
 * and the PID namespace need, no seccomp or AppArmor profile (strace's
 * `--seccomp-bpf` installs its own filter), size-limited tmpfs trees, and one
 * CPU when there are several (tracer and tracees on one CPU trace faster and
 * with steadier timings: no cross-CPU wakeups on every stop).
 */
import type { ContainerSpec, Labels } from '../engine/container-client.js';

export interface SandboxLimits {
  /** Processes in the container. Default: `512`. */
  readonly pidsLimit: number;
  /** Memory of the container, tmpfs included. Default: 1 GiB. */
  readonly memoryBytes: number;
  /** Size of each of the `/images/booted` and `/images/inactive` tmpfs. Default: 256 MiB. */
  readonly treeBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  pidsLimit: 512,
  memoryBytes: 1024 * 1024 * 1024,
  treeBytes: 256 * 1024 * 1024,
};

/** The command the container idles in: runs are `exec`s into it. */
export const IDLE_COMMAND = ['sleep', 'infinity'] as const;

export interface SandboxSpecOptions {
  readonly image: string;
  readonly labels: Labels;
  readonly limits?: SandboxLimits;
  /** CPUs of the engine's machine (from `info`). */
  readonly engineCpus: number;
  /** The CPU to pin to when `engineCpus > 1`. Default: the last one. */
  readonly cpu?: number;
}

export function sandboxSpec(options: SandboxSpecOptions): ContainerSpec {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const tmpfs = `rw,exec,suid,dev,mode=0755,size=${Math.floor(limits.treeBytes / 1024)}k`;
  const cpu = options.cpu ?? options.engineCpus - 1;
  return {
    image: options.image,
    cmd: IDLE_COMMAND,
    labels: options.labels,
    networkMode: 'none',
    capAdd: ['SYS_ADMIN', 'SYS_PTRACE'],
    securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    pidsLimit: limits.pidsLimit,
    memoryBytes: limits.memoryBytes,
    tmpfs: { '/images/booted': tmpfs, '/images/inactive': tmpfs },
    init: true,
    ...(options.engineCpus > 1 ? { cpusetCpus: String(Math.max(0, Math.min(cpu, options.engineCpus - 1))) } : {}),
  };
}
