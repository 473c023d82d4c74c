/**
 * Script coverage for one analysed run: parse the control script (once),
 * join its commands with the xtrace markers the model saw, mark the risky
 * ones (the policy's `risky-commands`), say why each risky command that did
 * not run did not, and judge every command line with the policy as a
 * `coverage` event (the built-in `not-exercised` rule is one such rule).
 * What the analysis calls after the trace; nothing here reads the trace.
 */
import type { CoverageEvent, CoverageFacts } from '../model/model-event.js';
import type { ModelSummary } from '../model/model-summary.js';
import type { RunMetadata } from '../contract/run-metadata.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { Finding } from '../policy/finding.js';
import { RiskyCommandMatcher, type RiskyCommand } from '../policy/risky-commands.js';
import type { CoverageRecorder } from '../model/coverage-recorder.js';
import { NotRunExplainer } from './explain-not-run.js';
import { joinCoverage, type CommandStatus, type JoinOptions } from './join-coverage.js';
import { parseScript, ScriptParseError } from './parse-script.js';
import { placeStaleLines } from './place-stale-lines.js';
import type { CoverageLine, ScriptCoverage } from './script-coverage.js';
import { lineCounts, unavailableCoverage } from './script-coverage.js';
import type { ScriptCommand, ScriptOutline } from './script-outline.js';

export interface CoverageInput {
  readonly meta: RunMetadata;
  readonly recorder: CoverageRecorder;
  readonly model: ModelSummary;
  /** The trace ends in the middle of a line (the tracer was stopped). */
  readonly truncated: boolean;
  readonly policy: CompiledPolicy;
  /** The run's call findings, placed on the script's lines where ksh93's marker named a stale one (place-stale-lines.ts). */
  readonly callFindings?: readonly Finding[];
}

export interface CoverageResult {
  readonly coverage: ScriptCoverage;
  /** What the policy's rules on `coverage` events found. */
  readonly findings: readonly Finding[];
  /** `callFindings`, each on the line the parsed script has its command on. */
  readonly placed: readonly Finding[];
}

function unavailable(reason: string, input: CoverageInput): CoverageResult {
  return { coverage: unavailableCoverage(reason), findings: [], placed: input.callFindings ?? [] };
}

/** How the script's shell ended, as far as its buffered xtrace is concerned. */
function ending(input: CoverageInput): JoinOptions['ended'] {
  const { model, meta } = input;
  if (model.scriptPid === undefined) return 'missing';
  const cut = input.truncated || meta.finished === false || typeof meta.limitHit === 'string';
  if (cut || model.scriptSignal !== undefined || model.scriptExitCode === undefined) return 'killed';
  return 'normal';
}

export function analyzeCoverage(input: CoverageInput): CoverageResult {
  const text = input.meta.script?.text;
  if (text === undefined) return unavailable("the run does not hold the control script's text", input);
  let outline: ScriptOutline;
  try {
    outline = parseScript(text);
  } catch (error) {
    if (error instanceof ScriptParseError)
      return unavailable(`the control script does not parse as POSIX sh, ksh or bash: line ${error.line}:${error.col}: ${error.reason}`, input);
    throw error;
  }
  const joined = joinCoverage(outline, input.recorder, { ended: ending(input) });
  const matcher = new RiskyCommandMatcher(input.policy.policy.riskyCommands, input.policy.policy.lists);
  const risk = outline.commands.map((c) =>
    matcher.match({ ...(c.name === undefined ? {} : { name: c.name.text }), args: c.args, redirects: c.redirects.map((r) => r.target) }),
  );
  const explainer = new NotRunExplainer(outline, joined.status, input.recorder);
  const sourceLines = text.split('\n');
  const lines: CoverageLine[] = [];
  for (const [line, commands] of [...outline.byLine].sort(([a], [b]) => a - b)) {
    lines.push(lineOf(line, (sourceLines[line - 1] ?? '').replace(/\r$/, ''), commands, joined.status, risk, explainer, input.recorder));
  }
  const coverage: ScriptCoverage = {
    available: true,
    parser: `mvdan-sh (${outline.dialect})`,
    lines,
    ...lineCounts(lines),
    unattributedMarkers: joined.unattributed,
  };
  const placed = input.meta.script ? placeStaleLines(outline, sourceLines, input.meta.script.jailPath, input.callFindings ?? []) : (input.callFindings ?? []);
  return { coverage, findings: judge(lines, input), placed };
}

function lineOf(
  line: number,
  text: string,
  commands: readonly ScriptCommand[],
  status: readonly CommandStatus[],
  risk: readonly (RiskyCommand | undefined)[],
  explainer: NotRunExplainer,
  recorder: CoverageRecorder,
): CoverageLine {
  const risky = commands.filter((c) => risk[c.index] !== undefined);
  const subject = risky.length > 0 ? risky : commands;
  const states = subject.map((c) => status[c.index] as CommandStatus);
  // A risky line ran when its risky commands did; another line when any command did.
  const notRun = subject.find((c) => status[c.index]?.state === 'not');
  const unknown = subject.find((c) => status[c.index]?.state === 'unknown');
  let ran: CoverageLine['ran'];
  if (risky.length > 0) ran = notRun !== undefined ? false : states.every((s) => s.state === 'ran') ? true : 'unknown';
  else ran = states.some((s) => s.state === 'ran') ? true : states.some((s) => s.state === 'unknown') ? 'unknown' : false;
  const reached = commands.some((c) => status[c.index]?.state === 'ran');
  const first = risky[0] ?? commands[0];
  const entry = risky[0] === undefined ? undefined : risk[risky[0].index];
  const why = ran === false && notRun !== undefined ? explainer.explain(notRun) : undefined;
  const unknownStatus = ran === 'unknown' && unknown !== undefined ? (status[unknown.index] as Extract<CommandStatus, { state: 'unknown' }>) : undefined;
  const seen = recorder.lines.get(line);
  return {
    line,
    text,
    ran,
    risky: risky.length > 0,
    ...(why !== undefined ? { why: why.text } : unknownStatus !== undefined ? { why: unknownStatus.detail } : {}),
    ...(ran !== true && reached ? { reached } : {}),
    ...(entry !== undefined ? { risk: entry.name, ...(entry.reference !== '' ? { reference: entry.reference } : {}) } : {}),
    ...(first !== undefined ? { command: first.source } : {}),
    ...(unknownStatus !== undefined ? { untraced: unknownStatus.why } : {}),
    ...(ran === true && seen !== undefined ? { traceLine: seen.traceLine } : {}),
    ...(why !== undefined && why.traceLines.length > 0 ? { decidedBy: why.traceLines } : {}),
  };
}

/** Every command line as a `coverage` event through the policy's rules for them. */
function judge(lines: readonly CoverageLine[], input: CoverageInput): Finding[] {
  const process = input.model.scriptProcess;
  const script = input.meta.script;
  // Without the script's shell nothing about its lines is decided (every line is `unknown`).
  if (process === undefined || script === undefined) return [];
  const findings: Finding[] = [];
  let seq = 0;
  for (const l of lines) {
    const facts: CoverageFacts = {
      number: l.line,
      text: l.text,
      ...(l.ran === 'unknown' ? {} : { ran: l.ran }),
      ...(l.untraced !== undefined ? { untraced: l.untraced } : {}),
      risky: l.risky,
      ...(l.risk !== undefined ? { risk: l.risk } : {}),
      ...(l.reference !== undefined ? { reference: l.reference } : {}),
      ...(l.command !== undefined ? { command: l.command } : {}),
      ...(l.why !== undefined ? { why: l.why } : {}),
      ...(l.decidedBy !== undefined ? { traceLines: l.decidedBy } : {}),
    };
    const event: CoverageEvent = {
      seq: seq++,
      class: 'coverage',
      process,
      location: { file: script.jailPath, line: l.line, source: l.text },
      ...(script.phase !== undefined ? { phase: script.phase } : {}),
      coverage: facts,
    };
    findings.push(...input.policy.evaluate(event));
  }
  return findings;
}
