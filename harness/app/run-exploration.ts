/**
 * `drdsafe run` with branch exploration and the DRD-guard proof, all in one
 * sandbox container (the image checked and the container started once; each
 * run gets a fresh booted system, daemons and clone from run-phase):
 * 1. the first run, judged: the probes it lost (harness/explore/list-probes.ts);
 * 2. the comparison run (`--compare`): the script on the booted system with
 *    SW_SESSION_IS_DRD unset, as outside DRD, into `compare/`;
 * 3. the variants, in the planner's order (harness/explore/plan-variants.ts),
 *    each with its changes made to the booted system before the clone, into
 *    `variants/<id>/`; what a variant's run newly probes plans one more;
 * then exploration.json and the merged report (app/analyze-exploration.ts).
 * `--timeout` bounds the whole: the first run may use all of it, every
 * further run gets what is left (less what a run costs around its script),
 * and what could not run for lack of time is said in the report.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExplorationRecord, ProbeRecord, VariantRecord } from '../contract/exploration-record.js';
import { runFile } from '../contract/read-run-dir.js';
import type { RunRequest } from '../contract/run-request.js';
import type { ScriptSource } from '../contract/run-result.js';
import { parseScript } from '../coverage/parse-script.js';
import type { ScriptOutline } from '../coverage/script-outline.js';
import { HarnessError } from '../errors.js';
import { configVariables } from '../explore/config-variables.js';
import { listProbes } from '../explore/list-probes.js';
import { comparisonDir, variantDir } from '../explore/merge-exploration.js';
import { VariantPlanner } from '../explore/plan-variants.js';
import type { VariantChanges } from '../explore/variant-changes.js';
import type { ContainerClient } from '../engine/container-client.js';
import type { Session } from '../engine/labels.js';
import type { SandboxImage } from '../image/ensure-sandbox-image.js';
import type { FailOn } from '../report/report.js';
import type { ReportFormat } from '../report/write-report.js';
import { SETUP_ALLOWANCE_MS, startSandboxSession } from '../sandbox/sandbox-session.js';
import type { PhaseOutcome, SandboxSession } from '../sandbox/sandbox-session.js';
import { analyzeExploration } from './analyze-exploration.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeOutcome } from './analyze-run.js';
import { judgeResolved, loadAnalysisPolicy, type AnalysisPolicy, type JudgedRun } from './judge-and-write.js';
import type { CliIo } from './io.js';

/** A further run starts only with at least this much of its own time left for the script. */
const MIN_SCRIPT_MS = 2000;

export interface ExplorationPlanOptions {
  /** The bound on variants; 0 runs none (the comparison run alone, when asked). */
  readonly explore: number;
  readonly compare: boolean;
}

export interface RunExplorationInput {
  readonly client: ContainerClient;
  readonly session: Session;
  readonly image: SandboxImage;
  readonly imageMs: number;
  readonly runId: string;
  /** The top run directory: the first run's. */
  readonly runDir: string;
  /** The first run's request; every further run is a copy with its own changes and time. */
  readonly request: RunRequest;
  readonly script: ScriptSource;
  readonly payload?: readonly string[];
  readonly bootedDir?: string;
  readonly keep?: boolean;
  readonly policyFiles: readonly string[];
  readonly format: ReportFormat;
  readonly failOn?: FailOn;
  readonly plan: ExplorationPlanOptions;
  readonly io: CliIo;
  readonly log: (line: string) => void;
  readonly startedAt: number;
}

export interface ExplorationOutcome {
  readonly first: PhaseOutcome;
  readonly analysis: AnalyzeOutcome;
}

export async function runExploration(input: RunExplorationInput): Promise<ExplorationOutcome> {
  const { io, log, request, plan } = input;
  const policy = await loadAnalysisPolicy(input.policyFiles, io);
  const budgetMs = request.timeoutSeconds * 1000;
  const started = Date.now();
  const deadline = started + budgetMs;
  const runs = 1 + plan.explore + (plan.compare ? 1 : 0);
  await using sandbox = await startSandboxSession(input.client, {
    image: input.image.ref,
    runId: input.runId,
    session: input.session,
    signal: io.signal,
    expiresAt: deadline + runs * SETUP_ALLOWANCE_MS + 60_000,
    ...(input.keep ? { keep: true } : {}),
    log,
  });
  const judged = new Map<string, JudgedRun>();
  const runner = new Runner(sandbox, input, policy, judged);

  // 1. The first run, whose probes plan the rest.
  const first = await runner.run(input.runDir, request, []);
  const base = judged.get(input.runDir) as JudgedRun;
  const perRunMs = Math.max(0, Date.now() - started - first.result.phaseWallMs);
  const left = (): number => deadline - Date.now() - perRunMs;
  const outline = outlineOf(input.script.text);
  const planner = new VariantPlanner(plan.explore, {
    bootedDaemons: first.result.daemons.map((d) => d.name),
    variables: configVariables(outline),
  });
  planner.learn(probesOf(base, input.script.text, 0));

  const outOfTime = `the exploration's time (--timeout ${request.timeoutSeconds} s) ran out`;
  const outsideProbes: ProbeRecord[] = [];
  let stopped: string | undefined;
  // 2. The comparison run outside DRD.
  let comparison: ExplorationRecord['comparison'];
  if (plan.compare) {
    const dir = comparisonDir(input.runDir);
    if (left() < MIN_SCRIPT_MS) {
      comparison = { dir: 'compare', ran: false, error: outOfTime };
      stopped = outOfTime;
    } else {
      // On the system with the product installed (every probe true) when there were probes: a guarded line is most often behind one.
      let installed = plan.explore > 0 ? planner.everything() : undefined;
      let error = await runner.outsideDrd(dir, installed, left());
      // A guard that comes first (`[ "$SW_SESSION_IS_DRD" != 1 ] && [ -f $PID ]`) hides its probes from every run under DRD:
      // what the comparison run meets there, it runs once more with made true.
      const met = plan.explore > 0 && error === undefined ? planner.unknown(probesOf(judged.get(dir), input.script.text, OUTSIDE_DRD_RUN)) : [];
      if (met.length > 0 && left() >= MIN_SCRIPT_MS) {
        outsideProbes.push(...met);
        installed = planner.everything(met);
        log('explore: the comparison run again, with what it met outside DRD made true');
        error = await runner.outsideDrd(dir, installed, left());
      }
      comparison = {
        dir: 'compare',
        ran: error === undefined,
        ...(error !== undefined ? { error } : {}),
        ...(installed !== undefined ? { changes: installed.changes } : {}),
      };
    }
  }
  // 3. The variants.
  const variants: VariantRecord[] = [];
  while (planner.pending) {
    // Not run for lack of time: the subjects of what is left are listed as not explored, with why.
    if (left() < MIN_SCRIPT_MS) {
      stopped = outOfTime;
      break;
    }
    const v = planner.next();
    if (v === undefined) break;
    const record = { id: v.id, dir: `variants/${v.id}`, subjects: v.subjects, changes: v.changes };
    const dir = variantDir(input.runDir, v.id);
    log(`explore: variant ${v.id}: ${v.changes.map((c) => c.condition).join(' and ')}`);
    const error = await runner.attempt(dir, { ...request, variant: v.booted, timeoutSeconds: seconds(left()) }, v.standins);
    variants.push({ ...record, ran: error === undefined, ...(error !== undefined ? { error } : {}) });
    planner.learn(probesOf(judged.get(dir), input.script.text, v.id));
  }
  const notExplored = planner.notExplored(stopped);
  const record: ExplorationRecord = {
    schemaVersion: 1,
    explore: plan.explore,
    compare: plan.compare,
    timeoutSeconds: request.timeoutSeconds,
    probes: [...planner.known, ...outsideProbes],
    variants,
    notExplored,
    ...(comparison !== undefined ? { comparison } : {}),
    ...(stopped !== undefined ? { stopped } : {}),
  };
  await writeFile(runFile(input.runDir, 'exploration'), JSON.stringify(record, null, 2) + '\n');
  const top = await resolveAnalyzeInput(input.runDir, {}, io);
  const analysis = await analyzeExploration({
    top,
    record,
    policy,
    options: { format: input.format, ...(input.failOn ? { failOn: input.failOn } : {}) },
    io,
    judged,
  });
  return { first, analysis };
}

/** `ProbeRecord.run` of a probe the comparison run met outside DRD. */
const OUTSIDE_DRD_RUN = -1;

function probesOf(run: JudgedRun | undefined, scriptText: string, id: number): ProbeRecord[] {
  if (run === undefined) return [];
  // What the policy says exists nowhere is no product's program: a program whose exec missed
  // (ENOENT) that no gap rule's finding says exists where the script really runs.
  const gapRules = new Set(run.judgement.gaps.flatMap((g) => (g.kind === 'rule' && g.rule !== undefined ? [g.rule] : [])));
  const missed = (gap: boolean): string[] =>
    run.report.findings.flatMap((f) =>
      gapRules.has(f.rule) === gap && f.detail.exec !== undefined && f.detail.errno === 'ENOENT' && !f.detail.ok ? [f.detail.exec.path] : [],
    );
  const elsewhere = new Set(missed(true));
  const nowhere = new Set(missed(false).filter((path) => !elsewhere.has(path)));
  return listProbes({ recorder: run.judgement.analysis.coverage, scriptText, run: id, nowhere });
}

/** Whole seconds a run may take, at least one. */
function seconds(ms: number): number {
  return Math.max(1, Math.floor(ms / 1000));
}

function outlineOf(text: string): ScriptOutline | undefined {
  try {
    return parseScript(text);
  } catch {
    // A script that does not parse tests no variable coverage can name: its config files set none.
    return undefined;
  }
}

/** Runs in the session, each judged as it ends (report.json in its directory). */
class Runner {
  constructor(
    private readonly sandbox: SandboxSession,
    private readonly input: RunExplorationInput,
    private readonly policy: AnalysisPolicy,
    private readonly judged: Map<string, JudgedRun>,
  ) {}

  async run(dir: string, request: RunRequest, standins: readonly string[]): Promise<PhaseOutcome> {
    const { input } = this;
    await mkdir(dir, { recursive: true });
    const outcome = await this.sandbox.runPhase({
      runDir: dir,
      request,
      script: input.script,
      ...(input.payload ? { payload: input.payload } : {}),
      ...(standins.length > 0 ? { standins } : {}),
      ...(input.bootedDir ? { bootedDir: input.bootedDir } : {}),
      startedAt: dir === input.runDir ? input.startedAt : Date.now(),
      imageMs: dir === input.runDir ? input.imageMs : 0,
    });
    const resolved = await resolveAnalyzeInput(dir, {}, input.io);
    const judged = await judgeResolved(
      resolved,
      this.policy,
      { ...(input.failOn ? { failOn: input.failOn } : {}), ...(dir === input.runDir ? { startedAt: input.startedAt } : {}) },
      input.io,
    );
    this.judged.set(path.resolve(dir), judged);
    return outcome;
  }

  /** The comparison run outside DRD, on the system with `changes` made (fresh: an earlier one's files go). */
  async outsideDrd(dir: string, changes: VariantChanges | undefined, leftMs: number): Promise<string | undefined> {
    await rm(dir, { recursive: true, force: true });
    const request: RunRequest = {
      ...this.input.request,
      outsideDrd: true,
      timeoutSeconds: seconds(leftMs),
      ...(changes !== undefined ? { variant: changes.booted } : {}),
    };
    return this.attempt(dir, request, changes?.standins ?? []);
  }

  /** A further run: its failure is the report's to say (undefined: it ran), unless the user cancelled. */
  async attempt(dir: string, request: RunRequest, standins: readonly string[]): Promise<string | undefined> {
    try {
      await this.run(dir, request, standins);
      return undefined;
    } catch (error) {
      if (error instanceof HarnessError && error.code === 'ABORTED') throw error;
      const message = (error as Error).message;
      this.input.log(`explore: ${path.basename(dir)} failed: ${message}`);
      return message;
    }
  }
}
