/**
 * The report as JUnit XML, which every CI system shows as test results: one
 * testsuite per run, one testcase per phase. A phase whose findings reach
 * the fail-on threshold fails, its failure naming each such finding with its
 * script:line and the evidence beneath; an indeterminate verdict is an
 * error, never a pass; the other findings go to system-out. Built with
 * junit-report-builder (the Jenkins-compatible layout most readers expect).
 */
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { Finding, Severity } from '../policy/finding.js';
import type { PhaseRecord, Report } from './report.js';

// Loaded on first use: the package takes about 0.15 CPU-s to load, which every run and
// analysis importing the report stage would pay for a format most of them never write.
// Its types describe `exports.default`; at run time its CommonJS module.exports is the builder itself.
let root: Builder | undefined;
function junitBuilder(): Builder {
  if (root === undefined) {
    const junit = createRequire(import.meta.url)('junit-report-builder') as { default?: Builder };
    root = (junit.default ?? junit) as Builder;
  }
  return root;
}

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/**
 * Text XML 1.0 can hold: characters it forbids (a script may print any
 * byte) become `\xNN`, and `]]>`, which would end the CDATA section the
 * builder writes, gets a space.
 */
export function xmlSafe(text: string): string {
  return text
    .replace(
      /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    )
    .replaceAll(']]>', ']] >');
}

/** `script:line`, naming the control script as the user gave it (its path in the jail means little to CI). */
function where(f: Finding, phase: PhaseRecord): string {
  if (f.location === undefined) return `trace line ${f.event?.line ?? '?'}`;
  const file = f.location.file === phase.script && phase.scriptSource !== undefined ? phase.scriptSource : f.location.file;
  return `${file}:${f.location.line}`;
}

/** One finding as the failure body shows it: what, where, the evidence. */
function findingText(f: Finding, phase: PhaseRecord, report: Report, index: number): string {
  const lines = [`[${f.severity.toUpperCase()}${f.waived ? ', WAIVED' : ''}] ${f.rule}: ${f.message}`, `    rule      ${f.title} (${f.reference})`];
  const w = f.waived;
  if (w) lines.push(`    waived    until ${w.expires}, owner ${w.owner} (${w.file}${w.line === undefined ? '' : `:${w.line}`}): ${w.reason}`);
  lines.push(`    script    ${where(f, phase)}${f.location?.source !== undefined ? `: ${f.location.source.trim()}` : ''}`);
  if (f.location?.expanded !== undefined) lines.push(`    ran as    ${f.location.expanded.trim()}`);
  lines.push(`    process   pid ${f.process.pid} ${f.process.argv.join(' ')}`);
  if (f.target !== undefined) lines.push(`    target    ${f.target}`);
  if (f.event !== undefined)
    lines.push(`    trace     ${report.inputs.runDir !== undefined ? 'trace.txt' : report.inputs.trace}:${f.event.line}: ${f.event.raw}`);
  const confirmed = report.groundTruth?.confirmations.find((c) => c.finding === index);
  if (confirmed !== undefined) lines.push(`    confirmed ${confirmed.evidence}`);
  if (f.fingerprint !== undefined) lines.push(`    fingerprint ${f.fingerprint}`);
  return lines.join('\n');
}

/** Whether a finding of this phase: its own phase, or the report's only phase. */
function ofPhase(f: Finding, phase: PhaseRecord, only: boolean): boolean {
  return only || f.phase === phase.phase;
}

function addRun(builder: Builder, report: Report, name: string): void {
  const suite = builder.testSuite().name(xmlSafe(name));
  suite
    .property('verdict', report.summary.verdict)
    .property('exitCode', String(report.summary.exitCode))
    .property('failOn', report.summary.failOn)
    .property('policyHash', report.policy.hash);
  if (report.inputs.runDir !== undefined) suite.property('runDir', xmlSafe(report.inputs.runDir));
  suite.timestamp(report.generatedAt);
  const threshold = report.summary.failOn === 'never' ? Infinity : RANK[report.summary.failOn];
  const phases: readonly PhaseRecord[] = report.phases.length > 0 ? report.phases : [{}];
  const indexed = report.findings.map((f, i) => [f, i] as const);
  for (const phase of phases) {
    const mine = indexed.filter(([f]) => ofPhase(f, phase, phases.length === 1));
    // A waived finding does not count toward the verdict: it is shown, never failed on.
    const failing = mine.filter(([f]) => f.waived === undefined && RANK[f.severity] >= threshold);
    const others = mine.filter(([f]) => f.waived !== undefined || RANK[f.severity] < threshold);
    const test = suite
      .testCase()
      .className(xmlSafe(phase.scriptSource ?? phase.script ?? name))
      .name(phase.phase ?? 'script');
    if (phase.scriptSource !== undefined) test.file(xmlSafe(phase.scriptSource));
    if (phase.wallMs !== undefined) test.time(Math.round(phase.wallMs) / 1000);
    if (failing.length > 0) {
      const first = failing
        .slice(0, 5)
        .map(([f]) => `${f.rule} at ${where(f, phase)}`)
        .join('; ');
      test.failure(
        xmlSafe(
          `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${report.summary.failOn}: ${first}${failing.length > 5 ? '; ...' : ''}`,
        ),
        report.summary.verdict,
      );
      test.stacktrace(xmlSafe(failing.map(([f, i]) => findingText(f, phase, report, i)).join('\n\n')));
    }
    // Not proven safe is not a pass: the run is an error whatever its findings.
    if (report.summary.verdict === 'indeterminate') {
      test.error(
        xmlSafe(`indeterminate: ${report.summary.reasons.join('; ')}`),
        'indeterminate',
        xmlSafe(report.gaps.map((g) => `${g.kind}${g.line !== undefined ? ` (trace line ${g.line})` : ''}: ${g.message}`).join('\n')),
      );
    }
    if (others.length > 0) test.standardOutput(xmlSafe(others.map(([f, i]) => findingText(f, phase, report, i)).join('\n\n')));
  }
}

/** JUnit XML of one or more runs (`drdsafe report` of several run directories: one testsuite each). */
export function renderJunit(reports: readonly Report[]): string {
  const builder = junitBuilder().newBuilder().name('drdsafe');
  for (const report of reports)
    addRun(builder, report, report.phases[0]?.scriptSource ?? report.phases[0]?.script ?? report.inputs.runDir ?? report.inputs.trace);
  return builder.build() + '\n';
}
