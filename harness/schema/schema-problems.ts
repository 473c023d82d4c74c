/**
 * Turns what an ajv validator reports into drdsafe's own problem messages.
 * ajv says `must be string` about `/rules/0/severity`; a user is told
 * ``Expected `severity` to be one of `error`, `warning`, `info`, got `fatal`
 * (string)``, and ``Unknown key `sevrity`; did you mean `severity`?``.
 *
 * The schemas carry what the messages need beside JSON Schema's own keywords
 * (ajv is told to ignore them, editors ignore them too):
 *
 * - `x-expected`: what a valid value is, for ``Expected `x` to be <this>``. It
 *   goes on every subschema with a keyword that can fail (a test checks that).
 * - `x-unknown`: what an unknown key of a mapping is called (`key` when absent:
 *   ``Unknown field `signal.nmber` ``).
 *
 * The validators are generated with `verbose` (scripts/schema-validators.ts),
 * so each error carries the subschema that failed and the value it failed on.
 */
import type { ErrorObject } from 'ajv';
import { suggestion } from './did-you-mean.js';
import { expectedMessage, isPlainObject, showValue, type SchemaIssue } from './schema-messages.js';
import type { PathKey } from './source-locator.js';

export const EXPECTED = 'x-expected';
export const UNKNOWN = 'x-unknown';
/** Keywords of ours that ajv must accept and ignore. */
export const ANNOTATION_KEYWORDS: readonly string[] = [EXPECTED, UNKNOWN];

/** A validator as ajv generates it (standalone, `verbose`). */
export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
}

type Schema = Readonly<Record<string, unknown>>;

/** What a format adds to the generic wording. */
export interface SchemaMessageHooks {
  /** Fills placeholders of an `x-expected` text for the value at `path`. Default: the text as it is. */
  readonly expand?: (text: string, path: readonly PathKey[]) => string;
  /** The message for an unknown key, when the format words it its own way; undefined for the generic one. */
  readonly unknownKey?: (key: string, schema: Schema, path: readonly PathKey[]) => string | undefined;
}

function asSchema(value: unknown): Schema {
  return isPlainObject(value) ? value : {};
}

/** `/rules/0/match` as path keys, array indices as numbers (read from the value itself). */
function pathOf(pointer: string, root: unknown): PathKey[] {
  const path: PathKey[] = [];
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(part);
      path.push(index);
      value = value[index];
    } else {
      path.push(part);
      value = isPlainObject(value) ? value[part] : undefined;
    }
  }
  return path;
}

function oneOfText(values: readonly unknown[]): string {
  return values.length === 1 ? `\`${showValue(values[0])}\`` : `one of ${values.map((v) => `\`${showValue(v)}\``).join(', ')}`;
}

/** Every issue of the value the validator last refused, worded for people and in document order of paths. */
export function schemaIssues(errors: readonly ErrorObject[], root: unknown, hooks: SchemaMessageHooks = {}): SchemaIssue[] {
  const expand = hooks.expand ?? ((text: string) => text);
  const expectedOf = (schema: Schema, path: readonly PathKey[], fallback: string): string => {
    const text = schema[EXPECTED];
    return typeof text === 'string' ? expand(text, path) : fallback;
  };
  // A value of the wrong type gets its type problem alone (not also "not one of" or "does not match").
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: SchemaIssue): void => {
    const key = `${issue.path.join('\0')}\0${issue.atKey === true}\0${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  for (const e of errors) {
    // `if` only says which branch failed; that branch's own errors say how. A property name's
    // own check is reported once, by `propertyNames`, at the key.
    if (e.keyword === 'if' || (e.propertyName !== undefined && e.keyword !== 'propertyNames')) continue;
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    const path = pathOf(e.instancePath, root);
    const schema = asSchema(e.parentSchema);
    const data: unknown = e.data;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params['additionalProperty']);
        const at = [...path, key];
        const known = Object.keys(asSchema(schema['properties']));
        const label = typeof schema[UNKNOWN] === 'string' ? schema[UNKNOWN] : 'key';
        push({ path: at, atKey: true, message: hooks.unknownKey?.(key, schema, at) ?? `Unknown ${label} \`${key}\`${suggestion(key, known)}` });
        break;
      }
      case 'required': {
        const key = String(e.params['missingProperty']);
        const property = asSchema(asSchema(schema['properties'])[key]);
        const expected = property[EXPECTED];
        push({ path, message: `Missing required key \`${key}\`${typeof expected === 'string' ? ` (${expand(expected, [...path, key])})` : ''}` });
        break;
      }
      case 'propertyNames': {
        const key = String(e.params['propertyName']);
        const at = [...path, key];
        push({ path: at, atKey: true, message: expectedMessage(at, expectedOf(asSchema(schema['propertyNames']), at, 'a valid name'), key) });
        break;
      }
      case 'enum':
      case 'const': {
        const allowed = e.keyword === 'enum' ? (e.params['allowedValues'] as unknown[]) : [e.params['allowedValue']];
        const near =
          typeof data === 'string'
            ? suggestion(
                data,
                allowed.filter((v): v is string => typeof v === 'string'),
              )
            : '';
        push({ path, message: expectedMessage(path, expectedOf(schema, path, oneOfText(allowed)), data) + near });
        break;
      }
      default:
        push({ path, message: expectedMessage(path, expectedOf(schema, path, e.message ?? e.keyword), data) });
    }
  }
  return issues;
}
