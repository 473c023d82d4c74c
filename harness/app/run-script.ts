/**
 * `drdsafe run` without the argv parsing: validate the input, make sure the
 * image exists, sweep what dead runs left, run the phase in a fresh container
 * and hand the run directory to the analysis. Returns the run directory and
 * the exit code, so the corpus tests and the benchmark can call it directly.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from './io.js';
import { EXIT } from '../exit-codes.js';
import { UserError } from '../errors.js';
import { ensureSandboxImage } from '../image/ensure-sandbox-image.js';
import { suggestion } from '../schema/did-you-mean.js';
import type { SandboxImage } from '../image/ensure-sandbox-image.js';
import { PHASES } from '../contract/run-metadata.js';
import type { Phase, RunTimings } from '../contract/run-metadata.js';
import { PROJECT_ROOT } from '../project-root.js';
import { analyzeRunDir } from './analyze-run.js';
import type { Report } from '../report/report.js';
import type { WaiverSet } from '../report/waiver-file.js';
import type { ReportFormat } from '../report/write-report.js';
import { tracedSyscallsFor } from './traced-syscalls-for.js';
import type { ContainerClient } from '../engine/container-client.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import type { Session } from '../engine/labels.js';
import { createRunDir, runId } from './run-dir.js';
import { runPhaseOnce } from '../sandbox/sandbox-session.js';
import { runExploration } from './run-exploration.js';
import { buildRunRequest } from '../contract/run-request.js';
import type { RunResult } from '../contract/run-result.js';
import { processLiveness, sweepStaleContainers } from '../engine/sweep.js';
import { displayPath } from '../display-path.js';

/** The default time limit of an interactive run, whose phase includes the user's answers. */
export const INTERACTIVE_TIMEOUT_SECONDS = 600;

export interface RunScriptOptions {
  readonly scriptPath: string;
  /** A tag from PHASES. */
  readonly phase: string;
  /** Default: the built-in policy only. */
  readonly policyFiles?: readonly string[];
  /** The run directory. Default: `traces/runs/<timestamp>-<script>-<phase>/` under the working directory. */
  readonly outDir?: string;
  /** Default: `'text'`. */
  readonly format?: ReportFormat;
  readonly failOn?: 'error' | 'warning' | 'info' | 'never';
  /** Default: `60`. */
  readonly timeoutSeconds?: number;
  /** Jail paths bind-mounted from the booted tree. Default: none. */
  readonly shared?: readonly string[];
  /** Files laid over the image's booted-tree template (its executables are kept). */
  readonly bootedDir?: string;
  /** Trace every syscall, not just the policy's set. Default: `false`. */
  readonly traceAll?: boolean;
  /** Leave the container behind for inspection. Default: `false`. */
  readonly keep?: boolean;
  /**
   * Give the script a terminal joined to `io.stdin` (what the user types) and
   * `io.stderr` (what the script writes there, beside the progress lines, so
   * that stdout keeps the report alone). Default: `false` (no stdin, as SD runs scripts).
   */
  readonly interactive?: boolean;
  /** Jail paths of the files the package installs (`RunMetadata.payload`). Default: none known. */
  readonly payload?: readonly string[];
  /** Run without strace (benchmarks only). Default: `false`. */
  readonly untraced?: boolean;
  /** Replaces the policy's syscall set (benchmarks only). */
  readonly traceSyscalls?: readonly string[];
  /** Skip the analysis and return exit code 0 once the run directory is complete. Default: `true`. */
  readonly analyze?: boolean;
  /**
   * Branch exploration: after the first run, at most this many variants, each
   * with some of the probes the first run lost made true (harness/explore/),
   * in the same container; `timeoutSeconds` then bounds the whole. Default:
   * `0` (none; `drdsafe run`'s default is 4).
   */
  readonly explore?: number;
  /** The DRD-guard proof: one more run on the booted system with SW_SESSION_IS_DRD unset. Default: `explore > 0`. */
  readonly compare?: boolean;
  /** Findings accepted for a time (read, and checked for expiry, before the run). Default: none. */
  readonly waivers?: WaiverSet;
  /** Warn of each waiver that matched no finding or names a rule the policy lacks. Default: `true`. */
  readonly waiverWarnings?: boolean;
  /** How the report names the script (`drd runcmd ls`). Default: its path, relative to the working directory. */
  readonly sourceLabel?: string;
}

/** The most variants one exploration may run. */
export const MAX_EXPLORE = 32;

/** Variants `drdsafe run` and `drdsafe corpus` explore unless told otherwise. */
export const DEFAULT_EXPLORE = 4;

export interface RunScriptDeps {
  readonly io: CliIo;
  /** Default: a DockerContainerClient with dockerode's environment settings. */
  readonly client?: ContainerClient;
  /** Default: a new session. */
  readonly session?: Session;
  /** Default: `images/` of the project. */
  readonly imagesDir?: string;
  /** An image already ensured (skips the hash check). */
  readonly image?: SandboxImage;
  /** Default: app/analyze-run's analyzeRunDir. */
  readonly analyzeRunDir?: typeof analyzeRunDir;
  /** Command start, unix ms. Default: now. */
  readonly startedAt?: number;
  /** Progress lines. Default: written to `io.stderr`. */
  readonly log?: (line: string) => void;
  /** The engine CPU the sandbox is pinned to (a batch's slot). Default: the last one. */
  readonly cpu?: number;
}

export interface RunScriptOutcome {
  readonly runDir: string;
  readonly exitCode: number;
  readonly result: RunResult;
  readonly timings: RunTimings;
  readonly image: SandboxImage;
  /** The analysis's report (absent with `analyze: false`). */
  readonly report?: Report;
}

export function parsePhase(value: string): Phase {
  if (!(PHASES as readonly string[]).includes(value)) {
    throw new UserError('USAGE', `unknown phase \`${value}\`${suggestion(value, PHASES)}`, { hint: `use one of: ${PHASES.join(', ')}` });
  }
  return value as Phase;
}

async function assertFile(file: string, what: string, hint: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UserError('INPUT_NOT_FOUND', `${what} not found: ${file}`, { hint });
}

export async function runScript(options: RunScriptOptions, deps: RunScriptDeps): Promise<RunScriptOutcome> {
  const startedAt = deps.startedAt ?? Date.now();
  const { io } = deps;
  const log = deps.log ?? ((line: string) => void io.stderr.write(line + '\n'));
  const scriptFile = path.resolve(io.cwd, options.scriptPath);
  await assertFile(scriptFile, 'control script', 'give the path of a control script file');
  const phase = parsePhase(options.phase);
  for (const policy of options.policyFiles ?? []) {
    await assertFile(path.resolve(io.cwd, policy), 'policy file', 'give the path of a policy YAML file');
  }
  const bootedDir = options.bootedDir ? path.resolve(io.cwd, options.bootedDir) : undefined;
  if (bootedDir && !(await stat(bootedDir).catch(() => undefined))?.isDirectory()) {
    throw new UserError('INPUT_NOT_FOUND', `booted tree not found: ${bootedDir}`, {
      hint: 'give --booted-overlay a directory of files to lay over the booted tree',
    });
  }
  const policyFiles = (options.policyFiles ?? []).map((p) => path.resolve(io.cwd, p));
  const explore = options.explore ?? 0;
  const compare = options.compare ?? explore > 0;
  if (!Number.isInteger(explore) || explore < 0 || explore > MAX_EXPLORE) {
    throw new UserError('USAGE', `Expected \`--explore\` to be a whole number from 0 to ${MAX_EXPLORE}, got \`${String(options.explore)}\``);
  }
  const exploring = explore > 0 || compare;
  if (exploring && (options.interactive || options.untraced || options.analyze === false)) {
    throw new UserError(
      'USAGE',
      `branch exploration and the comparison run cannot go with ${options.interactive ? '--interactive' : 'an untraced or unanalysed run'}: each run would need the same input again`,
      {
        hint: 'add --explore 0 --no-compare',
      },
    );
  }
  const input = options.interactive ? io.stdin?.() : undefined;
  if (options.interactive && input === undefined) {
    throw new UserError('USAGE', '--interactive needs a standard input, and this caller gives none', {
      hint: 'run drdsafe from a terminal or pipe the answers in',
    });
  }
  const traceSyscalls = options.traceSyscalls ?? (options.traceAll || options.untraced ? [] : await tracedSyscallsFor(policyFiles, { probes: explore > 0 }));
  const request = buildRunRequest({
    phase,
    traceSyscalls,
    // A person answering prompts needs longer than a script alone.
    ...(options.timeoutSeconds !== undefined
      ? { timeoutSeconds: options.timeoutSeconds }
      : options.interactive
        ? { timeoutSeconds: INTERACTIVE_TIMEOUT_SECONDS }
        : {}),
    ...(options.shared ? { shared: options.shared } : {}),
    ...(options.traceAll ? { traceAll: true } : {}),
    ...(options.untraced ? { untraced: true } : {}),
    ...(options.interactive ? { interactive: true } : {}),
    bootedArchive: bootedDir !== undefined,
  });
  // Sent as the bytes it is (a binary control script too); its text is for the report.
  const scriptBytes = await readFile(scriptFile);
  const scriptText = scriptBytes.toString('utf8');

  const client = deps.client ?? new DockerContainerClient();
  const session = deps.session ?? newSession();
  await client.ping();
  const swept = await sweepStaleContainers(client, { liveness: processLiveness(session.hostname), session });
  if (swept.removed.length > 0) log(`sandbox: removed ${swept.removed.length} container(s) left by runs that ended`);

  const imageStarted = Date.now();
  const image =
    deps.image ??
    (await ensureSandboxImage(client, {
      imagesDir: deps.imagesDir ?? path.join(PROJECT_ROOT, 'images'),
      session,
      signal: io.signal,
      env: io.env,
      log,
    }));
  const imageMs = Date.now() - imageStarted;

  const id = runId(scriptFile, phase, new Date(startedAt));
  const runDir = await createRunDir({
    runsDir: path.resolve(io.cwd, 'traces', 'runs'),
    id,
    ...(options.outDir ? { outDir: path.resolve(io.cwd, options.outDir) } : {}),
  });
  if (exploring) {
    const { first, analysis } = await runExploration({
      client,
      session,
      image,
      imageMs,
      runId: id,
      runDir,
      request,
      script: { text: scriptText, sourcePath: displayPath(io.cwd, scriptFile), bytes: scriptBytes },
      ...(options.payload ? { payload: options.payload } : {}),
      ...(bootedDir ? { bootedDir } : {}),
      ...(options.keep ? { keep: true } : {}),
      policyFiles,
      format: options.format ?? 'text',
      ...(options.failOn ? { failOn: options.failOn } : {}),
      plan: { explore, compare },
      io,
      log,
      startedAt,
    });
    log(`run: ${displayPath(io.cwd, runDir)}`);
    return { runDir, exitCode: analysis.exitCode, result: first.result, timings: first.timings, image, report: analysis.report };
  }
  if (input !== undefined)
    log(
      `run: interactive: the script's terminal is this one (what it writes shows here; what you type is its input, Ctrl-D ends it; it has ${request.timeoutSeconds} s)`,
    );
  const outcome = await runPhaseOnce(client, {
    image: image.ref,
    runId: id,
    runDir,
    request,
    script: { text: scriptText, sourcePath: options.sourceLabel ?? displayPath(io.cwd, scriptFile), bytes: scriptBytes },
    ...(options.payload ? { payload: options.payload } : {}),
    ...(bootedDir ? { bootedDir } : {}),
    session,
    signal: io.signal,
    ...(deps.cpu !== undefined ? { cpu: deps.cpu } : {}),
    ...(options.keep ? { keep: true } : {}),
    ...(input !== undefined ? { terminal: { input, output: io.stderr } } : {}),
    log,
    startedAt,
    imageMs,
  });
  log(`run: ${displayPath(io.cwd, runDir)}`);
  if (options.analyze === false) {
    return { runDir, exitCode: EXIT.safe, result: outcome.result, timings: outcome.timings, image };
  }
  const analyze = deps.analyzeRunDir ?? analyzeRunDir;
  const analysis = await analyze(
    runDir,
    {
      policyFiles,
      format: options.format ?? 'text',
      startedAt,
      ...(options.failOn ? { failOn: options.failOn } : {}),
      ...(options.waivers ? { waivers: options.waivers } : {}),
      ...(options.waiverWarnings !== undefined ? { waiverWarnings: options.waiverWarnings } : {}),
    },
    io,
  );
  return { runDir, exitCode: analysis.exitCode, result: outcome.result, timings: outcome.timings, image, report: analysis.report };
}
