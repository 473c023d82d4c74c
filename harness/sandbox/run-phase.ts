/**
 * One control-script run in a fresh sandbox container: start it, send the
 * request, the script and (optionally) a booted tree in, run `run-phase`,
 * stream its progress, fetch `/drdsafe/out` into the run directory, write
 * `run.json`, and remove the container whatever happened.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { HarnessError } from '../errors.js';
import type { RunTimings } from '../model/run-metadata.js';
import { attachSecondaryError } from './attach-secondary-error.js';
import type { ContainerClient } from './container-client.js';
import { containerLabels, KEEP_FOR_MS } from './labels.js';
import type { Session } from './labels.js';
import type { RunRequest } from './run-request.js';
import { readRunResult, toRunMetadata } from './run-result.js';
import type { RunResult } from './run-result.js';
import { Sandbox } from './sandbox.js';
import type { StartedSandbox } from './sandbox.js';
import { sandboxSpec } from './sandbox-spec.js';
import type { SandboxLimits } from './sandbox-spec.js';
import { extractTar, packDirectory, packFiles } from './tar-archive.js';
import type { TarFile } from './tar-archive.js';

export const RUN_PHASE_COMMAND = '/opt/drdsafe/bin/run-phase';
export const REQUEST_PATH = '/drdsafe/in/request.json';
export const OUT_PATH = '/drdsafe/out';

/** Time `run-phase` gets beyond the script's own timeout (tree copies, daemons, hashing). */
const SETUP_ALLOWANCE_MS = 120_000;

export interface RunPhaseOptions {
  readonly image: string;
  readonly runId: string;
  /** Where `/drdsafe/out` lands; must exist. */
  readonly runDir: string;
  readonly request: RunRequest;
  /** `bytes`: the file as it is, when it is not text (a binary control script); sent instead of `text`. */
  readonly script: { readonly text: string; readonly sourcePath: string; readonly bytes?: Buffer };
  /** Jail paths of the files the package installs, for run.json (`RunMetadata.payload`). Default: none. */
  readonly payload?: readonly string[];
  /** Files laid over the image's booted-tree template, sent as booted.tar. */
  readonly bootedDir?: string;
  readonly session: Session;
  readonly signal: AbortSignal;
  readonly limits?: SandboxLimits;
  /** Leave the container for inspection instead of removing it. Default: `false`. */
  readonly keep?: boolean;
  /**
   * An interactive run (request.interactive): what the user types, copied to
   * the script's terminal, and where what the script writes there goes.
   */
  readonly terminal?: { readonly input: Readable; readonly output: Writable };
  /** Progress lines (run-phase's stderr, step notes). Default: none. */
  readonly log?: (line: string) => void;
  /** When the command started (unix ms) and how long the image step took, for `timings`. */
  readonly startedAt: number;
  readonly imageMs: number;
  readonly now?: () => number;
}

export interface PhaseOutcome {
  readonly runDir: string;
  readonly result: RunResult;
  readonly timings: RunTimings;
  readonly containerId: string;
}

export async function runPhase(client: ContainerClient, options: RunPhaseOptions): Promise<PhaseOutcome> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const deadline = now() + options.request.timeoutSeconds * 1000 + SETUP_ALLOWANCE_MS;
  const engine = await client.info();
  const spec = sandboxSpec({
    image: options.image,
    labels: options.keep
      ? containerLabels(options.session, options.runId, now() + KEEP_FOR_MS, true)
      : containerLabels(options.session, options.runId, deadline + 60_000),
    engineCpus: engine.cpus,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  let t = now();
  const sandbox = await new Sandbox(client, spec, {
    signal: options.signal,
    onWarning: (message) => log(`warning: ${message}`),
  }).start();
  const startMs = now() - t;
  let primary: unknown;
  try {
    t = now();
    await sendInputs(sandbox, options);
    const sendMs = now() - t;

    t = now();
    const { exitCode, failure } = await execRunPhase(sandbox, deadline - now(), options.signal, log, options.terminal);
    const execMs = now() - t;

    t = now();
    // Fetched even when run-phase failed: what it left is the evidence of why.
    const fetchError = await fetchOutputs(sandbox, options.runDir).then(() => undefined, (error: unknown) => error);
    const fetchMs = now() - t;
    if (exitCode !== 0) {
      const why = failure === undefined ? '' : `: ${failure}`;
      throw new HarnessError('SANDBOX_FAILED', `run-phase failed in the sandbox (exit code ${exitCode})${why}; what it left is in ${options.runDir}`, {
        hint: 'rebuild the image with `drdsafe image build --force` if the image is stale; run again with --keep to inspect the container',
        ...(fetchError !== undefined ? { cause: fetchError } : {}),
      });
    }
    if (fetchError !== undefined) throw fetchError;
    const result = await readRunResult(path.join(options.runDir, 'result.json'));
    const timings: RunTimings = {
      phaseWallMs: result.phaseWallMs,
      ...(result.setupMs !== undefined ? { setupMs: result.setupMs } : {}),
      ...(result.collectMs !== undefined ? { collectMs: result.collectMs } : {}),
      imageMs: options.imageMs,
      startMs,
      sendMs,
      execMs,
      fetchMs,
      harnessMs: now() - options.startedAt,
    };
    const metadata = toRunMetadata(result, options.script, { timings, ...(options.payload !== undefined ? { payload: options.payload } : {}) });
    await writeFile(path.join(options.runDir, 'run.json'), JSON.stringify(metadata, null, 2) + '\n');
    return { runDir: options.runDir, result, timings, containerId: sandbox.id };
  } catch (error) {
    // Removing the container on abort breaks whatever engine call was under way; the user asked for the stop.
    primary =
      options.signal.aborted && !(error instanceof HarnessError && error.code === 'ABORTED')
        ? new HarnessError('ABORTED', 'the run was cancelled', { cause: error })
        : error;
    throw primary;
  } finally {
    try {
      await release(sandbox, options, log);
    } catch (secondary) {
      // A container left behind after a good run is not worth failing the run for; gc sweeps it.
      if (primary !== undefined) attachSecondaryError(primary, secondary);
      else log(`warning: could not remove container ${sandbox.id.slice(0, 12)}: ${String(secondary)} (run drdsafe gc)`);
    }
  }
}

async function release(sandbox: StartedSandbox, options: RunPhaseOptions, log: (line: string) => void): Promise<void> {
  if (options.keep && !options.signal.aborted) {
    log(`kept container ${sandbox.id.slice(0, 12)} for a day (docker exec -it ${sandbox.id.slice(0, 12)} bash; remove it with docker rm -f ${sandbox.id.slice(0, 12)} or drdsafe gc --all)`);
    return;
  }
  await sandbox.stop();
}

async function sendInputs(sandbox: StartedSandbox, options: RunPhaseOptions): Promise<void> {
  const files: TarFile[] = [
    { name: 'drdsafe/in/request.json', content: JSON.stringify(options.request, null, 2) + '\n' },
    { name: `drdsafe/in/${options.request.scriptName}`, content: options.script.bytes ?? options.script.text, mode: 0o755 },
  ];
  if (options.bootedDir) {
    // The contract wants booted.tar as a file, so the tree is archived first and sent inside the outer archive.
    files.push({ name: 'drdsafe/in/booted.tar', content: await buffer(packDirectory(options.bootedDir)) });
  }
  await sandbox.putArchive('/', packFiles(files));
}

/** run-phase's exit code, and its own failure message (`run-phase: ...` on stderr) when it gave one. */
async function execRunPhase(
  sandbox: StartedSandbox,
  budgetMs: number,
  signal: AbortSignal,
  log: (line: string) => void,
  terminal?: RunPhaseOptions['terminal'],
): Promise<{ readonly exitCode: number; readonly failure?: string }> {
  const guard = AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, budgetMs))]);
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
      signal: guard,
      // run-phase's stdout is the script's terminal in an interactive run, and says nothing otherwise.
      ...(terminal ? { stdin: terminal.input, onStdout: (chunk: Buffer) => void terminal.output.write(chunk) } : {}),
    });
    if (pending) line(pending);
    return failure === undefined ? { exitCode: result.exitCode } : { exitCode: result.exitCode, failure };
  } catch (error) {
    if (signal.aborted) throw new HarnessError('ABORTED', 'the run was cancelled', { cause: signal.reason });
    if (guard.aborted) {
      throw new HarnessError('SANDBOX_FAILED', `run-phase did not finish within ${Math.round(budgetMs / 1000)} s`, {
        cause: error,
        hint: 'the sandbox hung outside the script; run again with --keep and inspect the container',
      });
    }
    throw error;
  }
}

async function fetchOutputs(sandbox: StartedSandbox, runDir: string): Promise<void> {
  const archive = await sandbox.getArchive(OUT_PATH);
  // The archive's top entry is `out/`.
  await extractTar(archive, runDir, { strip: 1 });
}
