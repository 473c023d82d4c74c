/**
 * Which variants to run, in order, from the probes the runs lost.
 * Deterministic: the same probes give the same variants.
 *
 * Probes are grouped by subject (the daemon or product they are about) in
 * the order the first run met them. The first variant makes every subject's
 * probes true at once (the system where the product is installed and
 * running: the likeliest to reach a dangerous line); when there are several
 * subjects, one variant each follows, so a finding can be tied to the fewest
 * changes, and a branch that needs one probe true and another false is
 * reached. A variant that meets new probes (a branch that only runs once the
 * first probe holds) adds a variant with every subject known so far. At most
 * `limit` variants run; the subjects none of them made true are listed with
 * why, as are probes no change can make true.
 */
import type { NotExplored, ProbeRecord } from '../contract/exploration-record.js';
import { changesFor } from './variant-changes.js';
import type { ChangeContext, VariantChanges } from './variant-changes.js';

export interface PlannedVariant extends VariantChanges {
  readonly id: number;
  readonly subjects: readonly string[];
}

export class VariantPlanner {
  private readonly probes: ProbeRecord[] = [];
  /** Subjects with plannable probes, in the order they were met. */
  private readonly subjects: string[] = [];
  /** Subject sets queued or run, as keys (sorted, joined), so none runs twice. */
  private readonly planned = new Set<string>();
  private readonly queue: string[][] = [];
  /** Subjects some variant made true. */
  private readonly explored = new Set<string>();
  private issued = 0;

  constructor(
    /** The bound on variants (`--explore N`). */
    private readonly limit: number,
    private readonly ctx: ChangeContext,
  ) {}

  /** Every probe learnt so far, in order, each once (by kind and path, name or pid). */
  get known(): readonly ProbeRecord[] {
    return this.probes;
  }

  /**
   * The probes a run found. The first call plans the first round; a later
   * one (a variant's) plans one more variant when it brings new subjects.
   */
  learn(found: readonly ProbeRecord[]): void {
    const first = this.probes.length === 0 && this.issued === 0;
    const fresh: string[] = [];
    for (const raw of found) {
      if (this.probes.some((p) => sameProbe(p, raw))) continue;
      const p = this.judged(raw);
      this.probes.push(p);
      if (p.unplannable === undefined && !this.subjects.includes(p.subject)) {
        this.subjects.push(p.subject);
        fresh.push(p.subject);
      }
    }
    if (fresh.length === 0) return;
    if (first) {
      this.enqueue([...this.subjects]);
      if (this.subjects.length > 1) for (const s of this.subjects) this.enqueue([s]);
      return;
    }
    // Found only once an earlier variant's probes held: try them with everything known so far, next.
    this.enqueue([...this.subjects], true);
  }

  /** A variant is left to run (within the bound). */
  get pending(): boolean {
    return this.issued < this.limit && this.queue.length > 0;
  }

  /** The next variant to run; undefined when the plan is done or the bound is reached. */
  next(): PlannedVariant | undefined {
    if (this.issued >= this.limit) return undefined;
    const subjects = this.queue.shift();
    if (subjects === undefined) return undefined;
    this.issued++;
    for (const s of subjects) this.explored.add(s);
    const probes = this.probes.filter((p) => p.unplannable === undefined && subjects.includes(p.subject));
    return { id: this.issued, subjects, ...changesFor(probes, this.ctx) };
  }

  /**
   * What no variant made true, and why: probes no change can make true,
   * subjects past the bound, or (`stopped`: why the caller stopped asking for
   * variants, such as the time running out) subjects left when it stopped.
   */
  notExplored(stopped?: string): NotExplored[] {
    const out: NotExplored[] = [];
    for (const p of this.probes) {
      if (p.unplannable !== undefined && !out.some((o) => o.subject === p.subject)) out.push({ subject: p.subject, reason: p.unplannable });
    }
    for (const s of this.subjects) {
      if (this.explored.has(s)) continue;
      const why = stopped ?? (this.limit === 0 ? 'exploration is off (--explore 0)' : `the bound of ${this.limit} variant${this.limit === 1 ? '' : 's'} (--explore ${this.limit}) was reached first`);
      out.push({ subject: s, reason: why });
    }
    return out;
  }

  private enqueue(subjects: string[], first = false): void {
    const key = [...subjects].sort().join('\u0000');
    if (this.planned.has(key)) return;
    this.planned.add(key);
    if (first) this.queue.unshift(subjects);
    else this.queue.push(subjects);
  }

  /** A search for a daemon the booted system already runs cannot be answered by starting another. */
  private judged(p: ProbeRecord): ProbeRecord {
    if (p.kind === 'process' && p.unplannable === undefined && p.name !== undefined && this.ctx.bootedDaemons.includes(p.name)) {
      return { ...p, unplannable: `${p.name} already runs in the booted system; the search found nothing for another reason` };
    }
    return p;
  }
}

function sameProbe(a: ProbeRecord, b: ProbeRecord): boolean {
  return a.kind === b.kind && a.path === b.path && a.name === b.name && a.pid === b.pid;
}
