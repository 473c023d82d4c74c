/**
 * report.json as the page reads it: the report's own types, loosened where
 * the page must also read reports of other versions (a finding that rests
 * on a script line instead of a call, sections other streams add later) and
 * never trust a field to be there. The data comes embedded in the page as a
 * JSON script element.
 */
import type { Report } from '../report.js';
import type { Finding, CallEvidence, FindingEvidence } from '../../policy/finding.js';
import type { ModelEvent } from '../../model/model-event.js';
import type { CoverageLine, ScriptCoverage } from '../../coverage/script-coverage.js';

/** A finding on a call, or (coverage) on a script line that did or did not run. */
export type PageFinding = Omit<Finding, 'event' | 'detail' | 'followUps'> & {
  readonly event?: CallEvidence;
  readonly detail?: Partial<ModelEvent>;
  readonly followUps?: readonly FindingEvidence[];
  /** Coverage findings: what coverage says of the line. */
  readonly coverage?: {
    readonly line: number;
    readonly text: string;
    readonly ran?: boolean | 'unknown';
    readonly why?: string;
    readonly traceLines?: readonly number[];
  };
} & Readonly<Record<string, unknown>>;

/** Coverage as the page reads it (harness/coverage/script-coverage.ts). */
export type CoverageView = ScriptCoverage;
export type CoverageLineView = CoverageLine;

export type PageReport = Omit<Report, 'findings'> & {
  readonly findings: readonly PageFinding[];
} & Readonly<Record<string, unknown>>;

/** The sections the page draws itself; any other top-level field is shown as data. */
export const KNOWN_SECTIONS: ReadonlySet<string> = new Set([
  'schemaVersion',
  'tool',
  'generatedAt',
  'inputs',
  'policy',
  'phases',
  'findings',
  'gaps',
  'parse',
  'groundTruth',
  'processTree',
  'coverage',
  'summary',
  'timing',
]);

/** Fields of a finding or phase the page shows by name when a report has them (sessions, variants). */
export const CONTEXT_FIELDS = ['phase', 'product', 'fileset', 'variant', 'change', 'session'] as const;

export function readReportData(id: string): PageReport {
  const el = document.getElementById(id);
  if (el === null || el.textContent === null) throw new Error(`the page has no report data (#${id})`);
  return JSON.parse(el.textContent) as PageReport;
}

/** A short text for any value a context field may hold (a string, or an object naming itself). */
export function contextText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['name', 'id', 'tag', 'label']) if (typeof o[key] === 'string') return o[key];
    return JSON.stringify(value);
  }
  return undefined;
}
