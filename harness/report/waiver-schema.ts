/**
 * The schema of a waiver file (`--waivers FILE`), as JSON Schema: each
 * waiver accepts one finding, named by its rule and fingerprint, for a
 * reason, on someone's word, until a day. Shipped as
 * policies/waivers.schema.json for editors. docs/waivers.md describes it.
 */
import { NAME_EXPECTED, NAME_PATTERN } from '../policy/match-schema.js';
import { DRAFT_07, nonEmptyString, type JsonSchema } from '../schema/json-schema.js';
import { EXPECTED } from '../schema/schema-problems.js';
import { FINGERPRINT_LENGTH } from './finding-fingerprint.js';

/** Where the shipped schema file is, relative to the package root. */
export const WAIVER_SCHEMA_FILE = 'policies/waivers.schema.json';

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const waiver: JsonSchema = {
  type: 'object',
  description: 'One finding accepted: which, why, on whose word, until when.',
  additionalProperties: false,
  required: ['rule', 'fingerprint', 'reason', 'owner', 'expires'],
  properties: {
    rule: {
      type: 'string',
      pattern: NAME_PATTERN.source,
      description: 'The rule of the finding, e.g. `illegal-kill`.',
      [EXPECTED]: `a rule id (${NAME_EXPECTED})`,
    },
    fingerprint: {
      type: 'string',
      pattern: `^[0-9a-f]{${FINGERPRINT_LENGTH}}$`,
      description: "The finding's fingerprint, as the text report (`fingerprint`), report.json or SARIF shows it.",
      [EXPECTED]: `a fingerprint (${FINGERPRINT_LENGTH} lower-case hex digits, as reports show it)`,
    },
    reason: nonEmptyString('Why the finding is accepted: what makes it safe here, or what is being done about it.'),
    owner: nonEmptyString('Who answers for the waiver: a person or team, e.g. an e-mail address.'),
    expires: {
      type: 'string',
      pattern: DATE_PATTERN,
      description:
        'The last day the waiver holds, `YYYY-MM-DD` (UTC). From the next day on, a run given this file fails until the waiver is renewed or removed.',
      [EXPECTED]: 'a date, `YYYY-MM-DD`',
    },
  },
  [EXPECTED]: 'a waiver mapping with `rule`, `fingerprint`, `reason`, `owner`, `expires`',
};

export const WAIVER_SCHEMA: JsonSchema = {
  $schema: DRAFT_07,
  title: 'drdsafe waivers',
  description: 'Findings accepted for a time, each with a reason and an owner (docs/waivers.md).',
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    waivers: { type: 'array', description: 'The waivers.', items: waiver, [EXPECTED]: 'an array of waivers' },
  },
  [EXPECTED]: 'a mapping with `waivers`',
};
