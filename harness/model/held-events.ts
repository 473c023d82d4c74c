/**
 * Events of processes seen before the clone that made them has returned.
 * With `strace -f` a spawned child runs (and is printed) while its parent is
 * still inside clone/clone3, and the parser delivers that clone at its resume
 * line; the child's events wait here until the clone names it, so the child
 * starts with its parent's root, cwd, origin and script line.
 */
import type { TraceEvent } from '../trace/trace-event.js';

/** Events kept per waiting process; past this the trace is taken to show no clones. */
const MAX_HELD_EVENTS = 1024;
const MAX_HELD_PROCESSES = 64;

export class HeldEvents {
  private readonly held = new Map<number, TraceEvent[]>();
  /** False once a held process went unclaimed: the trace does not show clones, so stop waiting for them. */
  holding = true;

  /** Processes waiting for their clone. */
  get waiting(): number {
    return this.held.size;
  }

  /**
   * @param keep which events can change the model (the rest of a waiting process's events are dropped)
   * @param unclaimed called with a process no clone claimed, and its events in order
   */
  constructor(
    private readonly keep: (e: TraceEvent) => boolean,
    private readonly unclaimed: (pid: number, events: readonly TraceEvent[]) => void,
  ) {}

  hold(e: TraceEvent): void {
    if (!this.keep(e)) return;
    let q = this.held.get(e.pid);
    if (q === undefined) {
      if (this.held.size >= MAX_HELD_PROCESSES) {
        const oldest = this.held.keys().next();
        if (!oldest.done) this.release(oldest.value);
      }
      q = [];
      this.held.set(e.pid, q);
    }
    q.push(e);
    if (q.length > MAX_HELD_EVENTS) {
      this.holding = false;
      this.release(e.pid);
    }
  }

  /** A clone named `pid`: its waiting events, now to be replayed. */
  claim(pid: number): readonly TraceEvent[] | undefined {
    const q = this.held.get(pid);
    this.held.delete(pid);
    return q;
  }

  /** End of input: every process still waiting starts without a parent. */
  releaseAll(): void {
    for (const pid of [...this.held.keys()]) this.release(pid);
  }

  private release(pid: number): void {
    const q = this.held.get(pid);
    this.held.delete(pid);
    if (q !== undefined && q.length > 0) this.unclaimed(pid, q);
  }
}
