/**
 * Who an unprefixed line belongs to.
 *
 * strace prefixes a line with its pid only while it traces more than one
 * process (`-o` with `-f` always prefixes; `-ff` files never do). So an
 * unprefixed line belongs to the one process alive at that moment: the first
 * traced process at the start, possibly a child after the parent exits. The
 * first pid is not printed anywhere on stderr traces until a second process
 * appears, so it is learnt from the first prefixed line that is not a known
 * child, or from an unprefixed `getpid()`; until then the parser holds events.
 */

export class PidTracker {
  /** Pid of unprefixed lines; undefined while unknown. */
  lone: number | undefined;
  private readonly alive = new Set<number>();
  /** Children announced before the first pid was known (`Process N attached`, fork returns). */
  private readonly announced = new Set<number>();
  private lastSeen = -1;

  constructor(fixed: number | undefined) {
    this.lone = fixed;
    if (fixed !== undefined) this.alive.add(fixed);
  }

  get resolved(): boolean {
    return this.lone !== undefined;
  }

  /**
   * A line carried pid `pid`. Returns the first pid when this line revealed it
   * (the first prefixed pid that is not an announced child).
   */
  seen(pid: number): number | undefined {
    if (pid === this.lastSeen) return undefined;
    this.lastSeen = pid;
    this.alive.add(pid);
    if (this.lone === undefined && !this.announced.has(pid)) {
      this.lone = pid;
      return pid;
    }
    return undefined;
  }

  /** A new process exists (attach message, or a fork/clone returned its pid). */
  born(pid: number): void {
    if (this.lone === undefined) this.announced.add(pid);
    this.alive.add(pid);
  }

  /** Resolves the first pid from outside (getpid, or giving up). */
  resolve(pid: number): void {
    if (this.lone !== undefined) return;
    this.lone = pid;
    this.alive.add(pid);
  }

  /** Process `pid` ended: if one process is left, unprefixed lines are its from now on. */
  exited(pid: number): void {
    this.alive.delete(pid);
    if (this.lastSeen === pid) this.lastSeen = -1;
    if (this.alive.size === 1) {
      for (const only of this.alive) this.lone = only;
    }
  }
}
