/**
 * What JSON Schema cannot say about a policy file: that each glob and
 * regular expression written in it compiles. Walks the matches of a file
 * (rules, their exceptions, macros, overrides' exceptions) and names each
 * pattern that does not, with the compiler's reason. Patterns that come from
 * a list are checked after the merge (check-policy.ts).
 */
import { isPlainObject, expectedMessage, type SchemaIssue } from '../schema/schema-messages.js';
import type { PathKey } from '../schema/source-locator.js';
import { globToRegExp } from './glob-to-regexp.js';

/** Why `pattern` does not compile as a glob or a regular expression, or undefined when it does. */
export function patternError(op: 'glob' | 'regex', pattern: string): string | undefined {
  try {
    if (op === 'glob') globToRegExp(pattern);
    else new RegExp(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function checkOperand(op: 'glob' | 'regex', value: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    if (typeof item !== 'string') return;
    const why = patternError(op, item);
    if (why === undefined) return;
    const at = Array.isArray(value) ? [...path, i] : path;
    issues.push({ path: at, message: `${expectedMessage(at, `a valid ${op === 'glob' ? 'glob' : 'regular expression'}`, item)}: ${why}` });
  });
}

function checkMatch(match: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  if (!isPlainObject(match)) return;
  for (const [key, value] of Object.entries(match)) {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      if (Array.isArray(value)) value.forEach((sub, i) => checkMatch(sub, [...at, i], issues));
    } else if (key === 'not') {
      checkMatch(value, at, issues);
    } else if (isPlainObject(value)) {
      for (const op of ['glob', 'regex'] as const) if (op in value) checkOperand(op, value[op], [...at, op], issues);
    }
  }
}

function checkExceptions(exceptions: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  if (Array.isArray(exceptions)) exceptions.forEach((e, i) => isPlainObject(e) && checkMatch(e['match'], [...path, i, 'match'], issues));
}

/** Every glob or regex written in the policy file `value` that does not compile. */
export function patternIssues(value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (!isPlainObject(value)) return issues;
  const { rules, macros, overrides } = value;
  if (Array.isArray(rules)) {
    rules.forEach((rule, i) => {
      if (!isPlainObject(rule)) return;
      checkMatch(rule['match'], ['rules', i, 'match'], issues);
      checkExceptions(rule['exceptions'], ['rules', i, 'exceptions'], issues);
    });
  }
  if (isPlainObject(macros)) for (const [name, match] of Object.entries(macros)) checkMatch(match, ['macros', name], issues);
  if (isPlainObject(overrides)) {
    for (const [id, override] of Object.entries(overrides))
      if (isPlainObject(override)) checkExceptions(override['exceptions'], ['overrides', id, 'exceptions'], issues);
  }
  return issues;
}
