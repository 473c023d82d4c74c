/**
 * What the model reports after the last trace event.
 */
import type { ProcessInfo, ScriptLocation } from './model-event.js';

/** A runcmd process still running when the control script's own process ended. */
export interface LeftoverProcess {
  readonly pid: number;
  readonly nsPid?: number;
  readonly exe?: string;
  readonly argv: readonly string[];
  /** The script line that started it, when known. */
  readonly location?: ScriptLocation;
  /** How it ended later in the trace; absent when it never ended there. */
  readonly exit?: { readonly code?: number; readonly signal?: string; readonly line: number };
}

export interface ModelSummary {
  /** Processes seen (threads not counted). */
  readonly processes: number;
  /** Model events delivered. */
  readonly events: number;
  /** Pid (strace's namespace) of the control script's process, when found. */
  readonly scriptPid?: number;
  readonly scriptNsPid?: number;
  /** The control script's shell as a process (what coverage events name as theirs), when found. */
  readonly scriptProcess?: ProcessInfo;
  /** The control script's exit status, when its exit is in the trace. */
  readonly scriptExitCode?: number;
  readonly scriptSignal?: string;
  /** Runcmd processes left running when the script ended (at most 1000 listed). */
  readonly leftovers: readonly LeftoverProcess[];
  readonly leftoverCount: number;
}
