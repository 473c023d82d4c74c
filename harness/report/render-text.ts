/**
 * The readable report for the terminal. Every finding shows what a reviewer
 * needs to check it without opening the JSON: rule and severity, the seed
 * section, the script line, the process and its ancestry, the target, the
 * trace line and the syscall text, whether the witness confirmed it, its
 * fingerprint (what a waiver names) and the waiver that accepted it.
 */
import type { Report, ReportFinding } from './report.js';
import type { CallEvidence, CoverageFinding, Finding } from '../policy/finding.js';
import { sessionCoverageLines, sessionHeadLines } from './render-session.js';
import { coverageSummaryLines } from '../coverage/render-coverage.js';
import { comparisonLines, explorationLines, runDirShown } from './render-exploration.js';
import { parseLine } from '../trace/parse-line.js';

const MAX_RAW = 300;
const MAX_SHOWN_PER_RULE = 20;

function clip(text: string, max = MAX_RAW): string {
  const one = text.replace(/\n/g, ' \u23ce ');
  return one.length > max ? `${one.slice(0, max)}...` : one;
}

/** The bytes of hex dump lines (` | 00000  2b 64 ...`) as a quoted string, or undefined when `raw` is not all dump lines. */
function dumpText(raw: string): string | undefined {
  if (!raw.startsWith(' | ')) return undefined;
  let data = '';
  for (const line of raw.split('\n')) {
    const r = parseLine(line);
    if (r.kind !== 'dump') return undefined;
    data += r.data;
  }
  return JSON.stringify(data);
}

function argvText(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** `12`, or `12-14` for a call merged from an unfinished/resumed pair. */
function lineRef(e: CallEvidence): string {
  return e.endLine ? `${e.line}-${e.endLine}` : `${e.line}`;
}

/** A finding on a script line that did not run: the line, why, and the trace lines of what decided it. */
function renderCoverageFinding(f: CoverageFinding & Pick<ReportFinding, 'step'>, traceName: string): string[] {
  const c = f.coverage;
  const lines = [...headLines(f)];
  lines.push(`    script    ${f.location?.file ?? 'script'}:${c.line}: ${c.text.trim()}`);
  if (c.risk !== undefined) lines.push(`    risky     ${c.command ?? ''} (risky-commands: ${c.risk})`.replace('     (', ' ('));
  if (c.why !== undefined) lines.push(`    why       ${c.why}`);
  if (c.traceLines.length > 0) lines.push(`    trace     ${c.traceLines.map((l) => `${traceName}:${l}`).join(', ')} (the xtrace that decided it)`);
  lines.push("    evidence  the control script's xtrace: this line never ran in the sandbox, so nothing it would do was seen");
  return [...lines, ...fingerprintLine(f)];
}

/** A finding's first lines: severity (and whether a waiver accepted it), rule, message; the waiver's who, why and until when. */
function headLines(f: Finding & Pick<ReportFinding, 'step'>): string[] {
  const lines = [
    `[${f.severity.toUpperCase()}${f.waived ? ', WAIVED' : ''}] ${f.rule}: ${f.message}`,
    ...phaseLine(f),
    `    rule      ${f.title} (${f.reference})`,
  ];
  const w = f.waived;
  if (w) lines.push(`    waived    until ${w.expires}, owner ${w.owner} (${w.file}${w.line === undefined ? '' : `:${w.line}`}): ${w.reason}`);
  return lines;
}

/** What a waiver names (docs/waivers.md): copy it from here. */
function fingerprintLine(f: Finding): string[] {
  return f.fingerprint ? [`    fingerprint ${f.fingerprint}`] : [];
}

/** In a session: the step a finding comes from. */
function phaseLine(f: Pick<ReportFinding, 'step'>): string[] {
  if (f.step === undefined) return [];
  return [`    phase     ${f.step.name} of ${f.step.fileset === undefined ? f.step.product : `${f.step.product}.${f.step.fileset}`}`];
}

function renderFinding(f: ReportFinding, index: number, report: Report, traceName: string): string[] {
  if (f.event === undefined) return renderCoverageFinding(f, traceName);
  const lines = headLines(f);
  if (f.location) {
    const src = f.location.source !== undefined ? `: ${f.location.source.trim()}` : '';
    lines.push(`    script    ${f.location.file}:${f.location.line}${src}`);
    if (f.location.expanded && f.location.expanded.trim() !== f.location.source?.trim()) {
      lines.push(`    ran as    ${clip(f.location.expanded.trim(), 200)}`);
    }
    if (f.location.caveat !== undefined) lines.push(`    caveat    ${f.location.caveat}`);
  }
  lines.push(`    process   pid ${f.process.pid} ${argvText(f.process.argv) || '(argv unknown)'}`);
  if (f.process.ancestry.length > 1) {
    const chain = f.process.ancestry.slice(1).map((pid, i) => `${pid} ${(f.process.ancestryArgv[i + 1] ?? []).slice(0, 3).join(' ')}`.trim());
    lines.push(`    under     ${chain.join(' <- ')}`);
  }
  if (f.target) lines.push(`    target    ${f.target}`);
  if (f.variant !== undefined) lines.push(`    variant   ${f.variant.when} (run ${runDirShown(report, f.variant.runDir)})`);
  const dumped = dumpText(f.event.raw);
  lines.push(`    trace     ${traceName}:${lineRef(f.event)}: ${dumped === undefined ? clip(f.event.raw) : `hex dump of the data: ${clip(dumped)}`}`);
  // Rules judge attempts too (the jail refuses what a root script on HP-UX would be let do): say so.
  if (f.event.unfinished === true) lines.push('    result    unknown: the call entered the kernel and never returned in the trace');
  else if (!f.event.ok) lines.push(`    result    the call failed${f.event.errno === undefined ? '' : ` (${f.event.errno})`}`);
  for (const u of f.followUps ?? []) {
    lines.push(
      `    then      ${u.signal ?? u.syscall}${u.ok ? '' : ` (failed${u.errno === undefined ? '' : `: ${u.errno}`})`}, ${traceName}:${lineRef(u)}: ${clip(u.raw)}`,
    );
  }
  const confirmation = report.groundTruth?.confirmations.find((c) => c.finding === index);
  if (confirmation) lines.push(`    confirmed ${confirmation.evidence}`);
  return [...lines, ...fingerprintLine(f)];
}

export function renderText(report: Report): string {
  const out: string[] = [];
  const traceName = report.inputs.runDir ? 'trace.txt' : report.inputs.trace;
  out.push(...sessionHeadLines(report));
  for (const p of report.session === undefined ? report.phases : []) {
    const bits = [
      p.phase ? `phase ${p.phase}` : undefined,
      p.script ? `script ${p.scriptSource ?? p.script}` : undefined,
      p.exitCode !== undefined && p.exitCode !== null ? `exit ${p.exitCode}` : undefined,
      p.signal ? `killed by ${p.signal}` : undefined,
      p.limitHit ? `limit hit: ${p.limitHit}` : undefined,
      p.wallMs !== undefined ? `${p.wallMs.toFixed(0)} ms traced` : undefined,
    ].filter(Boolean);
    if (bits.length) out.push(bits.join(', '));
  }
  const shownPerRule = new Map<string, number>();
  report.findings.forEach((f, i) => {
    const n = (shownPerRule.get(f.rule) ?? 0) + 1;
    shownPerRule.set(f.rule, n);
    if (n > MAX_SHOWN_PER_RULE) return;
    // A variant's evidence is in its own trace; a session phase's in its phase's.
    const trace =
      f.variant !== undefined ? `${runDirShown(report, f.variant.runDir)}/trace.txt` : f.step?.runDir === undefined ? traceName : `${f.step.runDir}/trace.txt`;
    out.push('', ...renderFinding(f, i, report, trace));
  });
  for (const [rule, n] of shownPerRule) {
    if (n > MAX_SHOWN_PER_RULE) out.push('', `(${n - MAX_SHOWN_PER_RULE} more ${rule} findings in report.json)`);
  }
  if (report.parse.issueCount > 0) {
    out.push('', `Unreadable trace lines: ${report.parse.issueCount}`);
    for (const issue of report.parse.issues.slice(0, 10)) {
      out.push(`    ${issue.file ?? traceName}:${issue.line}: ${issue.message}: ${clip(issue.raw, 120)}`);
    }
  }
  const otherGaps = report.gaps.filter((g) => g.kind !== 'parse-error');
  if (otherGaps.length > 0) {
    out.push('', 'Gaps in what the trace shows:');
    for (const g of otherGaps.slice(0, 10)) {
      const trace = g.step?.runDir === undefined ? traceName : `${g.step.runDir}/trace.txt`;
      out.push(`    ${g.line !== undefined ? `${trace}:${g.line}: ` : ''}${g.message}`);
    }
    if (otherGaps.length > 10) out.push(`    (${otherGaps.length - 10} more in report.json)`);
  }
  const gt = report.groundTruth;
  if (gt) {
    const died = gt.daemons.filter((d) => d.aliveBefore !== false && d.aliveAfter === false).map((d) => d.name);
    const changes = gt.bootedDiff.added.length + gt.bootedDiff.modified.length + gt.bootedDiff.deleted.length;
    out.push(
      '',
      `Booted system: ${changes === 0 ? 'tree unchanged' : `${changes} path(s) changed`}, ${
        died.length === 0 ? 'every daemon alive' : `stopped: ${died.join(', ')}`
      }, ${gt.witness.length} event(s) witnessed (signals, requests, IPC objects removed)`,
    );
    for (const u of gt.unexplained) out.push(`    UNEXPLAINED ${u.detail}`);
  }
  const waivers = report.waivers;
  if (waivers) {
    out.push('', `Waivers (${waivers.file}): ${waivers.applied.length} applied, ${waivers.stale.length} stale`);
    for (const w of waivers.stale)
      out.push(`    STALE ${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.rule} ${w.fingerprint} (owner ${w.owner}) matched no finding`);
  }
  const s = report.summary;
  const counts = `${s.counts.error} error, ${s.counts.warning} warning, ${s.counts.info} info${s.waived ? `, ${s.waived} waived` : ''}`;
  if (report.coverage !== undefined) out.push('', ...coverageSummaryLines(report.coverage));
  const explored = explorationLines(report);
  if (explored.length > 0) out.push('', ...explored);
  const compared = comparisonLines(report);
  if (compared.length > 0) out.push('', ...compared);
  const perPhase = sessionCoverageLines(report);
  if (perPhase.length > 0) out.push('', ...perPhase);
  out.push('', `Verdict: ${s.verdict.toUpperCase()} (${counts})`);
  for (const r of s.reasons) out.push(`    ${r}`);
  return out.join('\n').replace(/^\n+/, '') + '\n';
}
