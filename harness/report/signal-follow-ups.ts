/**
 * One finding per `kill` command, not per signal it sends. ksh93's `kill`
 * builtin (and so `/sbin/sh` here, as on HP-UX) sends SIGCONT right after
 * SIGTERM, SIGHUP, SIGKILL and the like, so that a stopped job wakes up to
 * take the signal: `kill -9 $PID` is two kill(2) calls to the same pid. Both
 * are real signals and both are kept as evidence, but the SIGCONT joins the
 * finding of the signal it follows (`followUps`) instead of making a second
 * finding that reads like a second command.
 *
 * A SIGCONT joins only when it comes from the same process, script line and
 * rule, to the same target, and that process did nothing else the model saw
 * in between.
 */
import type { ModelEvent, SignalTarget } from '../model/model-event.js';
import { callEvidence, type CallFinding, type FindingEvidence } from '../policy/finding.js';

function sameTarget(a: SignalTarget, b: SignalTarget): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'process' && b.kind === 'process') return a.pid === b.pid && a.nsPid === b.nsPid;
  if (a.kind === 'group' && b.kind === 'group') return a.pgid === b.pgid;
  return true;
}

export function evidenceOf(e: ModelEvent): FindingEvidence {
  return e.signal === undefined ? callEvidence(e) : { ...callEvidence(e), signal: e.signal.name };
}

export class SignalFollowUps {
  /** Per acting pid: its last model event, when that event made a signal finding. */
  private readonly last = new Map<number, CallFinding>();

  /**
   * Called with every model event before its findings are made. Returns the
   * finding `e` joins as a follow-up (the caller then makes no finding of it
   * for `rule`), or undefined.
   */
  joins(e: ModelEvent, rule: string): CallFinding | undefined {
    const prev = this.last.get(e.process.pid);
    if (prev === undefined || e.signal?.name !== 'SIGCONT' || prev.rule !== rule) return undefined;
    const first = prev.detail;
    if (first.signal === undefined || first.signal.name === 'SIGCONT' || !sameTarget(first.signal.target, e.signal.target)) return undefined;
    if (first.location?.line !== e.location?.line || first.location?.file !== e.location?.file) return undefined;
    return prev;
  }

  /** Records what `e` (already judged) leaves as its process's last event. */
  saw(e: ModelEvent, finding: CallFinding | undefined): void {
    if (finding !== undefined && e.class === 'signal') this.last.set(e.process.pid, finding);
    else this.last.delete(e.process.pid);
  }
}
