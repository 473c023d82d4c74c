/**
 * The typed boundary between the policy engine and the reports.
 */
import type { CoverageEvent, ModelEvent, ProcessInfo, ScriptLocation } from '../model/model-event.js';
import type { Phase } from '../contract/run-metadata.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * What a rule found: on a system call (`event`, a CallFinding) or, for a
 * rule on `coverage` events, on a script line that did or did not run
 * (`coverage`, a CoverageFinding, which rests on no call). Narrow with
 * `f.event !== undefined`.
 */
export type Finding = CallFinding | CoverageFinding;

interface FindingBase {
  /** Rule id, e.g. `illegal-kill`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  /** The message template filled in for this event. */
  readonly message: string;
  /** The seed section the rule enforces, e.g. `DRD-Safe Concepts 3.1.1`. */
  readonly reference: string;
  readonly phase?: Phase;
  /** The acting process (for a coverage finding: the control script's shell). */
  readonly process: ProcessInfo;
  readonly location?: ScriptLocation;
  /** A one-line description of what was acted on: `comsec (pid 57, booted)`, `unix:/dev/log served by syslogd`, `/images/booted/etc/motd (booted)`. */
  readonly target?: string;
  /**
   * Stable across runs and machines (rule, script and line, what was acted on
   * without pids): what a waiver names. Added by the report stage
   * (harness/report/finding-fingerprint.ts).
   */
  readonly fingerprint?: string;
  /** The waiver that accepts this finding: it is shown, but does not count toward the verdict. Added by the report stage. */
  readonly waived?: WaiverRecord;
  /**
   * Branch exploration: the variant whose run found it, when the first run
   * did not (its evidence, trace and script lines are that run's). Absent:
   * the first run found it.
   */
  readonly variant?: FindingVariant;
}

/** Which variant of branch exploration a finding comes from, and what that variant changed. */
export interface FindingVariant {
  readonly id: number;
  /** `only when /var/run/acmeagt.pid exists: variant 2 created it holding the pid of stand-in daemon acmeagt`. */
  readonly when: string;
  /** The variant's run directory, whose trace.txt the evidence's line numbers are in. */
  readonly runDir: string;
}

export interface CallFinding extends FindingBase {
  /** The syscall evidence. */
  readonly event: CallEvidence;
  readonly coverage?: undefined;
  /** The full normalised event, for JSON consumers. */
  readonly detail: ModelEvent;
  /**
   * Later calls of the same command that this finding covers, added by the
   * report stage: the SIGCONT that ksh93's `kill` sends right after the signal
   * (harness/report/signal-follow-ups.ts). Absent when there are none.
   */
  followUps?: FindingEvidence[];
}

/** A waiver as reports show it: who accepted a finding, why, until when, and where that is written. */
export interface WaiverRecord {
  readonly rule: string;
  readonly fingerprint: string;
  readonly reason: string;
  readonly owner: string;
  /** The last day the waiver holds, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
  /** The waiver file, as the user named it, and the line the waiver starts on. */
  readonly file: string;
  readonly line?: number;
}

/** One call as a finding quotes it: the model event's number, the trace line(s) and text, the result. */
export interface CallEvidence {
  readonly seq: number;
  readonly syscall: string;
  readonly line: number;
  readonly endLine?: number;
  readonly raw: string;
  readonly ok: boolean;
  readonly errno?: string;
  /** The call never returned in the trace: its result (`ok`, `errno`) is unknown. */
  readonly unfinished?: true;
}

/** The evidence of model event `e`, as a finding quotes it. */
export function callEvidence(e: ModelEvent): CallEvidence {
  return {
    seq: e.seq,
    syscall: e.syscall,
    line: e.line,
    ...(e.endLine === undefined ? {} : { endLine: e.endLine }),
    raw: e.raw,
    ok: e.ok,
    ...(e.errno === undefined ? {} : { errno: e.errno }),
    ...(e.unfinished === true ? { unfinished: true as const } : {}),
  };
}

/** A call a finding also covers; for a signal, its name. */
export interface FindingEvidence extends CallEvidence {
  readonly signal?: string;
}

/**
 * A coverage finding's evidence: the script line, what coverage says of it,
 * and the trace lines of the xtrace markers that decided it (none when the
 * line's guard never ran either).
 */
export interface CoverageEvidence {
  readonly line: number;
  readonly text: string;
  readonly ran?: boolean;
  readonly risk?: string;
  readonly command?: string;
  readonly why?: string;
  readonly traceLines: readonly number[];
}

export interface CoverageFinding extends FindingBase {
  readonly event?: undefined;
  readonly coverage: CoverageEvidence;
  readonly detail: CoverageEvent;
  readonly followUps?: undefined;
}
