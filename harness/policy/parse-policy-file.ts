/**
 * Steps 1 and 2 of loading one policy file: YAML syntax (every parser error
 * with its line and column), then the schema (policies/policy.schema.json,
 * through the validator generated from it, and the patterns it cannot
 * check), every issue as `path: message` with the line and column of the
 * offending key or value. Only a file with no problems becomes a
 * `PolicyLayer`.
 */
import type { PolicyProblem } from '../errors.js';
import { isPlainObject, type SchemaIssue } from '../schema/schema-messages.js';
import { byPosition, locatedProblem, readYamlDocument } from '../schema/yaml-document.js';
import { patternIssues } from './match-patterns.js';
import { normalizeLayer, type PolicyLayer } from './normalize-layer.js';
import { POLICY_MESSAGE_HOOKS } from './policy-messages.js';
import { policyFile } from './validators.generated.js';

export interface ParsedPolicyFile {
  /** Present when the file has no problems. */
  readonly layer?: PolicyLayer;
  readonly problems: readonly PolicyProblem[];
  readonly warnings: readonly PolicyProblem[];
}

export function parsePolicyFile(source: string, file: string): ParsedPolicyFile {
  const doc = readYamlDocument(source, file, policyFile, POLICY_MESSAGE_HOOKS);
  const { value, locator, warnings } = doc;
  if (locator === undefined) return { problems: doc.problems, warnings };
  const issues: SchemaIssue[] = patternIssues(value);
  if (isPlainObject(value) && value['policy'] === undefined && value['extends'] === undefined && value['rules'] === undefined) {
    issues.push({ path: [], message: 'Expected a policy file to have `policy` and `rules`, or `extends`; found neither' });
  }
  const problems = byPosition([...doc.problems, ...issues.map((i) => locatedProblem(locator, i))]);
  if (problems.length > 0 || !isPlainObject(value)) return { problems, warnings };
  return { layer: normalizeLayer(value, locator), problems, warnings };
}
