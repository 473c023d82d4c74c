/**
 * Steps 1 and 2 of loading one policy file: YAML syntax (every parser error
 * with its line and column), then the schema (every issue as `path: message`
 * with the line and column of the offending key or value). Only a file with
 * no problems becomes a `PolicyLayer`.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { PolicyProblem } from '../errors.js';
import { normalizeLayer, type PolicyLayer } from './normalize-layer.js';
import { policyFileSchema } from './policy-schema.js';
import { isPlainObject, validate, type SchemaIssue } from './schema-validator.js';
import { createLocator, formatPath, type SourceLocator } from './source-locator.js';

export interface ParsedPolicyFile {
  /** Present when the file has no problems. */
  readonly layer?: PolicyLayer;
  readonly problems: readonly PolicyProblem[];
  readonly warnings: readonly PolicyProblem[];
}

/** The parser's own message without the ` at line N, column M:` and source excerpt prettyErrors appends. */
function yamlProblem(file: string, error: YAMLError): PolicyProblem {
  const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  const at = error.linePos?.[0];
  return { file, path: '', ...(at === undefined ? {} : { line: at.line, col: at.col }), message: `${message} (${error.code})` };
}

function issueProblem(locator: SourceLocator, issue: SchemaIssue): PolicyProblem {
  return { file: locator.file, path: formatPath(issue.path), ...locator.position(issue.path, issue.atKey), message: issue.message };
}

export function parsePolicyFile(source: string, file: string): ParsedPolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const warnings = doc.warnings.map((w) => yamlProblem(file, w));
  if (doc.errors.length > 0) return { problems: doc.errors.map((e) => yamlProblem(file, e)), warnings };

  const locator = createLocator(file, doc, lineCounter);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  const issues: SchemaIssue[] = [];
  validate(value ?? null, policyFileSchema, [], issues);
  if (isPlainObject(value) && value['policy'] === undefined && value['extends'] === undefined && value['rules'] === undefined) {
    issues.push({ path: [], message: 'Expected a policy file to have `policy` and `rules`, or `extends`; found neither' });
  }
  const problems = issues.filter((i) => i.severity !== 'warning').map((i) => issueProblem(locator, i));
  warnings.push(...issues.filter((i) => i.severity === 'warning').map((i) => issueProblem(locator, i)));
  if (problems.length > 0 || !isPlainObject(value)) return { problems, warnings };
  return { layer: normalizeLayer(value, locator), problems, warnings };
}
