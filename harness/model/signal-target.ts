/**
 * Who a pid names: a traced process alive at that moment, a booted daemon
 * from the run's metadata, or someone else. Pids from kill/ptrace/`/proc/<pid>`
 * are in the caller's namespace; with `--decode-pids=pidns` strace adds the
 * same pid in its own namespace, which is what traced pids are keyed by.
 */
import type { SignalTarget, TargetProcess } from './model-event.js';
import type { ProcessState } from './process-state.js';
import type { ProcessTable } from './process-table.js';
import type { BootedDaemon } from '../contract/run-metadata.js';
import type { PidValue } from './trace-args.js';

export class TargetResolver {
  private readonly daemonsByPid = new Map<number, BootedDaemon>();
  private readonly daemonsByNsPid = new Map<number, BootedDaemon>();

  constructor(
    private readonly table: ProcessTable,
    daemons: readonly BootedDaemon[],
  ) {
    for (const d of daemons) {
      this.daemonsByPid.set(d.pid, d);
      if (d.nsPid !== undefined) this.daemonsByNsPid.set(d.nsPid, d);
    }
  }

  /** A single process named by a positive pid (a traced one that exited and kept its pid included). */
  process(actor: ProcessState, pid: PidValue): TargetProcess {
    const nsPid = Math.abs(pid.value);
    const tracer = pid.tracerValue === undefined ? undefined : Math.abs(pid.tracerValue);
    if (tracer !== undefined) {
      const p = this.table.get(tracer) ?? this.table.lastExited(tracer);
      if (p !== undefined) return this.traced(p, nsPid);
      const d = this.daemonsByPid.get(tracer);
      if (d !== undefined) return daemonTarget(d, nsPid);
      // strace found the pid, and it is neither traced nor a listed daemon.
      return { kind: 'process', pid: tracer, nsPid, origin: this.bootedInit(actor, nsPid) ? 'booted' : 'outside' };
    }
    if (actor.inPidNs) {
      const p = this.table.getNs(nsPid) ?? this.table.lastExited(nsPid, true);
      if (p !== undefined) return this.traced(p, nsPid);
      const d = this.daemonsByNsPid.get(nsPid);
      if (d !== undefined) return daemonTarget(d, nsPid);
      if (this.bootedInit(actor, nsPid)) return { kind: 'process', nsPid, name: 'init', origin: 'booted' };
      return { kind: 'process', nsPid, origin: 'unknown' };
    }
    const p = this.table.get(nsPid) ?? this.table.lastExited(nsPid);
    if (p !== undefined) return this.traced(p, nsPid);
    const d = this.daemonsByPid.get(nsPid) ?? this.daemonsByNsPid.get(nsPid);
    if (d !== undefined) return daemonTarget(d, nsPid);
    return { kind: 'process', nsPid, origin: 'unknown' };
  }

  /** The target of kill(pid, ...) and its relatives: a process, a group, or everyone. */
  signal(actor: ProcessState, pid: PidValue): SignalTarget {
    if (pid.value === -1) return { kind: 'all' };
    if (pid.value === 0) return { kind: 'group', pgid: 0, containsOutside: !actor.group.runcmdOnly };
    if (pid.value < 0) {
      const leader = this.process(actor, pid);
      const group = leader.pid === undefined ? undefined : this.table.get(leader.pid)?.group;
      // Only a group we saw a runcmd process create in a runcmd-made session is provably closed.
      const closed = group !== undefined && group.leader === leader.pid && group.runcmdOnly;
      return { kind: 'group', pgid: -pid.value, containsOutside: !closed };
    }
    return this.process(actor, pid);
  }

  /**
   * A process strace names by its own pid alone (a pidfd's `<pid:N>`): its
   * pid as the caller's namespace numbers it comes from what is known of it.
   */
  byTracerPid(actor: ProcessState, tracerPid: number): TargetProcess {
    const known = this.table.get(tracerPid) ?? this.table.lastExited(tracerPid);
    const nsPid = known?.nsPid ?? this.daemonsByPid.get(tracerPid)?.nsPid ?? tracerPid;
    return this.process(actor, { value: nsPid, tracerValue: tracerPid });
  }

  /** The calling process itself (pid 0 of setpriority, sched_*, prlimit64). */
  self(actor: ProcessState): TargetProcess {
    return this.traced(actor, actor.nsPid ?? actor.pid);
  }

  private traced(p: ProcessState, nsPid: number): TargetProcess {
    const name = p.shortName();
    return {
      kind: 'process',
      pid: p.pid,
      nsPid,
      ...(name !== undefined ? { name } : {}),
      origin: p.origin,
    };
  }

  /** Pid 1 of the jail's PID namespace is the booted system's init. */
  private bootedInit(actor: ProcessState, nsPid: number): boolean {
    return nsPid === 1 && actor.inPidNs;
  }
}

function daemonTarget(d: BootedDaemon, nsPid: number): TargetProcess {
  return { kind: 'process', pid: d.pid, nsPid, name: d.name, origin: 'booted' };
}
