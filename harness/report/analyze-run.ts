/**
 * `drdsafe analyze` and the last step of `drdsafe run`: read a run directory
 * (or a bare trace), run the analysis, set the sandbox's ground truth beside
 * the findings, write report.json and print the report. Nothing is executed:
 * re-running with another policy re-judges a stored run.
 */
import { readFile, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from '../cli/command.js';
import { PolicyError, UserError } from '../errors.js';
import type { RunMetadata, TreeLayout } from '../model/run-metadata.js';
import type { ModelGap } from '../model/model-event.js';
import { readPolicy, compilePolicy } from '../policy/index.js';
import { analyzeTrace } from './analyze-trace.js';
import { correlateGroundTruth } from './ground-truth.js';
import type { BootedDiff, DaemonState, GroundTruth } from './ground-truth.js';
import { decideVerdict } from './verdict.js';
import type { FailOn, PhaseRecord, Report } from './report.js';
import { renderText } from './render-text.js';
import { renderSarif } from './render-sarif.js';
import { displayPath } from '../display-path.js';
import { limitFinding } from './limit-finding.js';
import { coverageGaps } from './trace-coverage.js';
import { TOOL_VERSION } from '../version.js';
import { analyzeCoverage } from '../coverage/analyze-coverage.js';

export interface AnalyzeOptions {
  readonly policyFiles?: readonly string[];
  readonly format: 'text' | 'json' | 'sarif';
  readonly failOn?: FailOn;
  /** Tree roots for a bare trace, or overrides for a run directory. */
  readonly booted?: string;
  readonly inactive?: string;
  /** Shared file systems as jail paths (`/var/opt/shared`). */
  readonly shared?: readonly string[];
  /** Where report.json goes. Default: `report.json` in the run directory, `<trace>.report.json` beside a bare trace. */
  readonly reportPath?: string;
  /** Harness time before analysis started (for `run`), added to the phase record. */
  readonly startedAt?: number;
}

interface SandboxResult {
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly finished?: boolean;
  readonly limitHit?: string | null;
  readonly phaseWallMs?: number;
  readonly daemons?: readonly DaemonState[];
  readonly leftovers?: readonly { readonly pid: number; readonly argv?: readonly string[] }[];
  readonly strace?: { readonly argv?: readonly string[]; readonly messages?: readonly string[] };
}

/**
 * strace says nothing on its stderr when its tracing went well; whatever it
 * said (a process it could not follow, a ptrace call that failed) is a
 * reason not to trust the trace alone.
 */
function tracerGaps(result: SandboxResult | undefined): ModelGap[] {
  return (result?.strace?.messages ?? []).map((m) => ({ kind: 'tracer-message', message: `strace said: ${m}` }));
}

async function readJson<T>(file: string, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UserError('INPUT_INVALID', `${what} is not valid JSON: ${file}`, {
      cause: error,
      hint: 'the run directory is damaged; run the script again',
    });
  }
}

function layoutFrom(base: TreeLayout | undefined, options: AnalyzeOptions): TreeLayout | undefined {
  const booted = options.booted ?? base?.booted;
  const inactive = options.inactive ?? base?.inactive;
  if (booted === undefined || inactive === undefined) return undefined;
  const shared = options.shared
    ? options.shared.map((p) => ({ jailPath: p, inactivePath: path.posix.join(inactive, p), bootedPath: path.posix.join(booted, p) }))
    : (base?.shared ?? []);
  return { booted, inactive, shared, sandbox: base?.sandbox ?? [] };
}

/** How a trace read from standard input is named in findings and report.json. */
const STDIN_LABEL = '<stdin>';

export async function analyzeRunDir(input: string, options: AnalyzeOptions, io: CliIo): Promise<number> {
  const started = Date.now();
  // `-`: the trace comes on standard input (`strace -f -o '|drdsafe analyze - ...' ...`), read as it arrives.
  const fromStdin = input === '-';
  const target = fromStdin ? STDIN_LABEL : path.resolve(io.cwd, input);
  const info = fromStdin ? undefined : await stat(target).catch(() => undefined);
  if (fromStdin && options.reportPath === undefined) {
    throw new UserError('USAGE', 'a trace read from standard input needs --report FILE', {
      hint: 'say where report.json goes with --report FILE (standard input has no folder to put it in)',
    });
  }
  const stdin = fromStdin ? io.stdin?.() : undefined;
  if (fromStdin && stdin === undefined) throw new UserError('USAGE', 'this caller gives drdsafe no standard input to read a trace from');
  if (!fromStdin && !info) {
    throw new UserError('INPUT_NOT_FOUND', `no such trace file or run directory: ${input}`, {
      hint: 'give a trace file written by strace, or a run directory made by `drdsafe run`',
    });
  }
  const runDir = info?.isDirectory() ? target : undefined;
  const tracePath = runDir ? path.join(runDir, 'trace.txt') : target;
  const traceInfo = fromStdin ? undefined : await stat(tracePath).catch(() => undefined);
  // A named pipe is read as a stream too (a regular read of it is one).
  const streamed = fromStdin || (runDir === undefined && traceInfo?.isFIFO() === true);
  if (!streamed && !traceInfo?.isFile()) {
    throw new UserError('INPUT_NOT_FOUND', `the run directory has no trace.txt: ${input}`, {
      hint: 'the run did not get as far as tracing; run the script again',
    });
  }
  const stored = runDir ? await readJson<RunMetadata>(path.join(runDir, 'run.json'), 'run.json') : undefined;
  const trees = layoutFrom(stored?.trees, options);
  if (!trees) {
    throw new UserError('USAGE', `no tree layout for ${input}`, {
      hint: 'a bare trace needs --booted DIR and --inactive DIR (the real paths of the two trees as strace saw them); or give a run directory made by `drdsafe run`',
    });
  }
  const meta: RunMetadata = { schemaVersion: 1, daemons: [], ...stored, trees };

  const policyFiles = options.policyFiles ?? [];
  const loaded = await readPolicy(policyFiles, { cwd: io.cwd });
  if (!loaded.ok) throw new PolicyError(loaded.problems);
  for (const w of loaded.warnings) {
    io.stderr.write(`policy warning: ${w.file}${w.line ? `:${w.line}:${w.col ?? 1}` : ''}: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
  }
  const policy = compilePolicy(loaded.policy);
  const analysis = await analyzeTrace(tracePath, meta, policy, { signal: io.signal, ...(stdin ? { input: stdin } : {}) });

  const result = runDir ? await readJson<SandboxResult>(path.join(runDir, 'result.json'), 'result.json') : undefined;
  const limitHit = result?.limitHit ?? meta.limitHit;
  const findings = [...analysis.findings];
  // Script coverage: which command lines ran; the policy's rules on them (not-exercised) add their findings.
  const covered = analyzeCoverage({ meta, recorder: analysis.coverage, model: analysis.model, truncated: analysis.parse.truncatedTail, policy });
  findings.push(...covered.findings);
  if (typeof limitHit === 'string') {
    findings.push(
      await limitFinding(limitHit, tracePath, analysis.parse.lines, {
        ...(analysis.model.scriptPid !== undefined ? { pid: analysis.model.scriptPid } : {}),
        argv: ['/sbin/sh', '-x', meta.script?.jailPath ?? '?'],
        ...(meta.script ? { phase: meta.script.phase } : {}),
      }),
    );
  }
  let groundTruth: GroundTruth | undefined;
  if (runDir) {
    const diff = await readJson<BootedDiff>(path.join(runDir, 'booted-diff.json'), 'booted-diff.json');
    const witnessText = await readFile(path.join(runDir, 'witness.jsonl'), 'utf8').catch(() => undefined);
    if (diff && witnessText !== undefined) {
      groundTruth = correlateGroundTruth(findings, {
        witnessText,
        bootedDiff: diff,
        daemons: result?.daemons ?? meta.daemons.map((d) => ({ name: d.name, pid: d.pid, ...(d.nsPid !== undefined ? { nsPid: d.nsPid } : {}) })),
        bootedRoot: trees.booted,
        sharedMounts: trees.shared,
        ...(result?.leftovers ? { leftovers: result.leftovers } : {}),
      });
    }
  }
  const gaps = [...analysis.gaps, ...tracerGaps(result), ...coverageGaps(result?.strace?.argv, loaded.policy)];
  const summary = decideVerdict({
    findings,
    gaps,
    parseIssueCount: analysis.parse.issues,
    ...(groundTruth ? { groundTruth } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  const phase: PhaseRecord = {
    ...(meta.script ? { phase: meta.script.phase, script: meta.script.jailPath } : {}),
    ...(meta.script?.sourcePath ? { scriptSource: meta.script.sourcePath } : {}),
    ...(result ? { exitCode: result.exitCode ?? null, signal: result.signal ?? null, limitHit: result.limitHit ?? null } : {}),
    ...(result?.phaseWallMs !== undefined ? { wallMs: result.phaseWallMs } : {}),
    ...(meta.finished !== undefined ? { finished: meta.finished } : {}),
    ...(options.startedAt !== undefined && result?.phaseWallMs !== undefined
      ? { overheadMs: Date.now() - options.startedAt - result.phaseWallMs }
      : {}),
  };
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'drdsafe', version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    inputs: {
      trace: tracePath,
      traceBytes: streamed ? analysis.parse.bytes : (traceInfo?.size ?? 0),
      ...(runDir ? { runDir } : {}),
      trees: { booted: trees.booted, inactive: trees.inactive, shared: trees.shared.map((s) => s.jailPath) },
    },
    policy: { files: policyFiles.map((f) => path.resolve(io.cwd, f)), hash: policy.policyHash, ...policy.identity },
    phases: [phase],
    findings,
    gaps,
    parse: {
      lines: analysis.parse.lines,
      events: analysis.parse.events,
      skipped: analysis.parse.skipped,
      issues: analysis.issues,
      issueCount: analysis.parse.issues,
      unresumed: analysis.parse.unresumed,
      truncatedTail: analysis.parse.truncatedTail,
    },
    ...(groundTruth ? { groundTruth } : {}),
    coverage: covered.coverage,
    summary,
    timing: { analyzeMs: Date.now() - started },
  };
  const reportPath = options.reportPath
    ? path.resolve(io.cwd, options.reportPath)
    : runDir
      ? path.join(runDir, 'report.json')
      : `${tracePath}.report.json`;
  // Write then rename, so an interrupted write never leaves half a report.
  await writeFile(`${reportPath}.tmp`, JSON.stringify(report, null, 2) + '\n');
  await rename(`${reportPath}.tmp`, reportPath);
  io.stdout.write(
    options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : options.format === 'sarif' ? renderSarif(report, policy.rules, io.cwd) : renderText(report),
  );
  if (options.format === 'text') io.stderr.write(`report: ${displayPath(io.cwd, reportPath)}\n`);
  return summary.exitCode;
}
