/**
 * A daemon of the running booted system: who it is and what it serves (kept
 * in run.json for the model), and what the sandbox saw of it around the
 * script (result.json, the ground truth). One type for both files.
 */
import { INT, objectSchema } from './check-json.js';

/** What a process change can alter in a daemon without a signal (run-phase's `sched_state`). */
export interface SchedState {
  readonly nice: number;
  readonly policy: number;
  readonly rtPriority: number;
  readonly cpus: string | null;
  readonly ioPriority: number | null;
  /** `Max open files` -> `1024 1048576` (soft and hard, as /proc/<pid>/limits shows them). */
  readonly limits: Readonly<Record<string, string>>;
}

export interface DaemonState {
  readonly name: string;
  /** Pid in strace's namespace. */
  readonly pid: number;
  /** Pid inside the jail's PID namespace (what the pid file says). */
  readonly nsPid?: number;
  /** The same process seen from the container (result.json only). */
  readonly containerPid?: number;
  /**
   * What it serves: sockets (`unix:/dev/log`, `tcp:127.0.0.1:2121`, `udp:127.0.0.1:69`) and
   * IPC objects (`msg:0x434f4d53`, `sem:KEY`, `shm:KEY` by key; `mqueue:/name`).
   */
  readonly endpoints: readonly string[];
  /** Whether it ran just before the script and after it (result.json only). */
  readonly aliveBefore?: boolean;
  readonly aliveAfter?: boolean;
  /** Taken just before the script and after it; absent when the daemon was gone (or in runs recorded before). */
  readonly schedBefore?: SchedState;
  readonly schedAfter?: SchedState;
}

/** A daemon as run.json keeps it: who it is, without what the run saw of it. */
export type BootedDaemon = Pick<DaemonState, 'name' | 'pid' | 'nsPid' | 'endpoints'>;

export const SCHED_STATE_SCHEMA = objectSchema<SchedState>()({
  properties: {
    nice: INT,
    policy: INT,
    rtPriority: INT,
    cpus: { type: ['string', 'null'] },
    ioPriority: { type: ['integer', 'null'] },
    limits: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['nice', 'policy', 'rtPriority', 'cpus', 'ioPriority', 'limits'],
});

export const DAEMON_STATE_SCHEMA = objectSchema<DaemonState>()({
  properties: {
    name: { type: 'string' },
    pid: INT,
    nsPid: INT,
    containerPid: INT,
    endpoints: { type: 'array', items: { type: 'string' } },
    aliveBefore: { type: 'boolean' },
    aliveAfter: { type: 'boolean' },
    schedBefore: SCHED_STATE_SCHEMA,
    schedAfter: SCHED_STATE_SCHEMA,
  },
  required: ['name', 'pid', 'endpoints'],
});
