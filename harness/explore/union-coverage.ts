/**
 * Coverage over every run of an exploration: a line ran if it ran in the
 * first run or in any variant (`ranIn` says where), and a risky line that
 * ran in the comparison run outside DRD but in no run under DRD is
 * `guarded`: the script's DRD guard kept it from running, which is what the
 * guard is for, so it is no `not-exercised` warning. A risky line that still
 * never ran keeps its why, with what exploration tried.
 */
import type { CoverageLine, ScriptCoverage } from '../coverage/script-coverage.js';
import { lineCounts, unavailableCoverage } from '../coverage/script-coverage.js';

export interface CoverageRun {
  /** 0 for the first run, the variant's id otherwise. */
  readonly id: number;
  readonly coverage: ScriptCoverage;
  /** `only when ...: variant N ...`; absent for the first run. */
  readonly when?: string;
}

export interface UnionInput {
  /** The first run, then each variant that ran. */
  readonly runs: readonly CoverageRun[];
  /** The comparison run outside DRD, when it ran. */
  readonly comparison?: ScriptCoverage;
  /** How many variants were tried (run or not), for the why of a line none reached. */
  readonly variantsTried: number;
}

export function unionCoverage(input: UnionInput): ScriptCoverage {
  const base = input.runs[0]?.coverage;
  if (base === undefined || !base.available) return base ?? unavailableCoverage('no run');
  const byRun = input.runs.map((r) => ({ ...r, lines: new Map(r.coverage.available ? r.coverage.lines.map((l) => [l.line, l]) : []) }));
  const outside = new Map(input.comparison?.available === true ? input.comparison.lines.map((l) => [l.line, l]) : []);
  const lines = base.lines.map((l) => unionLine(l, byRun, outside.get(l.line), input));
  return {
    ...base,
    lines,
    ...lineCounts(lines),
    ...(input.comparison !== undefined ? { riskyGuarded: lines.filter((l) => l.guarded === true).length } : {}),
    runs: input.runs.length,
  };
}

function unionLine(
  first: CoverageLine,
  runs: readonly (CoverageRun & { readonly lines: ReadonlyMap<number, CoverageLine> })[],
  outside: CoverageLine | undefined,
  input: UnionInput,
): CoverageLine {
  const states = runs.map((r) => ({ id: r.id, when: r.when, line: r.lines.get(first.line) }));
  const ranIn = states.filter((s) => s.line?.ran === true).map((s) => s.id);
  if (ranIn.length > 0) {
    if (first.ran === true) return { ...first, ranIn };
    // It ran only where a variant changed the system: say so, with that run's evidence.
    const where = states.find((s) => s.id === ranIn[0]);
    const line = where?.line as CoverageLine;
    const { why: _why, reached: _reached, decidedBy: _decided, untraced: _untraced, ...rest } = first;
    return {
      ...rest,
      ran: true,
      ranIn,
      why: `it ran only in variant ${ranIn.join(', ')} (${where?.when ?? ''})`,
      ...(line.traceLine !== undefined ? { traceLine: line.traceLine } : {}),
    };
  }
  const unknown = states.find((s) => s.line?.ran === 'unknown');
  if (first.ran !== false) return { ...first, ranIn };
  if (unknown !== undefined) {
    const line = unknown.line as CoverageLine;
    return {
      ...first,
      ran: 'unknown',
      ranIn,
      ...(line.untraced !== undefined ? { untraced: line.untraced } : {}),
      why: `not in the first run (${first.why ?? 'no why'}); in variant ${unknown.id} its run cannot be told: ${line.why ?? ''}`,
    };
  }
  if (first.risky && outside?.ran === true) {
    const at = outside.traceLine === undefined ? '' : `, trace line ${outside.traceLine} of the comparison run`;
    return {
      ...first,
      ranIn,
      guarded: true,
      why: `guarded: it ran outside DRD (the comparison run, SW_SESSION_IS_DRD unset${at}) and in no run under drd runcmd: ${first.why ?? 'its guard held'}`,
    };
  }
  const tried = input.variantsTried;
  const more = tried === 0 ? '' : `; none of the ${tried} variant${tried === 1 ? '' : 's'} exploration tried ran it either`;
  return { ...first, ranIn, ...(first.why !== undefined || more !== '' ? { why: `${first.why ?? 'no why known'}${more}` } : {}) };
}
