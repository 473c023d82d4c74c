/**
 * What the policy format adds to the generic schema messages: the field a
 * shared field-type schema is testing (``Expected `exit.code` to be a number
 * (`exit.code` is a number)``), and the difference between an operator that
 * does not exist and one that does not apply to the field's type.
 */
import { suggestion } from '../schema/did-you-mean.js';
import { UNKNOWN, type SchemaMessageHooks } from '../schema/schema-problems.js';
import { isPlainObject } from '../schema/schema-messages.js';
import type { PathKey } from '../schema/source-locator.js';
import { FIELDS_BY_NAME } from './event-fields.js';
import { FIELD_PLACEHOLDER, FIELD_TYPE } from './match-schema.js';
import { operatorNamed } from './policy.js';

/** The innermost field under test on `path` (`rules[0].match.exec.args.in[0]` -> `exec.args`). */
function fieldAt(path: readonly PathKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string' && FIELDS_BY_NAME.has(key)) return key;
  }
  return undefined;
}

export const POLICY_MESSAGE_HOOKS: SchemaMessageHooks = {
  expand: (text, path) => (text.includes(FIELD_PLACEHOLDER) ? text.split(FIELD_PLACEHOLDER).join(fieldAt(path) ?? 'the field') : text),
  unknownKey: (key, schema, path) => {
    if (schema[UNKNOWN] !== 'operator') return undefined;
    const allowed = Object.keys(isPlainObject(schema['properties']) ? schema['properties'] : {}).filter((k) => /^[a-z]+$/.test(k));
    if (operatorNamed(key) === undefined) return `Unknown operator \`${key}\`${suggestion(key, allowed)}`;
    const field = fieldAt(path.slice(0, -1)) ?? 'the field';
    return `Operator \`${key}\` does not apply to \`${field}\` (a ${String(schema[FIELD_TYPE])} field); use one of ${allowed.join(', ')}`;
  },
};
