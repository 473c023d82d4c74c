/**
 * Steps 1 and 2 of reading any YAML input drdsafe has a schema for (a policy,
 * a waiver file, an expect.yaml): the YAML syntax, every parser error with
 * its line and column (duplicate keys included), then the JSON Schema, every
 * issue as `path: message` with the line and column of the offending key or
 * value. What is checked after that (step 3, cross-checks) is the format's.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { FileProblem } from '../errors.js';
import type { SchemaIssue } from './schema-messages.js';
import { schemaIssues, type SchemaMessageHooks, type SchemaValidator } from './schema-problems.js';
import { createLocator, formatPath, type SourceLocator } from './source-locator.js';

export interface YamlDocumentResult {
  /** The document as plain data (`null` for an empty file); absent when the syntax is broken. */
  readonly value?: unknown;
  /** Where each path of the document was written; absent when the syntax is broken. */
  readonly locator?: SourceLocator;
  /** Syntax problems, else schema problems; empty when the document is valid. */
  readonly problems: readonly FileProblem[];
  readonly warnings: readonly FileProblem[];
}

/** The parser's own message without the ` at line N, column M:` and source excerpt prettyErrors appends. */
function yamlProblem(file: string, error: YAMLError): FileProblem {
  const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  const at = error.linePos?.[0];
  return { file, path: '', ...(at === undefined ? {} : { line: at.line, col: at.col }), message: `${message} (${error.code})` };
}

/** A schema issue as a problem at the line and column it points to. */
export function locatedProblem(locator: SourceLocator, issue: SchemaIssue): FileProblem {
  return { file: locator.file, path: formatPath(issue.path), ...locator.position(issue.path, issue.atKey), message: issue.message };
}

/** Problems in the order they were written (those with no position first). */
export function byPosition(problems: readonly FileProblem[]): FileProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

export interface YamlDocumentOptions extends SchemaMessageHooks {
  /**
   * Read every scalar as a string (YAML's failsafe schema), for a format that
   * holds nothing else: a hex fingerprint of digits alone stays text instead
   * of becoming a number. Default: `false` (YAML 1.2's core schema).
   */
  readonly stringsOnly?: boolean;
}

/**
 * Parses `source` (named `file` in problems) and validates it with `validate`,
 * a validator generated from the format's JSON Schema.
 */
export function readYamlDocument(source: string, file: string, validate: SchemaValidator, options: YamlDocumentOptions = {}): YamlDocumentResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: true, ...(options.stringsOnly === true ? { schema: 'failsafe' } : {}) });
  const warnings = doc.warnings.map((w) => yamlProblem(file, w));
  if (doc.errors.length > 0) return { problems: doc.errors.map((e) => yamlProblem(file, e)), warnings };
  const locator = createLocator(file, doc, lineCounter);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 }) ?? null;
  if (validate(value)) return { value, locator, problems: [], warnings };
  const problems = schemaIssues(validate.errors ?? [], value, options).map((issue) => locatedProblem(locator, issue));
  return { value, locator, problems: byPosition(problems), warnings };
}
