/**
 * What `run` and `corpus` share when they run many targets: the engines
 * (`--engine`, `DRDSAFE_ENGINES` or the environment's one) connected and
 * checked, the sandbox image made sure of on the first and copied to the
 * others, the runs spread over the engines' slots (batch/run-batch.ts)
 * with a progress display on stderr, and at the end the summary table on
 * stdout and index.html with batch.json in the batch's folder. Written
 * even when the batch was interrupted: what finished is kept.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from './io.js';
import { discard } from './io.js';
import { DockerError } from '../errors.js';
import { worstExitCode } from '../exit-codes.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import type { ContainerClient } from '../engine/container-client.js';
import type { EngineEndpoint } from '../engine/engine-endpoint.js';
import { newSession } from '../engine/labels.js';
import type { Session } from '../engine/labels.js';
import { ensureSandboxImage } from '../image/ensure-sandbox-image.js';
import type { SandboxImage } from '../image/ensure-sandbox-image.js';
import { copyImage } from '../image/copy-image.js';
import { PROJECT_ROOT } from '../project-root.js';
import { EnginePool } from '../batch/engine-pool.js';
import type { PoolEngine, Slot } from '../batch/engine-pool.js';
import { runBatch } from '../batch/run-batch.js';
import type { BatchEntry, BatchTask, TaskResult } from '../batch/run-batch.js';
import { createProgress, wantsLiveProgress } from '../batch/batch-progress.js';
import { summaryTable } from '../batch/summary-table.js';
import { writeBatchIndex } from '../batch/batch-index.js';
import { displayPath } from '../display-path.js';

export interface BatchSettings {
  readonly engines: readonly EngineEndpoint[];
  /** Runs at once. Default: one per CPU of every engine machine. */
  readonly jobs?: number;
  /** The batch's folder: each run's directory beneath it, index.html and batch.json in it. */
  readonly outRoot: string;
  /** index.html's title. */
  readonly title: string;
  /** Default: the project's `images/`. */
  readonly imagesDir?: string;
}

/** What a batch's tasks get to run a target in a slot. */
/** What one run of a batch gets to start its sandbox: `runScript`'s and `runPackage`'s deps. */
export interface BatchRunDeps {
  /** The command's io with no stdout (a run's report stays in its run directory) and the run's signal. */
  readonly io: CliIo;
  readonly client: ContainerClient;
  readonly session: Session;
  readonly image: SandboxImage;
  readonly cpu: number;
  readonly log: (line: string) => void;
}

export interface BatchContext {
  /** The deps of a run on `slot`: its engine's client and image, its CPU, the batch's session. */
  readonly runDeps: (slot: Slot, signal: AbortSignal) => BatchRunDeps;
}

export interface BatchOutcome<T extends TaskResult> {
  readonly entries: BatchEntry<T>[];
  readonly exitCode: number;
  readonly indexFile: string;
}

/** Connects every endpoint; one that does not answer is left out with a warning, none answering is an error. */
async function openEngines(endpoints: readonly EngineEndpoint[], log: (line: string) => void): Promise<PoolEngine[]> {
  const opened = await Promise.all(
    endpoints.map(async (endpoint): Promise<PoolEngine | undefined> => {
      try {
        const client = await DockerContainerClient.connect(endpoint);
        await client.ping();
        const info = await client.info();
        return { name: endpoint.text, client, hostName: info.hostName, cpus: info.cpus };
      } catch (error) {
        if (endpoints.length === 1) throw error;
        log(`batch: warning: engine ${endpoint.text} left out: ${(error as Error).message}`);
        return undefined;
      }
    }),
  );
  const engines = opened.filter((e): e is PoolEngine => e !== undefined);
  if (engines.length === 0) {
    throw new DockerError('DOCKER_UNAVAILABLE', 'connect', `none of the ${endpoints.length} engines answers`, {
      hint: 'check each with `DOCKER_HOST=<endpoint> docker info`',
    });
  }
  return engines;
}

/** The image on every engine: made sure of (built if need be) on the first, copied to the others. An engine it cannot reach is left out. */
async function imagesOn(
  engines: readonly PoolEngine[],
  settings: BatchSettings,
  session: Session,
  io: CliIo,
  log: (line: string) => void,
): Promise<Map<PoolEngine, SandboxImage>> {
  const [first, ...rest] = engines;
  const image = await ensureSandboxImage(first!.client, {
    imagesDir: settings.imagesDir ?? path.join(PROJECT_ROOT, 'images'),
    session,
    signal: io.signal,
    env: io.env,
    log,
  });
  const images = new Map<PoolEngine, SandboxImage>([[first!, image]]);
  await Promise.all(
    rest.map(async (engine) => {
      const started = Date.now();
      try {
        const had = await engine.client.inspectImage(image.ref);
        const id = await copyImage(first!.client, engine.client, image.ref, { signal: io.signal });
        if (!had) log(`image: copied ${image.ref} to ${engine.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        images.set(engine, { ...image, id, built: false });
      } catch (error) {
        if (io.signal.aborted) throw error;
        log(`batch: warning: engine ${engine.name} left out: the image could not be put there: ${(error as Error).message}`);
      }
    }),
  );
  return images;
}

export async function runBatchSession<T extends TaskResult>(
  settings: BatchSettings,
  makeTasks: (context: BatchContext) => readonly BatchTask<T>[],
  io: CliIo,
): Promise<BatchOutcome<T>> {
  const started = new Date();
  const log = (line: string): void => void io.stderr.write(line + '\n');
  const session = newSession();
  const opened = await openEngines(settings.engines, log);
  const images = await imagesOn(opened, settings, session, io, log);
  const engines = opened.filter((e) => images.has(e));
  const pool = new EnginePool(engines, settings.jobs);
  const tasks = makeTasks({
    runDeps: (slot, signal) => ({
      io: { ...io, stdout: discard(), signal },
      client: slot.engine.client,
      session,
      image: images.get(slot.engine)!,
      cpu: slot.cpu,
      log: () => {},
    }),
  });
  await mkdir(settings.outRoot, { recursive: true });
  log(`batch: ${tasks.length} run(s), ${pool.jobs} at a time on ${engines.map((e) => `${e.name} (${e.cpus} CPU)`).join(', ')}`);
  const progress = createProgress(io.stderr, {
    total: tasks.length,
    live: wantsLiveProgress(io.interactive, io.env),
    columns: (io.stderr as { columns?: number }).columns ?? 80,
  });
  let entries: BatchEntry<T>[];
  try {
    entries = await runBatch(tasks, { pool, signal: io.signal, onEvent: (e) => progress.onEvent(e) });
  } finally {
    progress.stop();
  }
  const wallMs = Date.now() - started.getTime();
  if (io.signal.aborted) log(`batch: interrupted: ${entries.filter((e) => e.status === 'finished').length} of ${entries.length} run(s) finished`);
  const indexFile = await writeBatchIndex(entries, { dir: settings.outRoot, title: settings.title, wallMs, startedAt: started });
  io.stdout.write(summaryTable(entries, { cwd: io.cwd, wallMs }));
  log(`batch: index ${displayPath(io.cwd, indexFile)}`);
  return { entries, exitCode: worstExitCode(entries.map((e) => e.exitCode)), indexFile };
}
