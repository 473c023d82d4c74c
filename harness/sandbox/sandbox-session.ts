/**
 * Runs of `run-phase` in a sandbox container. A `SandboxSession` starts the
 * container once, runs `run-phase` in it as often as the caller asks (each
 * run with its own request, script, optional booted overlay and local run
 * directory: send them in, run, stream its progress, fetch `/drdsafe/out`,
 * check result.json, write run.json) and removes the container once.
 * `run-phase` cleans up after the run before it (images/README.md), so runs
 * of one session do not see each other's processes, trees or outputs.
 * `runPhaseOnce` is the session of one run, which `drdsafe run` uses.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { HarnessError } from '../errors.js';
import { timeLimit } from '../time-limit.js';
import { ContractError } from '../contract/check-json.js';
import type { RunTimings } from '../contract/run-metadata.js';
import type { RunRequest } from '../contract/run-request.js';
import { readRunResult, toRunMetadata } from '../contract/run-result.js';
import type { RunResult, ScriptSource } from '../contract/run-result.js';
import { attachSecondaryError } from '../engine/attach-secondary-error.js';
import type { ContainerClient, ExecOptions, ExecResult } from '../engine/container-client.js';
import { containerLabels, KEEP_FOR_MS } from '../engine/labels.js';
import type { Session } from '../engine/labels.js';
import { extractTar, packDirectory, packFiles } from '../engine/tar-archive.js';
import type { TarFile } from '../engine/tar-archive.js';
import { Sandbox } from './sandbox.js';
import type { StartedSandbox } from './sandbox.js';
import { sandboxSpec } from './sandbox-spec.js';
import type { SandboxLimits } from './sandbox-spec.js';

export const RUN_PHASE_COMMAND = '/opt/drdsafe/bin/run-phase';
export const REQUEST_PATH = '/drdsafe/in/request.json';
export const OUT_PATH = '/drdsafe/out';

/** Time `run-phase` gets beyond the script's own timeout (tree copies, daemons, hashing). */
export const SETUP_ALLOWANCE_MS = 120_000;

export interface SandboxSessionOptions {
  readonly image: string;
  /** The container's `drdsafe.run` label: the run directory's name, or a name for the whole session. */
  readonly runId: string;
  readonly session: Session;
  readonly signal: AbortSignal;
  /**
   * Unix ms by which the session is surely over: the container's expiry
   * label, after which any sweep removes it. Cover every run (each may take
   * its timeout plus SETUP_ALLOWANCE_MS).
   */
  readonly expiresAt: number;
  readonly limits?: SandboxLimits;
  /** The engine CPU to pin the container to (a batch gives each parallel run its own). Default: the last one. */
  readonly cpu?: number;
  /** Leave the container for inspection, for a day, instead of removing it. Default: `false`. */
  readonly keep?: boolean;
  /** Progress lines (run-phase's stderr, step notes). Default: none. */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/** One run of `run-phase` in a session. */
export interface PhaseRun {
  /** Where this run's `/drdsafe/out` lands; must exist. */
  readonly runDir: string;
  readonly request: RunRequest;
  readonly script: ScriptSource;
  /** Jail paths of the files the package installs, for run.json (`RunMetadata.payload`). Default: none. */
  readonly payload?: readonly string[];
  /** Jail paths of the stand-in programs a variant of branch exploration put in place, for run.json (`RunMetadata.standins`). Default: none. */
  readonly standins?: readonly string[];
  /** Files laid over the image's booted-tree template, sent as booted.tar (`request.bootedArchive`). */
  readonly bootedDir?: string;
  /**
   * An interactive run (request.interactive): what the user types, copied to
   * the script's terminal, and where what the script writes there goes.
   */
  readonly terminal?: { readonly input: Readable; readonly output: Writable };
  /** Unix ms by which run-phase must be done. Default: now + the request's timeout + SETUP_ALLOWANCE_MS. */
  readonly deadline?: number;
  /** When the command started (unix ms) and how long the image step took, for run.json's `timings`. */
  readonly startedAt: number;
  readonly imageMs: number;
}

export interface PhaseOutcome {
  readonly runDir: string;
  readonly result: RunResult;
  readonly timings: RunTimings;
  readonly containerId: string;
}

/** Creates and starts the session's container; `stop()` (or `await using`) removes it. */
export async function startSandboxSession(client: ContainerClient, options: SandboxSessionOptions): Promise<SandboxSession> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const engine = await client.info();
  const spec = sandboxSpec({
    image: options.image,
    labels: options.keep
      ? containerLabels(options.session, options.runId, now() + KEEP_FOR_MS, true)
      : containerLabels(options.session, options.runId, options.expiresAt),
    engineCpus: engine.cpus,
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const t = now();
  const sandbox = await new Sandbox(client, spec, {
    signal: options.signal,
    onWarning: (message) => log(`warning: ${message}`),
  }).start();
  return new SandboxSession(sandbox, options, now() - t);
}

export class SandboxSession implements AsyncDisposable {
  readonly #sandbox: StartedSandbox;
  readonly #options: SandboxSessionOptions;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  /** Create and start of the container; reported in the first run's timings, 0 in later ones. */
  #startMs: number;
  #stopping: Promise<void> | undefined;

  constructor(sandbox: StartedSandbox, options: SandboxSessionOptions, startMs: number) {
    this.#sandbox = sandbox;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => undefined);
    this.#startMs = startMs;
  }

  get containerId(): string {
    return this.#sandbox.id;
  }

  /**
   * A command in the container itself, outside the trees and outside any run
   * (to look at what the image holds, or at what a run left): stopped with
   * the session's signal.
   */
  exec(options: ExecOptions): Promise<ExecResult> {
    return this.#sandbox.exec(options);
  }

  /**
   * One run: inputs in, `run-phase`, `/drdsafe/out` into `run.runDir`
   * (fetched even when run-phase failed: what it left is the evidence of
   * why), result.json checked, run.json written. The container stays for the
   * next run, whatever happened.
   */
  async runPhase(run: PhaseRun): Promise<PhaseOutcome> {
    const { signal } = this.#options;
    const now = this.#now;
    const deadline = run.deadline ?? now() + run.request.timeoutSeconds * 1000 + SETUP_ALLOWANCE_MS;
    const startMs = this.#startMs;
    this.#startMs = 0;
    try {
      let t = now();
      await sendInputs(this.#sandbox, run);
      const sendMs = now() - t;

      t = now();
      const { exitCode, failure } = await execRunPhase(this.#sandbox, deadline - now(), signal, this.#log, run.terminal);
      const execMs = now() - t;

      t = now();
      const fetchError = await fetchOutputs(this.#sandbox, run.runDir).then(
        () => undefined,
        (error: unknown) => error,
      );
      const fetchMs = now() - t;
      if (exitCode !== 0) {
        const why = failure === undefined ? '' : `: ${failure}`;
        throw new HarnessError('SANDBOX_FAILED', `run-phase failed in the sandbox (exit code ${exitCode})${why}; what it left is in ${run.runDir}`, {
          hint: 'rebuild the image with `drdsafe image build --force` if the image is stale; run again with --keep to inspect the container',
          ...(fetchError !== undefined ? { cause: fetchError } : {}),
        });
      }
      if (fetchError !== undefined) throw fetchError;
      const result = await resultOf(run.runDir);
      const timings: RunTimings = {
        phaseWallMs: result.phaseWallMs,
        setupMs: result.setupMs,
        collectMs: result.collectMs,
        imageMs: run.imageMs,
        startMs,
        sendMs,
        execMs,
        fetchMs,
        harnessMs: now() - run.startedAt,
      };
      const metadata = toRunMetadata(result, run.script, {
        timings,
        ...(run.payload !== undefined ? { payload: run.payload } : {}),
        ...(run.standins !== undefined && run.standins.length > 0 ? { standins: run.standins } : {}),
      });
      await writeFile(path.join(run.runDir, 'run.json'), JSON.stringify(metadata, null, 2) + '\n');
      return { runDir: run.runDir, result, timings, containerId: this.#sandbox.id };
    } catch (error) {
      // Removing the container on abort breaks whatever engine call was under way; the user asked for the stop.
      if (signal.aborted && !(error instanceof HarnessError && error.code === 'ABORTED')) {
        throw new HarnessError('ABORTED', 'the run was cancelled', { cause: error });
      }
      throw error;
    }
  }

  /** Removes the container (or, with `keep`, says how to). Idempotent: every call gets the same promise. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const id = this.#sandbox.id.slice(0, 12);
      if (this.#options.keep && !this.#options.signal.aborted) {
        this.#log(`kept container ${id} for a day (docker exec -it ${id} bash; remove it with docker rm -f ${id} or drdsafe gc --all)`);
        return;
      }
      await this.#sandbox.stop();
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export interface RunPhaseOnceOptions extends PhaseRun, Omit<SandboxSessionOptions, 'expiresAt'> {}

/** One run in a fresh container, removed afterwards whatever happened: the session of one run. */
export async function runPhaseOnce(client: ContainerClient, options: RunPhaseOnceOptions): Promise<PhaseOutcome> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const deadline = now() + options.request.timeoutSeconds * 1000 + SETUP_ALLOWANCE_MS;
  const session = await startSandboxSession(client, { ...options, expiresAt: deadline + 60_000 });
  let primary: unknown;
  try {
    return await session.runPhase({ ...options, deadline });
  } catch (error) {
    primary = error;
    throw error;
  } finally {
    try {
      await session.stop();
    } catch (secondary) {
      // A container left behind after a good run is not worth failing the run for; gc sweeps it.
      if (primary !== undefined) attachSecondaryError(primary, secondary);
      else log(`warning: could not remove container ${session.containerId.slice(0, 12)}: ${String(secondary)} (run drdsafe gc)`);
    }
  }
}

/** result.json as the container left it, checked; a missing or broken one is the sandbox's failure, not the user's. */
async function resultOf(runDir: string): Promise<RunResult> {
  const file = path.join(runDir, 'result.json');
  const hint = 'the sandbox image and the harness disagree; rebuild it with `drdsafe image build --force` and run again';
  let result: RunResult | undefined;
  try {
    result = await readRunResult(file);
  } catch (error) {
    if (error instanceof ContractError) throw new HarnessError('SANDBOX_FAILED', error.message, { cause: error, hint });
    throw error;
  }
  if (result === undefined) throw new HarnessError('SANDBOX_FAILED', `run-phase left no result.json (${file})`, { hint });
  return result;
}

async function sendInputs(sandbox: StartedSandbox, run: PhaseRun): Promise<void> {
  const files: TarFile[] = [
    { name: 'drdsafe/in/request.json', content: JSON.stringify(run.request, null, 2) + '\n' },
    { name: `drdsafe/in/${run.request.scriptName}`, content: run.script.bytes ?? run.script.text, mode: 0o755 },
  ];
  if (run.bootedDir) {
    // The contract wants booted.tar as a file, so the tree is archived first and sent inside the outer archive.
    files.push({ name: 'drdsafe/in/booted.tar', content: await buffer(packDirectory(run.bootedDir)) });
  }
  await sandbox.putArchive('/', packFiles(files));
}

/** run-phase's exit code, and its own failure message (`run-phase: ...` on stderr) when it gave one. */
async function execRunPhase(
  sandbox: StartedSandbox,
  budgetMs: number,
  signal: AbortSignal,
  log: (line: string) => void,
  terminal?: PhaseRun['terminal'],
): Promise<{ readonly exitCode: number; readonly failure?: string }> {
  const guard = timeLimit(signal, budgetMs);
  let pending = '';
  let failure: string | undefined;
  const line = (text: string): void => {
    if (text.startsWith('run-phase: ')) failure = text.slice('run-phase: '.length);
    log(text);
  };
  const onStderr = (chunk: Buffer): void => {
    pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      line(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  };
  try {
    const result = await sandbox.exec({
      cmd: [RUN_PHASE_COMMAND, REQUEST_PATH],
      onStderr,
      signal: guard.signal,
      // run-phase's stdout is the script's terminal in an interactive run, and says nothing otherwise.
      ...(terminal ? { stdin: terminal.input, onStdout: (chunk: Buffer) => void terminal.output.write(chunk) } : {}),
    });
    if (pending) line(pending);
    return failure === undefined ? { exitCode: result.exitCode } : { exitCode: result.exitCode, failure };
  } catch (error) {
    if (signal.aborted) throw new HarnessError('ABORTED', 'the run was cancelled', { cause: signal.reason });
    if (guard.expired) {
      throw new HarnessError('SANDBOX_FAILED', `run-phase did not finish within ${Math.round(budgetMs / 1000)} s`, {
        cause: error,
        hint: 'the sandbox hung outside the script; run again with --keep and inspect the container',
      });
    }
    throw error;
  } finally {
    guard.dispose();
  }
}

async function fetchOutputs(sandbox: StartedSandbox, runDir: string): Promise<void> {
  const archive = await sandbox.getArchive(OUT_PATH);
  // The archive's top entry is `out/`.
  await extractTar(archive, runDir, { strip: 1 });
}
