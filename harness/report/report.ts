/**
 * The schema of `report.json`. Stable: fields are only ever added; a breaking
 * change bumps `schemaVersion`. Documented in docs/report-schema.md.
 */
import type { Finding, Severity, WaiverRecord } from '../policy/finding.js';
import type { ModelGap } from '../model/model-event.js';
import type { Phase } from '../contract/run-metadata.js';
import type { TraceParseIssue } from '../trace/trace-event.js';
import type { GroundTruth } from './ground-truth.js';
import type { RuleInfo } from '../policy/compile-policy.js';
import type { ProcessTree } from './process-tree.js';
import type { ScriptCoverage } from '../coverage/script-coverage.js';
import type { ComparisonSummary, ExplorationSummary } from './exploration-report.js';
import type { SessionRecord } from '../contract/session-record.js';

export type Verdict = 'safe' | 'unsafe' | 'indeterminate';

export interface PhaseRecord {
  readonly phase?: Phase;
  /** The script as the jail saw it, and where the user's copy came from. */
  readonly script?: string;
  readonly scriptSource?: string;
  /** The script's text as the run sent it (for the excerpts of the HTML report), when the run kept it. */
  readonly scriptText?: string;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly finished?: boolean;
  readonly limitHit?: string | null;
  /** Wall time of the traced phase (script start to script end), ms. */
  readonly wallMs?: number;
  /** Harness time around it (command start to report written, minus the phase), ms. */
  readonly overheadMs?: number;
  // A session's phases (docs/report-schema.md "Sessions") also carry these:
  /** The step: a control script's tag, `load-payload` or `remove-payload`. */
  readonly name?: string;
  /** The plan step's id, `load:preinstall:ACME.ACME-RUN`. */
  readonly step?: string;
  readonly group?: string;
  readonly product?: string;
  readonly fileset?: string;
  /** ran, skipped, excluded, deferred, refused, or failed (the sandbox could not run it). */
  readonly outcome?: string;
  /** Why it did not simply run, or what SD made of its exit code. */
  readonly why?: string;
  /** What SD made of its exit code: success, warning, error, excluded, global-error, reboot. */
  readonly result?: string;
  /** The phase's run directory, relative to the session directory. */
  readonly runDir?: string;
  /** The phase's own verdict and finding counts. */
  readonly verdict?: Verdict;
  readonly counts?: Readonly<Record<Severity, number>>;
  /** Which command lines of this script ran. */
  readonly coverage?: ScriptCoverage;
  /** A payload step: what it did. */
  readonly detail?: string;
}

/** Which step of a session a finding or gap comes from. */
export interface StepRef {
  /** Index into `phases[]`. */
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly product: string;
  readonly fileset?: string;
  /** The phase's run directory, relative to the session directory: its `trace.txt` is the one the evidence's lines are in. */
  readonly runDir?: string;
}

/** A finding as a report holds it: in a session, with the step it comes from. */
export type ReportFinding = Finding & { readonly step?: StepRef };
export type ReportGap = ModelGap & { readonly step?: StepRef };

/** What a session report says of the session as a whole (session.json less its steps, which are `phases[]`). */
export type SessionSummary = Omit<SessionRecord, 'schemaVersion' | 'steps' | 'timings'> & {
  /** The inactive image's agent log after the session, relative to the session directory. */
  readonly swagentLog?: string;
};

export interface ReportSummary {
  readonly verdict: Verdict;
  /** Why the verdict is what it is, one sentence a reason. */
  readonly reasons: readonly string[];
  readonly counts: Readonly<Record<Severity, number>>;
  /** The exit code drdsafe returned for this report under the chosen `--fail-on`. */
  readonly exitCode: number;
  readonly failOn: FailOn;
  /** Findings a waiver accepted (not in `counts`), when a waiver file was given. */
  readonly waived?: number;
}

/** What a waiver file (`--waivers`) did to the report. */
export interface ReportWaivers {
  /** The file as the user named it. */
  readonly file: string;
  /** The waivers that matched, each with how many findings. */
  readonly applied: readonly (WaiverRecord & { readonly findings: number })[];
  /** The waivers that matched no finding. */
  readonly stale: readonly WaiverRecord[];
}

export type FailOn = Severity | 'never';

export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'drdsafe'; readonly version: string };
  readonly generatedAt: string;
  readonly inputs: {
    readonly trace: string;
    readonly traceBytes: number;
    readonly runDir?: string;
    readonly trees: { readonly booted: string; readonly inactive: string; readonly shared: readonly string[] };
  };
  readonly policy: {
    readonly files: readonly string[];
    readonly hash: string;
    readonly name?: string;
    readonly version?: string;
    /** Every rule of the policy that judged the run, so a stored report renders (SARIF, HTML) without its policy files. */
    readonly rules?: readonly RuleInfo[];
  };
  readonly phases: readonly PhaseRecord[];
  /** A session report's session (absent for a single run). */
  readonly session?: SessionSummary;
  readonly findings: readonly ReportFinding[];
  readonly gaps: readonly ReportGap[];
  readonly parse: {
    readonly lines: number;
    readonly events: number;
    /** Lines of calls the model does not read: checked, not built. */
    readonly skipped: number;
    readonly issues: readonly TraceParseIssue[];
    readonly issueCount: number;
    readonly unresumed: number;
    readonly truncatedTail: boolean;
  };
  readonly groundTruth?: GroundTruth;
  /** Every traced process, its execs, exit and lifetime (absent in reports written before it existed). */
  readonly processTree?: ProcessTree;
  /** Which command lines of the control script ran (harness/coverage/); absent for a trace analysed without its script. */
  readonly coverage?: ScriptCoverage;
  /**
   * Branch exploration (`drdsafe run --explore N`): the probes, the variants
   * run, what was not explored. With it, findings, coverage and the verdict
   * are the merge of every run. Absent for a run without exploration.
   */
  readonly exploration?: ExplorationSummary;
  /** The DRD-guard proof (`--compare`): the comparison run outside DRD, the lines it guarded and the actions it avoided. */
  readonly comparison?: ComparisonSummary;
  /** Present when a waiver file was given. */
  readonly waivers?: ReportWaivers;
  readonly summary: ReportSummary;
  readonly timing: { readonly analyzeMs: number };
}
