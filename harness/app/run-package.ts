/**
 * `drdsafe run <package>` and the sessions of `drdsafe runcmd sw*`: read the
 * package (and what must be installed before it), plan the SD session, run
 * it in one sandbox container on one clone (package-session.ts), write the
 * session directory (every phase's run directory with its run.json, the
 * image's SD files, session.json) and judge it (analyze-session.ts). A
 * malformed input stops here with its file, line and problem, before any
 * container starts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { CliIo } from './io.js';
import { EXIT } from '../exit-codes.js';
import { HarnessError, UserError } from '../errors.js';
import { displayPath } from '../display-path.js';
import { PROJECT_ROOT } from '../project-root.js';
import { ensureSandboxImage, type SandboxImage } from '../image/ensure-sandbox-image.js';
import type { ContainerClient } from '../engine/container-client.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession, type Session } from '../engine/labels.js';
import { processLiveness, sweepStaleContainers } from '../engine/sweep.js';
import { packDirectory } from '../engine/tar-archive.js';
import { attachSecondaryError } from '../engine/attach-secondary-error.js';
import { readRunResult, toRunMetadata } from '../contract/run-result.js';
import { SESSION_FILE, type SessionPackage, type SessionRecord } from '../contract/session-record.js';
import { SessionSandbox } from '../sandbox/session-sandbox.js';
import { readPackage } from '../sd/read-package.js';
import type { Package } from '../sd/package.js';
import { readPackagePayload } from '../sd/payload-ops.js';
import { planSession, type Operation, type SessionPlan } from '../sd/session-plan.js';
import type { BaselinePackage } from '../sd/baseline-install.js';
import { filesetKey } from '../sd/package.js';
import { isPatchProduct } from '../sd/patch-records.js';
import type { Report } from '../report/report.js';
import type { RunScriptOptions } from './run-script.js';
import { analyzeSessionDir } from './analyze-session.js';
import { createRunDir, timestamp } from './run-dir.js';
import { KEPT_PATHS, runPackageSession, type PackageSessionResult } from './package-session.js';
import { tracedSyscallsFor } from './traced-syscalls-for.js';

export interface RunPackageOptions extends Pick<
  RunScriptOptions,
  'policyFiles' | 'format' | 'failOn' | 'timeoutSeconds' | 'shared' | 'bootedDir' | 'traceAll' | 'keep' | 'analyze' | 'waivers'
> {
  /** A script folder, PSF, directory depot or tape depot. */
  readonly target: string;
  /** Default: `install`. */
  readonly operation?: Operation;
  /** Software selections. Default: everything in the package. */
  readonly selections?: readonly string[];
  /** Upgrade: the earlier revision installed first. Default: the same package. */
  readonly from?: string;
  /** Packages installed on the system before the session, in order (a patch's base product). Default: none. */
  readonly installed?: readonly string[];
  /** Run configure after the session as the booted image would. Default: `false`. */
  readonly bootPhase?: boolean;
  /** `swverify -F`: fix scripts, which drd runcmd refuses. Default: `false`. */
  readonly fix?: boolean;
  /** `drdsafe runcmd`'s command line, kept in session.json. */
  readonly command?: readonly string[];
  /**
   * An install of a product an `installed` package already holds is an
   * upgrade from it, as swinstall updates installed software. Default: `false`.
   */
  readonly upgradeInstalled?: boolean;
  /** The session directory. Default: `traces/runs/<timestamp>-<package>-<operation>/`. */
  readonly outDir?: string;
}

export interface RunPackageDeps {
  readonly io: CliIo;
  readonly client?: ContainerClient;
  readonly session?: Session;
  readonly imagesDir?: string;
  readonly image?: SandboxImage;
  readonly log?: (line: string) => void;
  /** The engine CPU the sandbox is pinned to (a batch's slot). Default: the last one. */
  readonly cpu?: number;
}

export interface RunPackageOutcome {
  readonly sessionDir: string;
  /** The verdict's exit code (0 safe, 1 unsafe, 3 indeterminate). */
  readonly exitCode: number;
  /** The SD command's: 0 success, 1 error, 2 warning. */
  readonly sdExitCode: number;
  readonly record: SessionRecord;
  readonly report?: Report;
  readonly image: SandboxImage;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** The package as session.json names it. */
function describe(pkg: Package): SessionPackage {
  return {
    path: pkg.path,
    kind: pkg.kind,
    products: pkg.products.map((p) => ({ tag: p.tag, ...(p.revision === undefined ? {} : { revision: p.revision }), filesets: p.filesets.map((f) => f.tag) })),
  };
}

/** SD's exit code for the session: 0 success, 1 error, 2 warning (swinstall(1M) RETURN VALUES; drd runcmd returns the worst). */
function sdExitCode(plan: SessionPlan, result: PackageSessionResult): number {
  if (result.failure !== undefined || result.result === undefined) return 1;
  if (plan.selected.length === 0 && plan.refused.length > 0) return 1;
  if (result.result.status === 'error') return 1;
  if (result.result.status === 'warning' || plan.refused.length > 0) return 2;
  return 0;
}

async function readInput(io: CliIo, file: string): Promise<Package> {
  return readPackage(path.resolve(io.cwd, file)).then((pkg) => ({ ...pkg, path: displayPath(io.cwd, pkg.path) }));
}

export async function runPackage(options: RunPackageOptions, deps: RunPackageDeps): Promise<RunPackageOutcome> {
  const startedAt = Date.now();
  const { io } = deps;
  const log = deps.log ?? ((line: string) => void io.stderr.write(line + '\n'));
  let operation = options.operation ?? 'install';
  if (options.from !== undefined && operation !== 'upgrade') throw new UserError('USAGE', '--from applies to --operation upgrade only');

  // Everything read and planned before anything starts: a bad input loses nothing.
  const pkg = await readInput(io, options.target);
  let from = options.from === undefined ? undefined : await readInput(io, options.from);
  let installed = await Promise.all((options.installed ?? []).map((p) => readInput(io, p)));
  if (options.upgradeInstalled && operation === 'install') {
    const tags = new Set(pkg.products.filter((p) => !isPatchProduct(p)).map((p) => p.tag));
    const earlier = installed.find((i) => i.products.some((p) => tags.has(p.tag)));
    if (earlier !== undefined) {
      operation = 'upgrade';
      from = earlier;
      installed = installed.filter((i) => i !== earlier);
      log(`session: ${earlier.products.map((p) => `${p.tag} ${p.revision ?? ''}`.trim()).join(', ')} is installed: swinstall updates it (an upgrade)`);
    }
  }
  for (const w of [pkg, from, ...installed].flatMap((p) => p?.warnings ?? []))
    log(`warning: ${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}`);
  const plan = planSession(pkg, operation, {
    ...(options.selections === undefined ? {} : { selections: options.selections }),
    ...(options.bootPhase ? { bootPhase: true } : {}),
    ...(options.fix ? { fix: true } : {}),
    ...(from === undefined ? {} : { from }),
  });
  // What is installed before the session: the packages named so, then the one the operation needs (once each).
  const baselinePkgs = [
    ...installed.filter((p) => p.path !== plan.baseline?.package.path).map((p) => ({ pkg: p, why: 'named as installed before the session' })),
    ...(plan.baseline === undefined ? [] : [{ pkg: plan.baseline.package, why: plan.baseline.why }]),
  ];
  const bytes = await readPackagePayload(pkg);
  const baseline: BaselinePackage[] = [];
  for (const b of baselinePkgs) baseline.push({ pkg: b.pkg, why: b.why, bytes: b.pkg === pkg ? bytes : await readPackagePayload(b.pkg) });
  const policyFiles = (options.policyFiles ?? []).map((p) => path.resolve(io.cwd, p));
  const traceSyscalls = options.traceAll ? [] : await tracedSyscallsFor(policyFiles);
  const bootedDir = options.bootedDir === undefined ? undefined : path.resolve(io.cwd, options.bootedDir);

  const client = deps.client ?? new DockerContainerClient();
  const session = deps.session ?? newSession();
  await client.ping();
  const swept = await sweepStaleContainers(client, { liveness: processLiveness(session.hostname), session });
  if (swept.removed.length > 0) log(`sandbox: removed ${swept.removed.length} container(s) left by runs that ended`);
  const image =
    deps.image ??
    (await ensureSandboxImage(client, { imagesDir: deps.imagesDir ?? path.join(PROJECT_ROOT, 'images'), session, signal: io.signal, env: io.env, log }));

  const label = pkg.products
    .map((p) => p.tag)
    .join('+')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 60);
  const id = `${timestamp(new Date(startedAt))}-${label}-${operation}`;
  const sessionDir = await createRunDir({
    runsDir: path.resolve(io.cwd, 'traces', 'runs'),
    id,
    ...(options.outDir ? { outDir: path.resolve(io.cwd, options.outDir) } : {}),
  });
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const scripts = plan.steps.filter((s) => s.kind === 'script' && s.planned === 'run').length;
  const sandbox = await SessionSandbox.create(client, {
    image: image.ref,
    runId: id,
    session,
    signal: io.signal,
    // Every script may take its time limit, plus the setup of the session.
    expiresAt: Date.now() + (scripts + 2) * (timeoutSeconds * 1000 + 120_000),
    ...(deps.cpu !== undefined ? { cpu: deps.cpu } : {}),
    ...(options.keep ? { keep: true } : {}),
    log,
  });
  let result: PackageSessionResult;
  let fetchMs = 0;
  let primary: unknown;
  // The container goes while the phases are analysed; a failed session waits for it before it throws.
  let stopped: Promise<void> | undefined;
  try {
    if (bootedDir !== undefined) await sandbox.send([{ name: 'booted.tar', content: await buffer(packDirectory(bootedDir)) }]);
    result = await runPackageSession(sandbox, {
      plan,
      bytes,
      baseline,
      trace: { timeoutSeconds, traceSyscalls, traceAll: options.traceAll ?? false, stringLimit: 4096, maxTraceBytes: 256 * 1024 * 1024 },
      shared: options.shared ?? [],
      bootedArchive: bootedDir !== undefined,
      date: new Date(startedAt),
      host: os.hostname(),
      log,
    });
    const t = Date.now();
    await sandbox.finish({ op: 'finish', keep: KEPT_PATHS });
    await sandbox.fetch(sessionDir);
    fetchMs = Date.now() - t;
  } catch (error) {
    primary = error;
    // What the sandbox left is the evidence of what went wrong.
    await sandbox.fetch(sessionDir).catch(() => undefined);
    throw error;
  } finally {
    stopped = sandbox.stop().catch((secondary: unknown) => {
      if (primary !== undefined) attachSecondaryError(primary, secondary);
      else log(`warning: could not remove container ${sandbox.containerId.slice(0, 12)}: ${String(secondary)} (run drdsafe gc)`);
    });
    if (primary !== undefined) await stopped;
  }

  try {
    const record = await writeRecords({
      io,
      sessionDir,
      plan,
      pkg,
      baseline: baselinePkgs,
      options,
      operation,
      result,
      startedAt,
      startMs: sandbox.startMs,
      fetchMs,
    });
    log(`run: ${displayPath(io.cwd, sessionDir)}`);
    if (options.analyze === false) return { sessionDir, exitCode: EXIT.safe, sdExitCode: record.exitCode, record, image };
    const analysis = await analyzeSessionDir(
      sessionDir,
      {
        format: options.format ?? 'text',
        policyFiles,
        ...(options.failOn ? { failOn: options.failOn } : {}),
        ...(options.waivers ? { waivers: options.waivers } : {}),
      },
      io,
    );
    return { sessionDir, exitCode: analysis.exitCode, sdExitCode: record.exitCode, record, report: analysis.report, image };
  } finally {
    await stopped;
  }
}

interface RecordParts {
  readonly io: CliIo;
  readonly sessionDir: string;
  readonly plan: SessionPlan;
  readonly pkg: Package;
  readonly baseline: readonly { readonly pkg: Package; readonly why: string }[];
  readonly options: RunPackageOptions;
  readonly operation: Operation;
  readonly result: PackageSessionResult;
  readonly startedAt: number;
  readonly startMs: number;
  readonly fetchMs: number;
}

/**
 * The session directory's records: every phase's run.json (what the
 * analysis needs, with the packages' payload paths: an exec of one is a
 * gap), then session.json.
 */
async function writeRecords(parts: RecordParts): Promise<SessionRecord> {
  const { io, sessionDir, plan, result } = parts;
  const payload = [
    ...new Set(
      [parts.pkg, ...parts.baseline.map((b) => b.pkg)].flatMap((p) =>
        p.products.flatMap((pr) => pr.filesets.flatMap((f) => f.payload.filter((e) => e.type !== 'd').map((e) => e.path))),
      ),
    ),
  ];
  for (const phase of result.phases) {
    const dir = path.join(sessionDir, phase.runDir);
    const phaseResult = await readRunResult(path.join(dir, 'result.json'));
    if (phaseResult === undefined) throw new HarnessError('SANDBOX_FAILED', `the phase ${phase.step.id} left no result.json in ${dir}`);
    const script = phase.step.script;
    const meta = toRunMetadata(
      phaseResult,
      { text: script.content.toString('utf8'), sourcePath: displayPath(io.cwd, script.origin) },
      {
        payload,
        timings: { phaseWallMs: phaseResult.phaseWallMs, imageMs: 0, startMs: 0, sendMs: 0, execMs: phaseResult.phaseWallMs, fetchMs: 0, harnessMs: 0 },
      },
    );
    await writeFile(path.join(dir, 'run.json'), JSON.stringify(meta, null, 2) + '\n');
  }
  const record: SessionRecord = {
    schemaVersion: 1,
    operation: parts.operation,
    runcmd: plan.runcmd,
    ...(parts.options.command === undefined ? {} : { command: parts.options.command }),
    package: describe(parts.pkg),
    baseline: parts.baseline.map((b) => ({ ...describe(b.pkg), why: b.why })),
    selections: parts.options.selections ?? [],
    steps: result.steps.map((s) => (s.scriptSource === undefined ? s : { ...s, scriptSource: displayPath(io.cwd, s.scriptSource) })),
    status: result.failure === undefined ? (result.result?.status ?? 'error') : 'error',
    exitCode: sdExitCode(plan, result),
    ...(result.result?.globalError === undefined ? {} : { globalError: result.result.globalError }),
    rebootRequested: result.result?.rebootRequested ?? [],
    rebootSuppressed: plan.runcmd,
    excluded: result.result?.excluded ?? [],
    dropped: result.result?.dropped ?? [],
    refused: plan.refused.map((r) => ({ key: filesetKey(r.product, r.fileset), why: r.why })),
    notes: [...plan.notes, ...result.notes],
    standIns: result.standIns,
    ...(result.failure === undefined ? {} : { failure: result.failure }),
    timings: {
      totalMs: Date.now() - parts.startedAt,
      startMs: parts.startMs,
      setupMs: result.timings.setupMs,
      phasesMs: result.timings.phasesMs,
      fetchMs: parts.fetchMs,
    },
  };
  await mkdir(sessionDir, { recursive: true });
  await writeFile(path.join(sessionDir, SESSION_FILE), JSON.stringify(record, null, 2) + '\n');
  return record;
}
