/**
 * The report as SARIF 2.1.0, for CI systems that show findings on the lines
 * of the code they come from (code scanning, review bots). Each finding is a
 * result on its control script line, with the syscall's trace line as a
 * related location and everything else a reviewer needs (seed section,
 * process and argv, target, phase, witness confirmation) in its properties.
 * A verdict that is not proven (`indeterminate`) is an unsuccessful
 * invocation whose notifications say why, so a gate that reads only SARIF
 * still fails closed. A waived finding is a result with a suppression (the
 * waiver's reason, owner and expiry); a stale waiver is a warning.
 */
import path from 'node:path';
import type { Location, Log, Notification, ReportingDescriptor, Result, Suppression } from 'sarif';
import type { RuleInfo } from '../policy/compile-policy.js';
import type { CoverageFinding, Finding, Severity, WaiverRecord } from '../policy/finding.js';
import { coverageCounts } from '../coverage/render-coverage.js';
import type { Report, ReportFinding } from './report.js';
import { displayPath } from '../display-path.js';
import { FINGERPRINT_VERSION, findingFingerprint } from './finding-fingerprint.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Readonly<Record<Severity, Result.level>> = { error: 'error', warning: 'warning', info: 'note' };

/** `file` as a SARIF URI: relative to `cwd` when below it (how code scanning maps it onto the repository), else a file: URI. */
function uriOf(file: string, cwd: string): string {
  const shown = displayPath(cwd, path.resolve(cwd, file));
  const encoded = shown.split(path.sep).map(encodeURIComponent).join('/');
  return path.isAbsolute(shown) ? `file://${encoded}` : encoded;
}

function ruleDescriptor(rule: RuleInfo): ReportingDescriptor {
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    defaultConfiguration: { level: LEVEL[rule.severity], enabled: rule.enabled },
    properties: { reference: rule.reference, tags: ['drd-safe'], ...(rule.gap ? { gap: true } : {}) },
  };
}

/**
 * @param rules the policy's rules (findings of rules it does not list, such
 *   as a limit the run hit, get a descriptor from the finding itself)
 * @param cwd what relative artifact URIs are relative to
 */
export function renderSarif(report: Report, rules: readonly RuleInfo[], cwd: string): string {
  const descriptors = rules.map(ruleDescriptor);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of report.findings) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, descriptors.length);
    descriptors.push(
      ruleDescriptor({ id: f.rule, severity: f.severity, title: f.title, reference: f.reference, description: f.title, enabled: true, gap: false }),
    );
  }
  const phase = report.phases[0];
  const scriptUri = phase?.scriptSource !== undefined ? uriOf(phase.scriptSource, cwd) : undefined;
  const traceUri = uriOf(report.inputs.trace, cwd);
  // In a session each finding is in its own phase's script and trace.
  const scriptOf = (f: ReportFinding): string | undefined => {
    const source = f.step === undefined ? undefined : report.phases[f.step.index]?.scriptSource;
    return source === undefined ? scriptUri : uriOf(source, cwd);
  };
  // A variant's evidence is in its own run's trace; a session phase's in its phase's.
  const traceOf = (f: ReportFinding): string =>
    f.variant !== undefined
      ? uriOf(path.join(f.variant.runDir, 'trace.txt'), cwd)
      : f.step?.runDir === undefined || report.inputs.runDir === undefined
        ? traceUri
        : uriOf(path.join(report.inputs.runDir, f.step.runDir, 'trace.txt'), cwd);
  const confirmed = new Map<number, string>();
  for (const c of report.groundTruth?.confirmations ?? []) confirmed.set(c.finding, c.evidence);

  const results = report.findings.map((f, i): Result => {
    const ids = identity(f, (f.step === undefined ? phase : report.phases[f.step.index])?.script, cwd);
    if (f.event === undefined) return coverageResult(f, index.get(f.rule), scriptOf(f), traceOf(f), ids);
    const call: Location = {
      physicalLocation: {
        artifactLocation: { uri: traceOf(f) },
        region: { startLine: f.event.line, ...(f.event.endLine !== undefined ? { endLine: f.event.endLine } : {}), snippet: { text: f.event.raw } },
      },
      message: {
        text: `${f.event.syscall}${f.event.unfinished === true ? ' (never returned: result unknown)' : f.event.ok ? '' : ` (failed${f.event.errno ? `: ${f.event.errno}` : ''})`}`,
      },
    };
    const line = f.location;
    const script = scriptOf(f);
    // Without a script line (a process the trace ties to no line), the call itself is where the finding is.
    const where: Location =
      line !== undefined && script !== undefined
        ? {
            physicalLocation: {
              artifactLocation: { uri: script },
              region: { startLine: line.line, ...(line.source !== undefined ? { snippet: { text: line.source } } : {}) },
            },
          }
        : call;
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [where],
      ...(where === call ? {} : { relatedLocations: [{ id: 1, ...call }] }),
      ...ids,
      properties: {
        reference: f.reference,
        ...(f.phase !== undefined ? { phase: f.phase } : {}),
        process: { pid: f.process.pid, argv: f.process.argv, origin: f.process.origin },
        ...(f.target !== undefined ? { target: f.target } : {}),
        ...(line?.expanded !== undefined ? { command: line.expanded } : {}),
        ...(line?.caveat !== undefined ? { caveat: line.caveat } : {}),
        ...(confirmed.has(i) ? { confirmedBy: confirmed.get(i) } : {}),
        ...(f.variant !== undefined ? { variant: { id: f.variant.id, when: f.variant.when, runDir: f.variant.runDir } } : {}),
      },
    };
  });

  const notifications: Notification[] = [
    ...report.gaps.map((g): Notification => ({
      level: 'error',
      message: { text: `${g.kind}: ${g.message}` },
      ...(g.line !== undefined ? traceAt(traceUri, g.line) : {}),
    })),
    ...report.parse.issues.map((p): Notification => ({
      level: 'error',
      message: { text: `unreadable trace line: ${p.message}` },
      ...traceAt(traceUri, p.line),
    })),
    ...(report.groundTruth?.unexplained ?? []).map((u): Notification => ({ level: 'error', message: { text: `unexplained ${u.kind}: ${u.detail}` } })),
    ...(report.waivers?.stale ?? []).map((w): Notification => ({
      level: 'warning',
      message: { text: `stale waiver: ${w.rule} ${w.fingerprint} (owner ${w.owner}) matched no finding` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(w.file, cwd) }, ...(w.line === undefined ? {} : { region: { startLine: w.line } }) } }],
    })),
  ];
  const sarif: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules: descriptors } },
        invocations: [
          {
            // Unproven is not success: a gate that reads only SARIF must not pass it.
            executionSuccessful: report.summary.verdict !== 'indeterminate',
            exitCode: report.summary.exitCode,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        artifacts: [
          ...[
            ...new Set(
              report.session === undefined
                ? scriptUri === undefined
                  ? []
                  : [scriptUri]
                : report.phases.flatMap((p) => (p.scriptSource === undefined ? [] : [uriOf(p.scriptSource, cwd)])),
            ),
          ].map((uri) => ({
            location: { uri },
            roles: ['analysisTarget' as const],
          })),
          { location: { uri: traceUri }, roles: ['tracedFile' as const] },
        ],
        results,
        properties: {
          verdict: report.summary.verdict,
          reasons: report.summary.reasons,
          counts: report.summary.counts,
          ...(report.summary.waived !== undefined ? { waived: report.summary.waived } : {}),
          failOn: report.summary.failOn,
          policyHash: report.policy.hash,
          ...(phase?.phase !== undefined ? { phase: phase.phase } : {}),
          ...(report.coverage !== undefined ? { coverage: coverageCounts(report.coverage) } : {}),
          ...explorationProperties(report),
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function traceAt(uri: string, line: number): { locations: Location[] } {
  return { locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }] };
}

/** A waiver as SARIF says it: accepted outside the code, why, on whose word, until when, written where. */
function suppression(w: WaiverRecord, cwd: string): Suppression {
  return {
    kind: 'external',
    status: 'accepted',
    justification: w.reason,
    location: { physicalLocation: { artifactLocation: { uri: uriOf(w.file, cwd) }, ...(w.line === undefined ? {} : { region: { startLine: w.line } }) } },
    properties: { owner: w.owner, expires: w.expires },
  };
}

/** What every result carries whatever its evidence: the fingerprint a waiver names, the waiver that accepted it. */
function identity(f: Finding, script: string | undefined, cwd: string): Pick<Result, 'partialFingerprints' | 'suppressions'> {
  return {
    partialFingerprints: { [`drdsafe/finding/${FINGERPRINT_VERSION}`]: f.fingerprint ?? findingFingerprint(f, script) },
    ...(f.waived ? { suppressions: [suppression(f.waived, cwd)] } : {}),
  };
}

/** A coverage finding: on its script line, with the trace lines of the xtrace that decided it as related locations. */
function coverageResult(
  f: CoverageFinding,
  ruleIndex: number | undefined,
  scriptUri: string | undefined,
  traceUri: string,
  ids: Pick<Result, 'partialFingerprints' | 'suppressions'>,
): Result {
  const c = f.coverage;
  const related = c.traceLines.map((l, i): Location => ({ id: i + 1, ...traceAt(traceUri, l).locations[0], message: { text: 'xtrace that decided it' } }));
  const where: Location =
    scriptUri !== undefined
      ? { physicalLocation: { artifactLocation: { uri: scriptUri }, region: { startLine: c.line, snippet: { text: c.text } } } }
      : { physicalLocation: { artifactLocation: { uri: traceUri } }, message: { text: `script line ${c.line}` } };
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [where],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    ...ids,
    properties: {
      reference: f.reference,
      ...(f.phase !== undefined ? { phase: f.phase } : {}),
      evidence: 'coverage',
      ...(c.ran !== undefined ? { ran: c.ran } : {}),
      ...(c.risk !== undefined ? { risk: c.risk } : {}),
      ...(c.command !== undefined ? { command: c.command } : {}),
      ...(c.why !== undefined ? { why: c.why } : {}),
    },
  };
}

/** Branch exploration's variants and the DRD-guard proof, as plain data in the run's properties. */
function explorationProperties(report: Report): Record<string, unknown> {
  const e = report.exploration;
  const c = report.comparison;
  return {
    ...(e !== undefined
      ? {
          exploration: {
            explore: e.explore,
            variants: e.variants.map((v) => ({
              id: v.id,
              when: v.when,
              changes: v.changes.map((ch) => ({ kind: ch.kind, ...(ch.path !== undefined ? { path: ch.path } : {}), condition: ch.condition, made: ch.made })),
              runDir: v.runDir,
              ran: v.ran,
              ...(v.verdict !== undefined ? { verdict: v.verdict } : {}),
              ...(v.error !== undefined ? { error: v.error } : {}),
            })),
            notExplored: e.notExplored,
            ...(e.stopped !== undefined ? { stopped: e.stopped } : {}),
          },
        }
      : {}),
    ...(c !== undefined
      ? { comparison: { runDir: c.runDir, ran: c.ran, ...(c.error !== undefined ? { error: c.error } : {}), guarded: c.guarded, avoided: c.avoided } }
      : {}),
  };
}
