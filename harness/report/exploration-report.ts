/**
 * What report.json says of branch exploration and of the DRD-guard proof
 * (`drdsafe run --explore N --compare`), beside the merged findings,
 * coverage and verdict. Plain data, documented in docs/report-schema.md;
 * harness/explore/ fills it in.
 */
import type { ChangeRecord, NotExplored, ProbeRecord } from '../contract/exploration-record.js';
import type { Severity } from '../policy/finding.js';
import type { Verdict } from './report.js';

export interface VariantSummary {
  readonly id: number;
  /** Absolute path of its run directory. */
  readonly runDir: string;
  readonly subjects: readonly string[];
  readonly changes: readonly ChangeRecord[];
  /** `only when ...: variant N ...`: what the findings only this variant has say. */
  readonly when: string;
  readonly ran: boolean;
  /** Why it did not run, or how it failed. */
  readonly error?: string;
  /** Its own verdict and counts, when it ran. */
  readonly verdict?: Verdict;
  readonly counts?: Readonly<Record<Severity, number>>;
  /** Findings of this variant that the first run did not have (and no variant with fewer changes did). */
  readonly newFindings?: number;
}

export interface ExplorationSummary {
  /** The bound on variants (`--explore N`). */
  readonly explore: number;
  readonly timeoutSeconds: number;
  readonly probes: readonly ProbeRecord[];
  readonly variants: readonly VariantSummary[];
  /** Subjects no variant made true, and probes no change can make true, each with why. */
  readonly notExplored: readonly NotExplored[];
  /** Why exploration stopped before its plan was done. */
  readonly stopped?: string;
}

/** A risky line the DRD guard kept from running: it ran outside DRD, and in no run under DRD. */
export interface GuardedLine {
  readonly line: number;
  readonly text: string;
  readonly risk?: string;
  readonly command?: string;
  /** The comparison run's trace line of its xtrace marker. */
  readonly traceLine?: number;
}

/** An unsafe action of the comparison run that no run under DRD made: what the script's DRD guards avoided. */
export interface AvoidedAction {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line?: number;
  readonly source?: string;
  readonly target?: string;
  /** The comparison run's trace line of the call. */
  readonly traceLine?: number;
  /** What the booted system's witness said of it in the comparison run. */
  readonly confirmed?: string;
}

export interface ComparisonSummary {
  /** Absolute path of the comparison run's directory. */
  readonly runDir: string;
  /** The changes it ran with: every probe the first run lost made true (none when there was no probe). */
  readonly changes?: readonly ChangeRecord[];
  readonly ran: boolean;
  readonly error?: string;
  /** The comparison run's own verdict: never counted toward the report's. */
  readonly verdict?: Verdict;
  readonly guarded: readonly GuardedLine[];
  readonly avoided: readonly AvoidedAction[];
}
