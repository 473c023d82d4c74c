/**
 * Drives a `SessionPlan` through the exit codes of its scripts, as SD treats
 * them (docs/sd-formats.md "Exit codes"): the runner asks `next()` for the
 * step to run, runs it, and gives `record()` its exit code; steps that must
 * not run are recorded on the way with the reason. Pure: the runner owns
 * containers and processes, this owns SD's rules.
 *
 * - 0 success; 2 warning; 1 error. From a checkinstall or checkremove an
 *   error drops that fileset (or the product, with all its filesets) and none
 *   of its later scripts run; elsewhere it is logged and the session goes on
 *   with result error.
 * - 3 (EXCLUDE) from a checkinstall or checkremove deselects the object
 *   without failing the session.
 * - 11 (GLOBAL_ERROR) from a checkinstall: nothing is installed.
 * - 12 (REBOOT) from a fileset checkinstall: a reboot is noted (suppressed
 *   under drd runcmd).
 * - Any other code, or 3/11/12 where they mean nothing, is an error.
 */
import { InternalError } from '../errors.js';
import type { ControlScriptTag } from './control-tags.js';
import { filesetKey } from './package.js';
import type { Product } from './package.js';
import type { PlanStep, SessionPlan } from './session-plan.js';
import { resolveDependency, type SelectedFileset } from './software-selection.js';

export type ScriptResult = 'success' | 'warning' | 'error' | 'excluded' | 'global-error' | 'reboot';

/** What happened to a step: the `outcome` of the session report's phase list. */
export type StepOutcomeKind = 'ran' | 'skipped' | 'excluded' | 'deferred' | 'refused';

export interface StepOutcome {
  readonly step: PlanStep;
  readonly outcome: StepOutcomeKind;
  /** For steps that ran. */
  readonly exitCode?: number;
  readonly result?: ScriptResult;
  readonly why?: string;
}

export type SessionStatus = 'success' | 'warning' | 'error';

export interface SessionResult {
  /** One outcome per plan step, in plan order. */
  readonly outcomes: readonly StepOutcome[];
  readonly status: SessionStatus;
  /** Set when a checkinstall returned GLOBAL_ERROR. */
  readonly globalError?: string;
  /** Filesets whose checkinstall asked for a reboot (exit 12). */
  readonly rebootRequested: readonly string[];
  /** drd runcmd suppresses every reboot. */
  readonly rebootSuppressed: boolean;
  /** Objects a checkinstall/checkremove excluded (exit 3) or dropped (exit 1), with why. */
  readonly excluded: readonly { readonly key: string; readonly why: string }[];
  readonly dropped: readonly { readonly key: string; readonly why: string }[];
}

export interface ExitMeaning {
  readonly result: ScriptResult;
  readonly meaning: string;
}

/** What SD makes of `code` from script `tag` (product- or fileset-level). */
export function interpretExitCode(tag: ControlScriptTag, level: 'product' | 'fileset', code: number): ExitMeaning {
  const check = tag === 'checkinstall' || tag === 'checkremove';
  switch (code) {
    case 0:
      return { result: 'success', meaning: 'SUCCESS' };
    case 1:
      return {
        result: 'error',
        meaning: check ? `ERROR: the ${level} is not ${tag === 'checkinstall' ? 'installed' : 'removed'}` : 'ERROR: logged; the session goes on',
      };
    case 2:
      return { result: 'warning', meaning: 'WARNING' };
    case 3:
      if (check) return { result: 'excluded', meaning: `EXCLUDE: the ${level} is deselected` };
      break;
    case 11:
      if (tag === 'checkinstall') return { result: 'global-error', meaning: 'GLOBAL_ERROR: no products are installed' };
      break;
    case 12:
      if (tag === 'checkinstall' && level === 'fileset') return { result: 'reboot', meaning: 'REBOOT: the fileset needs a reboot' };
      break;
    default:
      break;
  }
  return { result: 'error', meaning: `exit code ${code} is not one ${tag} may return: treated as an error` };
}

export class SessionRun {
  private readonly outcomes: StepOutcome[] = [];
  private cursor = 0;
  private pending: PlanStep | undefined;
  private status: SessionStatus = 'success';
  private globalError: string | undefined;
  private readonly rebootRequested: string[] = [];
  /** Product or fileset key -> why. */
  private readonly excluded = new Map<string, string>();
  private readonly dropped = new Map<string, string>();

  constructor(private readonly plan: SessionPlan) {}

  /** The next step to run, or undefined when the session is over. Steps that must not run are recorded on the way. */
  next(): PlanStep | undefined {
    if (this.pending !== undefined) throw new InternalError(`step ${this.pending.id} was not recorded before next()`);
    while (this.cursor < this.plan.steps.length) {
      const step = this.plan.steps[this.cursor++]!;
      const skip = this.skipReason(step);
      if (skip === undefined) {
        this.pending = step;
        return step;
      }
      this.outcomes.push({ step, ...skip });
    }
    return undefined;
  }

  /** Records the exit code of the step `next()` returned (payload steps: 0 done, anything else failed). */
  record(step: PlanStep, exitCode: number): StepOutcome {
    if (this.pending !== step) throw new InternalError(`recorded ${step.id}, but the step under way is ${this.pending?.id ?? 'none'}`);
    this.pending = undefined;
    const key = filesetKey(step.product, step.fileset);
    let outcome: StepOutcome;
    if (step.kind !== 'script') {
      const result: ScriptResult = exitCode === 0 ? 'success' : 'error';
      if (result === 'error') this.worsen('error');
      outcome = { step, outcome: 'ran', exitCode, result, ...(result === 'error' ? { why: `${step.kind} failed` } : {}) };
    } else {
      const { result, meaning } = interpretExitCode(step.tag, step.fileset === undefined ? 'product' : 'fileset', exitCode);
      const check = step.tag === 'checkinstall' || step.tag === 'checkremove';
      switch (result) {
        case 'error':
          this.worsen('error');
          if (check) this.drop(step, `${step.tag} of ${key} failed (exit ${exitCode})`);
          break;
        case 'warning':
          this.worsen('warning');
          break;
        case 'excluded':
          this.exclude(step, `${step.tag} of ${key} excluded it (exit 3)`);
          break;
        case 'global-error':
          this.worsen('error');
          this.globalError = `${step.tag} of ${key} returned GLOBAL_ERROR (exit 11)`;
          break;
        case 'reboot':
          this.rebootRequested.push(key);
          break;
        case 'success':
          break;
      }
      outcome = { step, outcome: 'ran', exitCode, result, why: meaning };
    }
    this.outcomes.push(outcome);
    return outcome;
  }

  /** Filesets still selected (not dropped or excluded): what `SW_SESSION_IS_KERNEL` and the session options describe. */
  selected(): SelectedFileset[] {
    return this.plan.selected.filter((s) => this.gone(s.product, filesetKey(s.product, s.fileset)) === undefined);
  }

  result(): SessionResult {
    if (this.pending !== undefined) throw new InternalError(`step ${this.pending.id} was not recorded`);
    if (this.cursor < this.plan.steps.length) throw new InternalError('result() before the session ended');
    return {
      outcomes: this.outcomes,
      status: this.status,
      ...(this.globalError === undefined ? {} : { globalError: this.globalError }),
      rebootRequested: this.rebootRequested,
      rebootSuppressed: this.plan.runcmd,
      excluded: [...this.excluded].map(([key, why]) => ({ key, why })),
      dropped: [...this.dropped].map(([key, why]) => ({ key, why })),
    };
  }

  private skipReason(step: PlanStep): Omit<StepOutcome, 'step'> | undefined {
    switch (step.planned) {
      case 'deferred':
        return { outcome: 'deferred', ...(step.why === undefined ? {} : { why: step.why }) };
      case 'refused':
        return { outcome: 'refused', ...(step.why === undefined ? {} : { why: step.why }) };
      case 'not-run':
        return { outcome: 'skipped', ...(step.why === undefined ? {} : { why: step.why }) };
      case 'run':
        break;
    }
    if (this.globalError !== undefined) return { outcome: 'skipped', why: `nothing is installed: ${this.globalError}` };
    if (step.fileset !== undefined) {
      const gone = this.gone(step.product, filesetKey(step.product, step.fileset));
      return gone;
    }
    const own = this.gone(step.product, step.product.tag);
    if (own !== undefined) return own;
    const mine = this.plan.selected.filter((s) => s.product === step.product);
    const remaining = mine.filter((s) => this.gone(s.product, filesetKey(s.product, s.fileset)) === undefined);
    if (mine.length > 0 && remaining.length === 0) {
      const allExcluded = mine.every((s) => this.excluded.has(filesetKey(s.product, s.fileset)));
      return { outcome: allExcluded ? 'excluded' : 'skipped', why: `no fileset of ${step.product.tag} remains selected` };
    }
    return undefined;
  }

  /** Why a fileset (or product, by its tag) no longer takes part, if it does not. */
  private gone(product: Product, key: string): Omit<StepOutcome, 'step'> | undefined {
    for (const k of key === product.tag ? [key] : [product.tag, key]) {
      const ex = this.excluded.get(k);
      if (ex !== undefined) return { outcome: 'excluded', why: ex };
      const dr = this.dropped.get(k);
      if (dr !== undefined) return { outcome: 'skipped', why: dr };
    }
    return undefined;
  }

  private exclude(step: PlanStep, why: string): void {
    this.excluded.set(filesetKey(step.product, step.fileset), why);
    if (this.plan.operation === 'remove') this.keepNeeded();
  }

  /**
   * On remove, what stays installed keeps what it needs: a selected fileset
   * that a dropped or excluded one depends on is not removed either (SD
   * Administration Guide 2013 p84) [inferred for scripts: its remove scripts do not run].
   */
  private keepNeeded(): void {
    for (let changed = true; changed;) {
      changed = false;
      for (const stay of this.plan.selected) {
        const stayKey = filesetKey(stay.product, stay.fileset);
        if (this.gone(stay.product, stayKey) === undefined) continue;
        for (const dep of stay.fileset.dependencies) {
          if (dep.kind === 'exrequisite') continue;
          for (const t of resolveDependency(this.plan.package, dep, stay.product)) {
            const key = filesetKey(t.product, t.fileset);
            if (!this.plan.selected.some((s) => filesetKey(s.product, s.fileset) === key) || this.gone(t.product, key) !== undefined) continue;
            this.dropped.set(key, `${stayKey} needs it and stays installed`);
            changed = true;
          }
        }
      }
    }
  }

  /**
   * Drops the object; on install, filesets of this package that need a
   * dropped fileset go too, as SD's enforce_dependencies=true would not
   * install them without it [inferred].
   */
  private drop(step: PlanStep, why: string): void {
    this.dropped.set(filesetKey(step.product, step.fileset), why);
    if (this.plan.operation === 'remove') this.keepNeeded();
    if (this.plan.operation !== 'install' && this.plan.operation !== 'upgrade') return;
    for (let changed = true; changed;) {
      changed = false;
      for (const s of this.plan.selected) {
        const key = filesetKey(s.product, s.fileset);
        if (this.gone(s.product, key) !== undefined) continue;
        const dep = s.fileset.dependencies.find(
          (d) =>
            d.kind !== 'exrequisite' &&
            resolveDependency(this.plan.package, d, s.product).some(
              (t) => this.dropped.has(filesetKey(t.product, t.fileset)) || this.dropped.has(t.product.tag),
            ),
        );
        if (dep !== undefined) {
          this.dropped.set(key, `its ${dep.kind} ${dep.spec} is not installed (${why})`);
          changed = true;
        }
      }
    }
  }

  private worsen(to: SessionStatus): void {
    if (to === 'error' || (to === 'warning' && this.status === 'success')) this.status = to;
  }
}
