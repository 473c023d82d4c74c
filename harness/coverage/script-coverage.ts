/**
 * `report.json`'s `coverage`: each command line of the control script,
 * whether it ran, whether it is risky, and why it did not run when known
 * (docs/report-schema.md).
 */
import type { Untraced } from './join-coverage.js';

export interface CoverageLine {
  readonly line: number;
  /** The line as written. */
  readonly text: string;
  /**
   * Whether it ran; for a risky line, whether its risky command ran
   * (`[[ $X != 1 ]] && kill $PID` that ran its test only: `false`).
   * `unknown` when the shell was not tracing there (`untraced` says why).
   */
  readonly ran: boolean | 'unknown';
  readonly risky: boolean;
  /** Why it did not run (or why that cannot be told). */
  readonly why?: string;
  /** Some command of the line ran, where `ran` (its risky command) is not true. */
  readonly reached?: boolean;
  /** The `risky-commands` entry its command matched, and that entry's specification section. */
  readonly risk?: string;
  readonly reference?: string;
  /** The risky command as written (the first command of another line). */
  readonly command?: string;
  readonly untraced?: Untraced;
  /** Trace line of the first xtrace marker naming the line, when it ran. */
  readonly traceLine?: number;
  /** When it did not run: the trace lines of the xtrace markers of the commands that decided so (its guard's). */
  readonly decidedBy?: readonly number[];
  /**
   * Branch exploration: the runs it ran in (0 the first run, N variant N);
   * with them, `ran` is the union (true when it ran in any). Absent without exploration.
   */
  readonly ranIn?: readonly number[];
  /**
   * The DRD-guard proof: a risky line that ran in the comparison run outside
   * DRD and in no run under DRD. It is no `not-exercised` finding; `why` says so.
   */
  readonly guarded?: true;
}

export interface ScriptCoverage {
  /** False when the script's text is not in the run or it could not be parsed: `reason` says which. */
  readonly available: boolean;
  readonly reason?: string;
  /** The parser and its dialect, e.g. `mvdan-sh (mksh)`. */
  readonly parser?: string;
  readonly lines: readonly CoverageLine[];
  /** Lines holding at least one command. */
  readonly commandLines: number;
  readonly ranLines: number;
  /** Lines whose run cannot be told (the shell was not tracing there). */
  readonly unknownLines: number;
  readonly riskyLines: number;
  readonly riskyNotRun: number;
  readonly riskyUnknown: number;
  /** Risky lines the DRD guard kept from running (`guarded`); not counted in `riskyNotRun`. Absent without the comparison run. */
  readonly riskyGuarded?: number;
  /** Branch exploration: how many runs the union covers (the first run and every variant that ran). */
  readonly runs?: number;
  /** xtrace markers of the script that fit no command of its parse (the code of an `eval`, traced with its own line numbers). */
  readonly unattributedMarkers: number;
}

/** The coverage of a script whose lines cannot be told (its text is not in the run, it did not parse, nothing ran): `reason` says which. */
export function unavailableCoverage(reason: string): ScriptCoverage {
  return {
    available: false,
    reason,
    lines: [],
    commandLines: 0,
    ranLines: 0,
    unknownLines: 0,
    riskyLines: 0,
    riskyNotRun: 0,
    riskyUnknown: 0,
    unattributedMarkers: 0,
  };
}

/** What a coverage's lines count up to: the counts every ScriptCoverage carries. A guarded line is no risky line not run. */
export function lineCounts(
  lines: readonly CoverageLine[],
): Pick<ScriptCoverage, 'commandLines' | 'ranLines' | 'unknownLines' | 'riskyLines' | 'riskyNotRun' | 'riskyUnknown'> {
  return {
    commandLines: lines.length,
    ranLines: lines.filter((l) => l.ran === true).length,
    unknownLines: lines.filter((l) => l.ran === 'unknown').length,
    riskyLines: lines.filter((l) => l.risky).length,
    riskyNotRun: lines.filter((l) => l.risky && l.ran === false && l.guarded !== true).length,
    riskyUnknown: lines.filter((l) => l.risky && l.ran === 'unknown').length,
  };
}
