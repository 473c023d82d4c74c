/**
 * The grammar of a `match` (and of macros and exceptions), as a custom
 * schema check: combinators `all`/`any`/`not`/`macro`, field tests keyed by
 * the names in event-fields.ts, and operators checked against each field's
 * type and values. Names of lists and macros are resolved later, after the
 * layers are merged (check-policy.ts).
 */
import { suggestion } from './did-you-mean.js';
import { EVENT_FIELDS, FIELDS_BY_NAME, type EventField, type FieldType } from './event-fields.js';
import { globToRegExp } from './glob-to-regexp.js';
import { operatorNamed, type Operator } from './policy.js';
import { expectedMessage, isPlainObject, type PathKey, type SchemaIssue } from './schema-validator.js';

/** Names of lists, macros, rules and exceptions. */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const NAME_EXPECTED = 'a lower-case kebab-case name (e.g. `daemon-control-verbs`)';

export const COMBINATORS = ['all', 'any', 'not', 'macro'] as const;

/** Which operators each field type takes. */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  string: ['eq', 'ne', 'in', 'glob', 'regex', 'exists', 'command'],
  number: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'exists'],
  boolean: ['eq', 'ne', 'exists'],
  strings: ['eq', 'in', 'glob', 'regex', 'exists'],
};

const KEYS = [...COMBINATORS, ...EVENT_FIELDS.map((f) => f.name)];

function scalarType(type: FieldType): 'string' | 'number' | 'boolean' {
  return type === 'strings' ? 'string' : type;
}

/** True when a string may name a list (it is then resolved after merging). */
export function mayNameList(value: string): boolean {
  return NAME_PATTERN.test(value);
}

function checkScalar(field: EventField, value: unknown, path: readonly PathKey[], issues: SchemaIssue[], allowListName: boolean): void {
  const want = scalarType(field.type);
  if (typeof value !== want || (typeof value === 'number' && !Number.isFinite(value))) {
    if (!(allowListName && typeof value === 'string' && mayNameList(value))) {
      issues.push({ path, message: expectedMessage(path, `a ${want} (\`${field.name}\` is a ${field.type === 'strings' ? 'list of strings' : want})`, value) });
    }
    return;
  }
  if (typeof value === 'string' && field.values !== undefined && !field.values.has(value) && !(allowListName && mayNameList(value))) {
    issues.push({ path, message: expectedMessage(path, valuesText(field), value) + suggestion(value, field.values) });
  }
}

export function valuesText(field: EventField): string {
  const values = [...(field.values ?? [])];
  if (values.length > 12) return `a known \`${field.name}\` value`;
  return `one of ${values.map((v) => `\`${v}\``).join(', ')}`;
}

function checkPatterns(op: 'glob' | 'regex', value: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  const items = Array.isArray(value) ? value : [value];
  if ((Array.isArray(value) && value.length === 0) || items.some((i) => typeof i !== 'string')) {
    issues.push({ path, message: expectedMessage(path, `a ${op} pattern or a non-empty array of them`, value) });
    return;
  }
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? [...path, i] : path;
    try {
      if (op === 'glob') globToRegExp(item as string);
      else new RegExp(item as string);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      issues.push({ path: at, message: `${expectedMessage(at, `a valid ${op === 'glob' ? 'glob' : 'regular expression'}`, item)}: ${why}` });
    }
  });
}

function checkOperator(field: EventField, op: Operator, value: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  switch (op) {
    case 'eq':
    case 'ne':
      return checkScalar(field, value, path, issues, false);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      if (typeof value !== 'number') issues.push({ path, message: expectedMessage(path, 'a number', value) });
      return;
    case 'exists':
      if (typeof value !== 'boolean') issues.push({ path, message: expectedMessage(path, '`true` or `false`', value) });
      return;
    case 'in':
      if (typeof value === 'string') {
        if (!mayNameList(value)) issues.push({ path, message: expectedMessage(path, `a list name or an array of values`, value) });
      } else if (!Array.isArray(value) || value.length === 0) {
        issues.push({ path, message: expectedMessage(path, 'a list name or a non-empty array of values', value) });
      } else value.forEach((item, i) => checkScalar(field, item, [...path, i], issues, true));
      return;
    case 'glob':
    case 'regex':
      return checkPatterns(op, value, path, issues);
    case 'command':
      if (typeof value === 'string') {
        if (!mayNameList(value)) issues.push({ path, message: expectedMessage(path, 'a list name or an array of command paths', value) });
      } else if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item === '')) {
        issues.push({ path, message: expectedMessage(path, 'a list name or a non-empty array of command paths (strings)', value) });
      }
      return;
  }
}

function checkField(field: EventField, value: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  if (Array.isArray(value)) return checkOperator(field, 'in', value, path, issues);
  if (!isPlainObject(value)) return checkScalar(field, value, path, issues, false);
  const allowed = OPERATORS_BY_TYPE[field.type];
  if (Object.keys(value).length === 0) {
    issues.push({ path, message: expectedMessage(path, `a value, an array, or operators (${allowed.join(', ')})`, value) });
  }
  for (const [key, operand] of Object.entries(value)) {
    const at = [...path, key];
    const op = operatorNamed(key);
    if (op === undefined) {
      issues.push({ path: at, atKey: true, message: `Unknown operator \`${key}\`${suggestion(key, allowed)}` });
    } else if (!allowed.includes(op)) {
      issues.push({ path: at, atKey: true, message: `Operator \`${key}\` does not apply to \`${field.name}\` (a ${field.type} field); use one of ${allowed.join(', ')}` });
    } else checkOperator(field, op, operand, at, issues);
  }
}

/** Validates a match expression, pushing every issue found. */
export function checkMatch(value: unknown, path: readonly PathKey[], issues: SchemaIssue[]): void {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    issues.push({ path, message: expectedMessage(path, 'a mapping of field tests and `all`/`any`/`not`/`macro`', value) });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(item) || item.length === 0) {
        issues.push({ path: at, message: expectedMessage(at, 'a non-empty array of matches', item) });
      } else item.forEach((sub, i) => checkMatch(sub, [...at, i], issues));
    } else if (key === 'not') {
      checkMatch(item, at, issues);
    } else if (key === 'macro') {
      if (typeof item !== 'string' || !NAME_PATTERN.test(item)) issues.push({ path: at, message: expectedMessage(at, `a macro name (${NAME_EXPECTED})`, item) });
    } else {
      const field = FIELDS_BY_NAME.get(key);
      if (field === undefined) {
        issues.push({ path: at, atKey: true, message: `Unknown field \`${key}\`${suggestion(key, KEYS)}` });
      } else checkField(field, item, at, issues);
    }
  }
}
