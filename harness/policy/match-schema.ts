/**
 * The grammar of a `match` (and of macros and exceptions) as JSON Schema:
 * combinators `all`/`any`/`not`/`macro`, field tests keyed by the names in
 * event-fields.ts, and for each field type the operators it takes and what
 * each operand is. Names of lists and macros are resolved later, after the
 * layers are merged (check-policy.ts); patterns are compiled by
 * match-patterns.ts.
 */
import { EXPECTED, UNKNOWN } from '../schema/schema-problems.js';
import { boolean, NON_EMPTY_PATTERN, oneOf, type JsonSchema } from '../schema/json-schema.js';
import type { FieldType } from '../model/event-classes/event-class.js';
import { EVENT_FIELDS, type EventField } from './event-fields.js';
import { OPERATOR_ALIASES, type Operator } from './policy.js';

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

/** Where a match's schema is, for `$ref`. */
export const MATCH_REF = '#/definitions/match';
/** Stands for the field under test in `x-expected` texts of schemas shared by every field of a type. */
export const FIELD_PLACEHOLDER = '{field}';
/** On an operator mapping: the type of its field, for "does not apply" messages. */
export const FIELD_TYPE = 'x-field-type';

const NAME = NAME_PATTERN.source;

export function valuesText(field: EventField): string {
  const values = [...(field.values ?? [])];
  if (values.length > 12) return `a known \`${field.name}\` value`;
  return oneOf(values);
}

/** `a number (`{field}` is a number)`. */
function typeText(type: FieldType): string {
  const want = type === 'strings' ? 'string' : type;
  return `a ${want} (\`${FIELD_PLACEHOLDER}\` is a ${type === 'strings' ? 'list of strings' : want})`;
}

/** Definitions under construction: each schema shared by several fields or operators is defined once and referred to. */
class Definitions {
  readonly all: Record<string, JsonSchema> = {};

  /** `{$ref}` to the definition `name`, made by `make` the first time. */
  ref(name: string, make: () => JsonSchema): JsonSchema {
    if (!(name in this.all)) this.all[name] = make();
    return { $ref: `#/definitions/${name}` };
  }
}

/**
 * The schemas of one kind of field test: a type, and for a field with a
 * closed set of values the definition of those values (`values-<field>`).
 */
interface TestKind {
  readonly type: FieldType;
  /** What names this kind's definitions: the type, or the first field with these values. */
  readonly key: string;
  readonly field?: EventField;
}

/** A value a field is compared with (`eq`, `ne`, or the field's value written alone). */
function scalar(defs: Definitions, kind: TestKind): JsonSchema {
  const { field, type } = kind;
  if (field?.values !== undefined) {
    const values = field.values;
    return defs.ref(`values-${kind.key}`, () => ({ type: 'string', enum: [...values], [EXPECTED]: valuesText(field) }));
  }
  return defs.ref(`value-${type}`, () => ({ type: type === 'strings' ? 'string' : type, [EXPECTED]: typeText(type) }));
}

/** An item of `in` (or of an array written alone): a value, or a string that may name a list. */
function inItem(defs: Definitions, kind: TestKind): JsonSchema {
  const { type } = kind;
  if (type === 'number') {
    return {
      type: ['number', 'string'],
      [EXPECTED]: typeText(type),
      if: { type: 'string' },
      then: { type: 'string', pattern: NAME, [EXPECTED]: typeText(type) },
    };
  }
  if (kind.field?.values === undefined) return scalar(defs, kind);
  // A value the field cannot take may still name a list: resolved after the merge (check-policy.ts).
  return { type: 'string', [EXPECTED]: typeText(type), if: { type: 'string', pattern: NAME }, else: scalar(defs, kind) };
}

function inArray(defs: Definitions, kind: TestKind): JsonSchema {
  return defs.ref(`array-${kind.key}`, () => ({
    type: 'array',
    minItems: 1,
    items: inItem(defs, kind),
    [EXPECTED]: 'a list name or a non-empty array of values',
  }));
}

/** The operand of `in` or `command`: a list name, or a non-empty array. */
function listOr(array: JsonSchema, nameExpected: string): JsonSchema {
  return { if: { type: 'string' }, then: { type: 'string', pattern: NAME, [EXPECTED]: nameExpected }, else: array };
}

function patterns(op: 'glob' | 'regex'): JsonSchema {
  const expected = `a ${op} pattern or a non-empty array of them`;
  return {
    if: { type: 'array' },
    then: { type: 'array', minItems: 1, items: { type: 'string', [EXPECTED]: `a ${op} pattern` }, [EXPECTED]: expected },
    else: { type: 'string', [EXPECTED]: expected },
  };
}

function operand(defs: Definitions, op: Operator, kind: TestKind): JsonSchema {
  switch (op) {
    case 'eq':
    case 'ne':
      return scalar(defs, kind);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return defs.ref('operand-number', () => ({ type: 'number', [EXPECTED]: 'a number' }));
    case 'exists':
      return defs.ref('operand-exists', () => boolean('Whether the field is present.'));
    case 'in':
      return defs.ref(`in-${kind.key}`, () => listOr(inArray(defs, kind), 'a list name or an array of values'));
    case 'glob':
    case 'regex':
      return defs.ref(`operand-${op}`, () => patterns(op));
    case 'command':
      return defs.ref('operand-command', () =>
        listOr(
          {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: NON_EMPTY_PATTERN, [EXPECTED]: 'a command path (a non-empty string)' },
            [EXPECTED]: 'a list name or a non-empty array of command paths (strings)',
          },
          'a list name or an array of command paths',
        ),
      );
  }
}

const OPERATOR_TEXT: Readonly<Record<Operator, string>> = {
  eq: 'Equals the value.',
  ne: 'Is present and differs from the value.',
  lt: 'Is less than the number.',
  le: 'Is at most the number.',
  gt: 'Is greater than the number.',
  ge: 'Is at least the number.',
  in: 'Equals an item of the array, or of the named list.',
  glob: 'Matches the glob, or one of them (a list name among them stands for its items).',
  regex: 'Matches the regular expression somewhere, or one of them.',
  exists: 'Is present (`true`) or absent (`false`).',
  command: 'Names one of these commands as a shell runs it (a bare name: each command of that base name).',
};

function operators(defs: Definitions, kind: TestKind): JsonSchema {
  const allowed = OPERATORS_BY_TYPE[kind.type];
  const properties: Record<string, JsonSchema> = {};
  for (const op of allowed) properties[op] = { ...operand(defs, op, kind), description: OPERATOR_TEXT[op] };
  for (const [symbol, op] of Object.entries(OPERATOR_ALIASES)) {
    if (allowed.includes(op)) properties[symbol] = { ...operand(defs, op, kind), description: `\`${op}\`. ${OPERATOR_TEXT[op]}` };
  }
  return {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties,
    [UNKNOWN]: 'operator',
    [FIELD_TYPE]: kind.type,
    [EXPECTED]: `a value, an array, or operators (${allowed.join(', ')})`,
  };
}

/** A field test: a value (`eq`), an array (`in`; not for booleans), or a mapping of operators, all of which must hold. */
function fieldTest(defs: Definitions, kind: TestKind): JsonSchema {
  return defs.ref(`test-${kind.key}`, () => {
    const notObject = kind.type === 'boolean' ? scalar(defs, kind) : { if: { type: 'array' }, then: inArray(defs, kind), else: scalar(defs, kind) };
    return { if: { type: 'object' }, then: operators(defs, kind), else: notObject };
  });
}

function fieldDescription(field: EventField): string {
  const kind = field.type === 'strings' ? 'list of strings (a test holds when any element passes)' : field.type;
  return `${field.description} (${kind}${field.classes === undefined ? '' : `; on ${field.classes.join(', ')} events`})`;
}

/** `definitions` for a schema that has matches: `match` and what its field tests refer to. */
export function matchDefinitions(): Record<string, JsonSchema> {
  const defs = new Definitions();
  const fields: Record<string, JsonSchema> = {};
  // One kind per type, and one per closed set of values (the first field with it names it).
  const kinds = new Map<string, TestKind>();
  for (const field of EVENT_FIELDS) {
    const id = field.values === undefined ? field.type : `${field.type}:${[...field.values].join(',')}`;
    let kind = kinds.get(id);
    if (kind === undefined) {
      kind = field.values === undefined ? { type: field.type, key: field.type } : { type: field.type, key: field.name, field };
      kinds.set(id, kind);
    }
    fields[field.name] = { ...fieldTest(defs, kind), description: fieldDescription(field) };
  }
  const matches = (description: string): JsonSchema => ({
    type: 'array',
    minItems: 1,
    items: { $ref: MATCH_REF },
    description,
    [EXPECTED]: 'a non-empty array of matches',
  });
  return {
    match: {
      type: 'object',
      description: 'Field tests, all of which must hold, and `all`/`any`/`not`/`macro` combinators.',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        all: matches('Every one of these matches holds.'),
        any: matches('At least one of these matches holds.'),
        not: { $ref: MATCH_REF, description: 'This match does not hold.' },
        macro: { type: 'string', pattern: NAME, description: "A macro's match holds.", [EXPECTED]: `a macro name (${NAME_EXPECTED})` },
        ...fields,
      },
      [UNKNOWN]: 'field',
      [EXPECTED]: 'a mapping of field tests and `all`/`any`/`not`/`macro`',
    },
    ...defs.all,
  };
}
