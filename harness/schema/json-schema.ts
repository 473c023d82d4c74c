/**
 * JSON Schema (draft-07) as drdsafe writes it for its YAML formats: plain
 * objects, built in TypeScript from the same tables the code uses, shipped as
 * `.schema.json` files for editors and compiled ahead of time into
 * validators (scripts/schema-validators.ts).
 */
import { EXPECTED } from './schema-problems.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Matches a string of at least one character (`minLength` would make the generated code need ajv at run time). */
export const NON_EMPTY_PATTERN = '[\\s\\S]';

/** A non-empty string. */
export function nonEmptyString(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', pattern: NON_EMPTY_PATTERN, description, [EXPECTED]: 'a non-empty string', ...extra };
}

/** `true` or `false`. */
export function boolean(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'boolean', description, [EXPECTED]: '`true` or `false`', ...extra };
}

/** ``one of `a`, `b` `` for a closed list of values. */
export function oneOf(values: Iterable<string>): string {
  return `one of ${[...values].map((v) => `\`${v}\``).join(', ')}`;
}

/** One of a closed list of strings. */
export function stringEnum(values: readonly string[], description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', enum: values, description, [EXPECTED]: oneOf(values), ...extra };
}
