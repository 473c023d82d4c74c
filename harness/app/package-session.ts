/**
 * Drives one SD session through a sandbox that runs it (SessionSandbox):
 * the booted tree laid out, the software that must be there before
 * installed and booted, the clone made once; then the plan's steps in the
 * order `SessionRun` gives them, each script traced on the same clone with
 * SD's environment, each payload step applied to the image, swagent.log
 * written as SD writes it; then the image's SD files kept. A step the
 * sandbox fails on stops the session: that step is `failed` and the rest
 * `skipped`, so the report can never pass it as safe.
 */
import { HarnessError } from '../errors.js';
import type { SessionStepRecord, StandInRecord } from '../contract/session-record.js';
import { PHASES, type Phase } from '../contract/run-metadata.js';
import type { PhaseReply, StandInDaemon, TreeOp, TreeOpResult } from '../contract/session-protocol.js';
import type { TarFile } from '../engine/tar-archive.js';
import { SESSION_IN, type SessionSandbox } from '../sandbox/session-sandbox.js';
import { baselineInstall, type BaselinePackage } from '../sd/baseline-install.js';
import { installChange, removeChange, type FilesetChange } from '../sd/fileset-changes.js';
import { ipdDirectory } from '../sd/ipd-entry.js';
import { configuredOps, controlFileOps, productGoneOp, unregisterOps } from '../sd/ipd-ops.js';
import { filesetKey } from '../sd/package.js';
import type { PayloadBytes } from '../sd/payload-ops.js';
import { controlDirectory, scriptEnvironment, sessionOptions } from '../sd/script-environment.js';
import type { PlanStep, ScriptStep, SessionPlan } from '../sd/session-plan.js';
import { SessionRun, type SessionResult, type StepOutcome } from '../sd/session-run.js';
import { scriptOutput, scriptResult, scriptRunning, sessionBegin, sessionEnd } from '../sd/swagent-log.js';

export const SWAGENT_LOG = '/var/adm/sw/swagent.log';
/** What the session keeps of the inactive image: SD's directory (IPD, logs, saved originals, patch records). */
export const KEPT_PATHS = ['/var/adm/sw'] as const;

export interface TraceSettings {
  readonly timeoutSeconds: number;
  readonly traceSyscalls: readonly string[];
  readonly traceAll: boolean;
  readonly stringLimit: number;
  readonly maxTraceBytes: number;
}

export interface PackageSessionInput {
  readonly plan: SessionPlan;
  readonly bytes: PayloadBytes;
  readonly baseline: readonly BaselinePackage[];
  readonly trace: TraceSettings;
  readonly shared: readonly string[];
  /** booted.tar was sent: lay it over the template. */
  readonly bootedArchive: boolean;
  readonly date: Date;
  /** The node name swagent.log gives the target. */
  readonly host: string;
  readonly log: (line: string) => void;
}

/** A traced phase that ran: where its run directory is and what it ran. */
export interface PhaseRun {
  readonly step: ScriptStep;
  /** Relative to the session directory. */
  readonly runDir: string;
  readonly phase: Phase;
  readonly reply: PhaseReply;
}

export interface PackageSessionResult {
  readonly steps: readonly SessionStepRecord[];
  readonly result?: SessionResult;
  readonly phases: readonly PhaseRun[];
  readonly failure?: string;
  readonly standIns: readonly StandInRecord[];
  readonly notes: readonly string[];
  readonly timings: { readonly setupMs: number; readonly phasesMs: number };
}

/** Changes waiting for the next round trip, with the files they need. */
class PendingChanges {
  #ops: TreeOp[] = [];
  #files: TarFile[] = [];

  constructor(private readonly sandbox: SessionSandbox) {}

  add(ops: readonly TreeOp[], sources: ReadonlyMap<string, Buffer> = new Map()): void {
    this.#ops.push(...ops);
    for (const [name, content] of sources) this.#files.push({ name, content });
  }

  appendLog(lines: readonly string[]): void {
    if (lines.length > 0) this.#ops.push({ op: 'append', path: SWAGENT_LOG, text: lines.join('\n') + '\n' });
  }

  /** Applies what is waiting (to `tree`) and returns one result per op. */
  async flush(tree: 'inactive' | 'booted' = 'inactive'): Promise<readonly TreeOpResult[]> {
    if (this.#ops.length === 0) return [];
    const ops = this.#ops;
    const files = this.#files;
    this.#ops = [];
    this.#files = [];
    await this.sandbox.send(files);
    return (await this.sandbox.apply({ op: 'apply', tree, ops })).results;
  }

  /** Applies a fileset change in its two rounds and returns its follow-up. */
  async change(change: FilesetChange, tree: 'inactive' | 'booted' = 'inactive') {
    await this.flush(tree);
    this.add(change.ops, change.sources);
    const follow = change.after(await this.flush(tree));
    this.add(follow.ops);
    if (tree === 'inactive') this.appendLog(follow.log);
    return follow;
  }
}

const SOURCE_DIR = SESSION_IN;

function stepName(step: PlanStep): string {
  return step.kind === 'script' ? step.tag : step.kind;
}

/** `phases/03-preinstall-ACME.ACME-RUN`. */
function phaseDir(step: PlanStep): string {
  return `phases/${String(step.index).padStart(2, '0')}-${stepName(step)}-${filesetKey(step.product, step.fileset)}`.replace(/[^A-Za-z0-9._/-]/g, '_');
}

export async function runPackageSession(sandbox: SessionSandbox, input: PackageSessionInput): Promise<PackageSessionResult> {
  const { plan, log } = input;
  const pending = new PendingChanges(sandbox);
  const notes: string[] = [];
  const t0 = Date.now();

  // 1. The booted system up, what is installed before the session installed on it as swinstall on / would, then the clone.
  await sandbox.prepare({ op: 'prepare', shared: input.shared, bootedArchive: input.bootedArchive });
  await sandbox.boot();
  // A day before the session: the baseline was installed earlier.
  const before = new Date(input.date.getTime() - 24 * 3600 * 1000);
  const standIns: StandInDaemon[] = [];
  for (const step of baselineInstall(input.baseline, before, SOURCE_DIR)) {
    if (step.kind === 'script') {
      await pending.flush('booted');
      const reply = await sandbox.runBooted({
        op: 'run-booted',
        path: step.path,
        env: step.env,
        label: step.label,
        timeoutSeconds: input.trace.timeoutSeconds,
      });
      if (reply.exitCode !== 0)
        notes.push(
          `installed before the session: ${step.label} ${reply.exitCode === null ? 'did not end in time and was killed' : `exited ${reply.exitCode}`} (baseline.log)`,
        );
    } else if (step.change !== undefined) {
      await pending.change(step.change, 'booted');
    } else {
      pending.add(step.ops, step.sources);
      for (const op of step.ops) if (op.op === 'stand-in') standIns.push({ path: op.path, name: op.name, pidFile: op.pidFile, why: op.why });
    }
  }
  await pending.flush('booted');
  if (input.baseline.length > 0) log(`session: installed before the session: ${input.baseline.map((b) => b.pkg.path).join(', ')}`);
  const cloned = await sandbox.clone();
  notes.push(...cloned.notes);
  const running = new Set(cloned.daemons.filter((d) => d.standIn === true).map((d) => d.name));
  const standInRecords: StandInRecord[] = standIns.map((s) => ({ ...s, running: running.has(s.name) }));

  // 2. The package's control files where SD keeps them, and the agent log's banner.
  plan.package.products.forEach((product, p) => {
    const prefix = `session/${p}`;
    const pf = controlFileOps(product, undefined, SOURCE_DIR, `${prefix}/pfiles`);
    pending.add(pf.ops, pf.sources);
    product.filesets.forEach((fileset, f) => {
      const ff = controlFileOps(product, fileset, SOURCE_DIR, `${prefix}/${f}`);
      pending.add(ff.ops, ff.sources);
    });
  });
  pending.appendLog(sessionBegin(plan.operation, input.date, input.host));
  const setupMs = Date.now() - t0;

  // 3. The steps.
  const t1 = Date.now();
  const run = new SessionRun(plan);
  const phases: PhaseRun[] = [];
  const details = new Map<number, string>();
  // Removed filesets leave the IPD at the session's end: their postremove scripts live there until then.
  const unregister: TreeOp[] = [];
  // Filesets loaded in this session, and those installed before it: the others' control files do not stay in the IPD.
  const loaded = new Set<string>();
  const installedBefore = new Set(input.baseline.flatMap((b) => b.pkg.products.flatMap((p) => p.filesets.map((f) => filesetKey(p, f)))));
  const overrides = new Map<number, Pick<SessionStepRecord, 'outcome' | 'why'>>();
  let failure: string | undefined;
  for (let step = run.next(); step !== undefined; step = run.next()) {
    if (failure !== undefined) {
      overrides.set(step.index, { outcome: 'skipped', why: `the session stopped: ${failure}` });
      run.record(step, 1);
      continue;
    }
    try {
      if (step.kind === 'script') {
        const phase = step.tag as Phase;
        if (!(PHASES as readonly string[]).includes(step.tag)) throw new HarnessError('SANDBOX_FAILED', `drdsafe cannot run a ${step.tag} script`);
        pending.add([{ op: 'text', path: `${controlDirectory(step.product, step.fileset)}session_options`, text: sessionOptions(plan, run.selected()) }]);
        await pending.flush();
        const dir = phaseDir(step);
        log(`session: ${step.id}`);
        const reply = await sandbox.phase({
          op: 'phase',
          dir,
          phase,
          script: `${ipdDirectory(step.product, step.fileset)}/${step.script.path}`,
          env: scriptEnvironment({ plan, step, selected: run.selected() }),
          timeoutSeconds: input.trace.timeoutSeconds,
          traceSyscalls: input.trace.traceSyscalls,
          traceAll: input.trace.traceAll,
          stringLimit: input.trace.stringLimit,
          maxTraceBytes: input.trace.maxTraceBytes,
          untraced: false,
        });
        phases.push({ step, runDir: dir, phase, reply });
        // A script ended by a signal or a limit failed, as SD sees it.
        const exitCode = reply.exitCode ?? 1;
        const outcome = run.record(step, exitCode);
        const location = `${ipdDirectory(step.product, step.fileset)}/${step.script.path}`;
        pending.appendLog([
          ...scriptRunning(step),
          ...scriptOutput(reply.stdout),
          ...scriptOutput(reply.stderr),
          ...scriptResult(step, exitCode, { result: outcome.result ?? 'error', meaning: outcome.why ?? '' }, location),
        ]);
        if (step.group === 'boot' && step.fileset !== undefined && (outcome.result === 'success' || outcome.result === 'warning')) {
          pending.add(configuredOps(step.product, step.fileset));
        }
      } else {
        const ctx = { date: input.date, sourceDir: SOURCE_DIR, sourcePrefix: `steps/${step.index}` };
        const change =
          step.kind === 'load-payload'
            ? installChange(step.product, step.fileset, input.bytes, { date: input.date, source: `localhost:${plan.package.path}`, state: 'installed' }, ctx)
            : removeChange(step.product, step.fileset, ctx);
        log(`session: ${step.id}`);
        const follow = await pending.change(change);
        details.set(step.index, follow.detail);
        if (step.kind === 'remove-payload') unregister.push(...unregisterOps(step.product, step.fileset));
        else loaded.add(filesetKey(step.product, step.fileset));
        run.record(step, 0);
      }
    } catch (error) {
      if (error instanceof HarnessError && error.code === 'ABORTED') throw error;
      failure = `${step.id}: ${error instanceof Error ? error.message : String(error)}`;
      log(`session: ${failure}`);
      overrides.set(step.index, { outcome: 'failed', why: failure });
      run.record(step, 1);
    }
  }
  const phasesMs = Date.now() - t1;

  // 4. The banner's end, and the image's SD files kept.
  const result = run.result();
  if (failure === undefined) {
    pending.add(unregister);
    pending.add(notInstalledOps(plan, installedBefore, loaded));
    pending.appendLog(sessionEnd(plan.operation, new Date()));
    await pending.flush();
  }
  const byIndex = new Map(phases.map((p) => [p.step.index, p]));
  const steps = result.outcomes.map((o) => stepRecord(o, byIndex.get(o.step.index), details.get(o.step.index), overrides.get(o.step.index)));
  return {
    steps,
    ...(failure === undefined ? { result } : {}),
    phases,
    ...(failure === undefined ? {} : { failure }),
    standIns: standInRecords,
    notes,
    timings: { setupMs, phasesMs },
  };
}

/**
 * An install's control files of the filesets it did not install (dropped,
 * excluded, refused, nothing installed): SD keeps no IPD entry for them, so
 * they go, with the product's directory when nothing of it is installed.
 */
function notInstalledOps(plan: SessionPlan, installedBefore: ReadonlySet<string>, loaded: ReadonlySet<string>): TreeOp[] {
  if (plan.operation !== 'install' && plan.operation !== 'upgrade') return [];
  const ops: TreeOp[] = [];
  for (const product of plan.package.products) {
    for (const fileset of product.filesets) {
      const key = filesetKey(product, fileset);
      if (!loaded.has(key) && !installedBefore.has(key)) ops.push({ op: 'remove-tree', path: ipdDirectory(product, fileset) });
    }
    ops.push(productGoneOp(product));
  }
  return ops;
}

function stepRecord(
  o: StepOutcome,
  phase: PhaseRun | undefined,
  detail: string | undefined,
  override: Pick<SessionStepRecord, 'outcome' | 'why'> | undefined,
): SessionStepRecord {
  const { step } = o;
  const ran = override === undefined && o.outcome === 'ran';
  return {
    index: step.index,
    id: step.id,
    kind: step.kind,
    name: stepName(step),
    group: step.group,
    product: step.product.tag,
    ...(step.fileset === undefined ? {} : { fileset: step.fileset.tag }),
    outcome: override?.outcome ?? o.outcome,
    ...((override?.why ?? o.why) === undefined ? {} : { why: override?.why ?? o.why }),
    ...(ran ? { exitCode: phase === undefined ? (o.exitCode ?? null) : phase.reply.exitCode, ...(o.result === undefined ? {} : { result: o.result }) } : {}),
    ...(phase === undefined ? {} : { runDir: phase.runDir, phase: phase.phase }),
    ...(step.kind === 'script' ? { script: `${ipdDirectory(step.product, step.fileset)}/${step.script.path}`, scriptSource: step.script.origin } : {}),
    ...(detail === undefined ? {} : { detail }),
  };
}
