/**
 * Which variants to run, in order, from the probes the runs lost.
 * Deterministic: the same probes give the same variants.
 *
 * The first variant makes every probe true at once (the system where the
 * product is installed and running: the likeliest to reach a dangerous
 * line). When there are several probes, one variant each follows, in the
 * order the first run met them: a finding is then tied to the fewest
 * changes (`only when /var/run/acmeagt.pid exists`), and a branch that
 * needs one probe true and another false is reached. A variant that meets
 * new probes (a branch that only runs once an earlier probe holds) adds a
 * variant with every probe known so far, run next. At most `limit` variants
 * run; what none of them made true is listed with why, as are probes no
 * change can make true.
 */
import type { NotExplored, ProbeRecord } from '../contract/exploration-record.js';
import { changesFor } from './variant-changes.js';
import type { ChangeContext, VariantChanges } from './variant-changes.js';

export interface PlannedVariant extends VariantChanges {
  readonly id: number;
  /** What it makes true: each probe's path, or the process name searched for. */
  readonly subjects: readonly string[];
}

/** How a probe is named in plans and reports: its path, or the name searched for, or its subject. */
export function probeLabel(p: ProbeRecord): string {
  return p.path ?? p.name ?? p.subject;
}

export class VariantPlanner {
  private readonly probes: ProbeRecord[] = [];
  /** Labels of the plannable probes, in the order they were met. */
  private readonly labels: string[] = [];
  /** Label sets queued or run, as keys (sorted, joined), so none runs twice. */
  private readonly planned = new Set<string>();
  private readonly queue: string[][] = [];
  /** Labels some variant made true. */
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
   * one (a variant's) plans one more variant when it brings new probes.
   */
  learn(found: readonly ProbeRecord[]): void {
    const first = this.probes.length === 0 && this.issued === 0;
    let fresh = false;
    for (const raw of found) {
      if (this.probes.some((p) => sameProbe(p, raw))) continue;
      const p = this.judged(raw);
      this.probes.push(p);
      const label = probeLabel(p);
      if (p.unplannable === undefined && !this.labels.includes(label)) {
        this.labels.push(label);
        fresh = true;
      }
    }
    if (!fresh) return;
    if (first) {
      this.enqueue([...this.labels]);
      if (this.labels.length > 1) for (const l of this.labels) this.enqueue([l]);
      return;
    }
    // Found only once an earlier variant's probes held: try them with everything known so far, next.
    this.enqueue([...this.labels], true);
  }

  /**
   * Every plannable probe made true at once (with `extra` ones too): the
   * system where the product is installed and running, which the comparison
   * run outside DRD runs on (a guarded line is most often behind such a
   * probe). Undefined when there is none.
   */
  everything(extra: readonly ProbeRecord[] = []): VariantChanges | undefined {
    const probes = [...this.probes, ...extra.filter((e) => !this.probes.some((p) => sameProbe(p, e)))].filter((p) => p.unplannable === undefined);
    return probes.length === 0 ? undefined : changesFor(probes, this.ctx);
  }

  /** Of `found`, the plannable probes not known yet (by label). */
  unknown(found: readonly ProbeRecord[]): ProbeRecord[] {
    const labels = new Set(this.probes.map(probeLabel));
    return found.filter((p) => p.unplannable === undefined && !labels.has(probeLabel(p)));
  }

  /** A variant is left to run (within the bound). */
  get pending(): boolean {
    return this.issued < this.limit && this.queue.length > 0;
  }

  /** The next variant to run; undefined when the plan is done or the bound is reached. */
  next(): PlannedVariant | undefined {
    if (this.issued >= this.limit) return undefined;
    const labels = this.queue.shift();
    if (labels === undefined) return undefined;
    this.issued++;
    for (const l of labels) this.explored.add(l);
    const probes = this.probes.filter((p) => p.unplannable === undefined && labels.includes(probeLabel(p)));
    return { id: this.issued, subjects: labels, ...changesFor(probes, this.ctx) };
  }

  /**
   * What no variant made true, and why: probes no change can make true,
   * probes past the bound, or (`stopped`: why the caller stopped asking for
   * variants, such as the time running out) those left when it stopped.
   */
  notExplored(stopped?: string): NotExplored[] {
    const out: NotExplored[] = [];
    for (const p of this.probes) {
      const label = probeLabel(p);
      if (p.unplannable !== undefined && !out.some((o) => o.subject === label)) out.push({ subject: label, reason: p.unplannable });
    }
    for (const l of this.labels) {
      if (this.explored.has(l)) continue;
      const why =
        stopped ??
        (this.limit === 0
          ? 'exploration is off (--explore 0)'
          : `the bound of ${this.limit} variant${this.limit === 1 ? '' : 's'} (--explore ${this.limit}) was reached first`);
      out.push({ subject: l, reason: why });
    }
    return out;
  }

  private enqueue(labels: string[], first = false): void {
    const key = [...labels].sort().join('\u0000');
    if (this.planned.has(key)) return;
    this.planned.add(key);
    if (first) this.queue.unshift(labels);
    else this.queue.push(labels);
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
