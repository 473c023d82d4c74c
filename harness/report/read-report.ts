/**
 * A stored report.json read back for rendering (`drdsafe report`): parsed,
 * then checked for what every renderer relies on, so a damaged or foreign
 * file is refused with its name and every problem at once instead of
 * rendering a half-empty page. Fields a renderer treats as optional (ground
 * truth, process tree, coverage, rules) are not required: reports written
 * before them still render.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { Report } from './report.js';

type Check = readonly [path: string, ok: (v: unknown) => boolean, expected: string];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): boolean => typeof v === 'string';
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

const CHECKS: readonly Check[] = [
  ['schemaVersion', (v) => v === 1, '1 (a report of this drdsafe version)'],
  ['tool', isObject, 'an object'],
  ['generatedAt', isString, 'a string'],
  ['inputs', isObject, 'an object'],
  ['inputs.trace', isString, 'a string'],
  ['policy', isObject, 'an object'],
  ['policy.hash', isString, 'a string'],
  ['phases', Array.isArray, 'an array'],
  ['findings', Array.isArray, 'an array'],
  ['gaps', Array.isArray, 'an array'],
  ['parse', isObject, 'an object'],
  ['parse.issues', Array.isArray, 'an array'],
  ['parse.issueCount', isNumber, 'a number'],
  ['summary', isObject, 'an object'],
  ['summary.verdict', (v) => v === 'safe' || v === 'unsafe' || v === 'indeterminate', '`safe`, `unsafe` or `indeterminate`'],
  ['summary.reasons', Array.isArray, 'an array'],
  ['summary.counts', isObject, 'an object'],
  ['summary.exitCode', isNumber, 'a number'],
];

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) v = isObject(v) ? v[key] : undefined;
  return v;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** What is wrong with `value` as a report: `path: expected ..., got ...` each; empty when nothing is. */
export function reportProblems(value: unknown): string[] {
  if (!isObject(value)) return [`expected a JSON object, got ${shown(value)}`];
  const problems: string[] = [];
  for (const [path, ok, expected] of CHECKS) {
    const v = at(value, path);
    // A parent already reported missing says it all.
    if (path.includes('.') && !isObject(at(value, path.slice(0, path.lastIndexOf('.'))))) continue;
    if (!ok(v)) problems.push(`${path}: expected ${expected}, got ${shown(v)}`);
  }
  const findings = at(value, 'findings');
  if (Array.isArray(findings)) {
    findings.forEach((f, i) => {
      if (!isObject(f) || typeof f['rule'] !== 'string' || typeof f['severity'] !== 'string' || typeof f['message'] !== 'string' || !isObject(f['process'])) {
        problems.push(`findings[${i}]: expected a finding (rule, severity, message, process), got ${shown(f)}`);
      }
    });
  }
  return problems;
}

/** Reads and checks a stored report.json; refuses a damaged one with every problem named. */
export async function readStoredReport(file: string): Promise<Report> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError('INPUT_INVALID', `${file} is not valid JSON (${(error as Error).message})`, {
      cause: error,
      hint: 'the report is damaged: run `drdsafe analyze` on the run directory to write it again',
    });
  }
  const problems = reportProblems(value);
  if (problems.length > 0) {
    throw new UserError('INPUT_INVALID', `${file} is not a report drdsafe can render: ${problems.join('; ')}`, {
      hint: 'run `drdsafe analyze` on the run directory to write report.json again',
    });
  }
  return value as Report;
}
