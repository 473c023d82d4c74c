/**
 * The wording of schema problems, shared by every YAML format drdsafe reads
 * (policies, waiver files, expect.yaml): ``Expected `x` to be ..., got `v`
 * (type)``, with values shown short and named by their key.
 */
import type { PathKey } from './source-locator.js';

/** One way a value breaks its schema: where (a path into the document) and what is wrong. */
export interface SchemaIssue {
  readonly path: readonly PathKey[];
  readonly message: string;
  /** Point at the key of the last path element rather than its value (unknown keys). */
  readonly atKey?: boolean;
}

/** `null`, `array`, or `typeof`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short rendering of a value for a message. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The name a message uses for the value at `path`: its key, with `[i]` for array items. */
export function nameAt(path: readonly PathKey[]): string {
  let name = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'number') name = `[${key}]${name}`;
    else return `${key}${name}`;
  }
  return name || 'document';
}

/** ``Expected `x` to be <expected>, got `v` (type)``. */
export function expectedMessage(path: readonly PathKey[], expected: string, value: unknown): string {
  return `Expected \`${nameAt(path)}\` to be ${expected}, got \`${showValue(value)}\` (${typeName(value)})`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
