/**
 * The slots a batch runs in: every engine's machine offers one slot per CPU
 * (each sandbox is pinned to one CPU, sandbox-spec.ts), engines that report
 * the same host name share that machine's CPUs, and a run goes to the
 * engine whose machine has the most free CPUs (then the engine with the
 * fewest runs), on its least used CPU. An engine that failed takes no more
 * runs; `acquire` can avoid engines (a retry goes elsewhere).
 */
import type { ContainerClient } from '../engine/container-client.js';

export interface PoolEngine {
  /** The endpoint as given (`unix:///...`, `tcp://...`), for messages and the summary. */
  readonly name: string;
  readonly client: ContainerClient;
  /** The engine machine's host name (`info`). */
  readonly hostName: string;
  /** CPUs of the engine's machine (`info`). */
  readonly cpus: number;
}

export interface Slot {
  readonly engine: PoolEngine;
  /** The CPU the run's sandbox is pinned to. */
  readonly cpu: number;
}

interface Host {
  readonly capacity: number;
  /** Runs pinned to each CPU. */
  readonly cpuLoad: number[];
  running: number;
}

/** Parallel runs when `--jobs` is not given: one per CPU of every distinct machine. */
export function defaultJobs(engines: readonly PoolEngine[]): number {
  const cpus = new Map<string, number>();
  for (const e of engines) cpus.set(e.hostName, Math.max(cpus.get(e.hostName) ?? 0, e.cpus));
  return Math.max(
    1,
    [...cpus.values()].reduce((a, b) => a + b, 0),
  );
}

export class EnginePool {
  readonly jobs: number;
  readonly #engines: readonly PoolEngine[];
  readonly #hosts = new Map<string, Host>();
  readonly #running = new Map<PoolEngine, number>();
  readonly #failed = new Set<PoolEngine>();
  #total = 0;
  #waiters: (() => void)[] = [];

  /** `jobs`: runs at once over all engines. Default: `defaultJobs`. */
  constructor(engines: readonly PoolEngine[], jobs: number = defaultJobs(engines)) {
    if (engines.length === 0) throw new RangeError('an engine pool needs at least one engine');
    this.#engines = engines;
    this.jobs = Math.max(1, Math.floor(jobs));
    const machineCpus = defaultJobs(engines);
    for (const e of engines) {
      if (this.#hosts.has(e.hostName)) continue;
      const cpus = Math.max(
        1,
        engines.filter((o) => o.hostName === e.hostName).reduce((m, o) => Math.max(m, o.cpus), 0),
      );
      // More jobs than CPUs: each machine takes its share of them, several runs to a CPU.
      const capacity = this.jobs <= machineCpus ? cpus : Math.ceil((this.jobs * cpus) / machineCpus);
      this.#hosts.set(e.hostName, { capacity, cpuLoad: new Array<number>(cpus).fill(0), running: 0 });
    }
    for (const e of engines) this.#running.set(e, 0);
  }

  get engines(): readonly PoolEngine[] {
    return this.#engines;
  }

  /** Engines still taking runs. */
  usable(avoid: ReadonlySet<PoolEngine> = new Set()): PoolEngine[] {
    return this.#engines.filter((e) => !this.#failed.has(e) && !avoid.has(e));
  }

  /**
   * A free slot on an engine not failed and not in `avoid`, waiting for one
   * to be freed; `undefined` when no such engine is left or `signal` aborts.
   */
  async acquire(avoid: ReadonlySet<PoolEngine> = new Set(), signal?: AbortSignal): Promise<Slot | undefined> {
    for (;;) {
      if (signal?.aborted) return undefined;
      const candidates = this.usable(avoid);
      if (candidates.length === 0) return undefined;
      const slot = this.#take(candidates);
      if (slot) return slot;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  release(slot: Slot): void {
    const host = this.#hosts.get(slot.engine.hostName)!;
    host.running--;
    host.cpuLoad[slot.cpu]!--;
    this.#running.set(slot.engine, this.#running.get(slot.engine)! - 1);
    this.#total--;
    this.#wake();
  }

  /** The engine takes no more runs (its runs in flight finish or fail on their own). */
  markFailed(engine: PoolEngine): void {
    this.#failed.add(engine);
    this.#wake();
  }

  isFailed(engine: PoolEngine): boolean {
    return this.#failed.has(engine);
  }

  #take(candidates: readonly PoolEngine[]): Slot | undefined {
    if (this.#total >= this.jobs) return undefined;
    let best: PoolEngine | undefined;
    let bestFree = 0;
    for (const e of candidates) {
      const host = this.#hosts.get(e.hostName)!;
      const free = host.capacity - host.running;
      if (free <= 0) continue;
      if (best === undefined || free > bestFree || (free === bestFree && this.#running.get(e)! < this.#running.get(best)!)) {
        best = e;
        bestFree = free;
      }
    }
    if (best === undefined) return undefined;
    const host = this.#hosts.get(best.hostName)!;
    const cpu = host.cpuLoad.indexOf(Math.min(...host.cpuLoad));
    host.cpuLoad[cpu]!++;
    host.running++;
    this.#running.set(best, this.#running.get(best)! + 1);
    this.#total++;
    return { engine: best, cpu };
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
