/**
 * A small declarative schema and the validator that walks a plain JS value
 * (`doc.toJS()`) against it, collecting every issue as `path: message`
 * instead of stopping at the first. The policy's own schema is declared in
 * policy-schema.ts; this file knows nothing about policies.
 */
import { suggestion } from './did-you-mean.js';

export type PathKey = string | number;

export interface SchemaIssue {
  readonly path: readonly PathKey[];
  readonly message: string;
  /** Point at the key of the last path element rather than its value (unknown keys). */
  readonly atKey?: boolean;
  readonly severity?: 'error' | 'warning';
}

interface SchemaBase {
  readonly description: string;
  /** What a valid value is, for messages: ``Expected `x` to be <expected>``. */
  readonly expected: string;
}

export type Schema =
  | (SchemaBase & { readonly kind: 'string'; readonly enum?: readonly string[]; readonly pattern?: RegExp })
  | (SchemaBase & { readonly kind: 'number' })
  | (SchemaBase & { readonly kind: 'boolean' })
  | (SchemaBase & { readonly kind: 'array'; readonly items: Schema; readonly nonEmpty?: boolean })
  | (SchemaBase & { readonly kind: 'object'; readonly properties: Readonly<Record<string, Property>> })
  | (SchemaBase & { readonly kind: 'map'; readonly keyPattern?: RegExp; readonly keyExpected?: string; readonly values: Schema })
  | (SchemaBase & { readonly kind: 'union'; readonly options: readonly Schema[] })
  | (SchemaBase & { readonly kind: 'custom'; readonly check: (value: unknown, path: readonly PathKey[], issues: SchemaIssue[]) => void });

export interface Property {
  readonly schema: Schema;
  readonly required?: boolean;
  /** The value used when the key is absent (documentation and normalisation read it from here). */
  readonly default?: unknown;
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

function shapeOf(schema: Schema): string {
  switch (schema.kind) {
    case 'array':
      return 'array';
    case 'object':
    case 'map':
      return 'object';
    default:
      return schema.kind;
  }
}

export function validate(value: unknown, schema: Schema, path: readonly PathKey[], issues: SchemaIssue[]): void {
  const wrong = (): void => void issues.push({ path, message: expectedMessage(path, schema.expected, value) });
  switch (schema.kind) {
    case 'string':
      if (typeof value !== 'string' || value.length === 0) return wrong();
      if (schema.enum !== undefined && !schema.enum.includes(value)) {
        issues.push({ path, message: expectedMessage(path, schema.expected, value) + suggestion(value, schema.enum) });
      } else if (schema.pattern !== undefined && !schema.pattern.test(value)) wrong();
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) wrong();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong();
      return;
    case 'array':
      if (!Array.isArray(value) || (schema.nonEmpty === true && value.length === 0)) return wrong();
      value.forEach((item, i) => validate(item, schema.items, [...path, i], issues));
      return;
    case 'object': {
      if (!isPlainObject(value)) return wrong();
      const known = Object.keys(schema.properties);
      for (const [key, item] of Object.entries(value)) {
        const property = schema.properties[key];
        if (property === undefined) {
          issues.push({ path: [...path, key], atKey: true, message: `Unknown key \`${key}\`${suggestion(key, known)}` });
        } else validate(item, property.schema, [...path, key], issues);
      }
      for (const [key, property] of Object.entries(schema.properties)) {
        if (property.required === true && !(key in value)) {
          issues.push({ path, message: `Missing required key \`${key}\` (${property.schema.expected})` });
        }
      }
      return;
    }
    case 'map':
      if (!isPlainObject(value)) return wrong();
      for (const [key, item] of Object.entries(value)) {
        if (schema.keyPattern !== undefined && !schema.keyPattern.test(key)) {
          issues.push({ path: [...path, key], atKey: true, message: expectedMessage([...path, key], schema.keyExpected ?? 'a valid name', key) });
        }
        validate(item, schema.values, [...path, key], issues);
      }
      return;
    case 'union': {
      // Report the issues of the first option of the value's own shape (an
      // array's bad item, not "expected a or b"); fall back to the union's text.
      let firstOfShape: SchemaIssue[] | undefined;
      for (const option of schema.options) {
        const trial: SchemaIssue[] = [];
        validate(value, option, path, trial);
        if (trial.length === 0) return;
        if (firstOfShape === undefined && shapeOf(option) === typeName(value)) firstOfShape = trial;
      }
      if (firstOfShape !== undefined && !firstOfShape.every((i) => i.path.length === path.length)) {
        issues.push(...firstOfShape);
        return;
      }
      return wrong();
    }
    case 'custom':
      schema.check(value, path, issues);
      return;
  }
}
