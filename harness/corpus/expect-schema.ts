/**
 * The schema of a corpus case's `expect.yaml` (examples, golden runs, any
 * folder `drdsafe corpus` runs), as JSON Schema: the phase the script is,
 * the verdict it must get, and which rules must fire (`any-of`: at least one
 * of them; `exactly`: that set and no other). Shipped as
 * examples/expect.schema.json for editors.
 */
import { PHASES } from '../contract/run-metadata.js';
import { DRAFT_07, stringEnum, type JsonSchema } from '../schema/json-schema.js';
import { EXPECTED } from '../schema/schema-problems.js';
import { NAME_EXPECTED, NAME_PATTERN } from '../policy/match-schema.js';

export const VERDICTS = ['safe', 'unsafe', 'indeterminate'] as const;

/** Where the shipped schema file is, relative to the package root. */
export const EXPECT_SCHEMA_FILE = 'examples/expect.schema.json';

/** Keys read before `any-of` and `exactly` had their names, and what each is now. */
export const DEPRECATED_KEYS: Readonly<Record<string, string>> = { rules: 'any-of', fires: 'exactly' };

const ruleIds = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  description,
  items: { type: 'string', pattern: NAME_PATTERN.source, [EXPECTED]: `a rule id (${NAME_EXPECTED})` },
  [EXPECTED]: 'an array of rule ids',
  ...extra,
});

export const EXPECT_SCHEMA: JsonSchema = {
  $schema: DRAFT_07,
  title: 'drdsafe corpus case (expect.yaml)',
  description: "What a run of the case folder's `script` must give (docs: examples/README.md).",
  type: 'object',
  additionalProperties: false,
  required: ['phase', 'verdict'],
  properties: {
    phase: stringEnum(PHASES, 'The control script this is (SW_CONTROL_TAG).'),
    verdict: stringEnum(VERDICTS, 'The verdict the run must get.'),
    'any-of': ruleIds('At least one finding of one of these rules (empty: none required).', { default: [] }),
    exactly: ruleIds("The rules that fire, all of them and no other (a golden run's claim)."),
    shared: {
      type: 'array',
      description: 'Shared file systems for the run, as paths on the target (bind-mounted from the booted system).',
      items: { type: 'string', pattern: '^/', [EXPECTED]: 'an absolute path' },
      default: [],
      [EXPECTED]: 'an array of absolute paths',
    },
    timeout: {
      type: 'number',
      exclusiveMinimum: 0,
      description: "Seconds the script may run. Default: the run's default.",
      [EXPECTED]: 'a positive number of seconds',
    },
    explore: {
      type: 'integer',
      minimum: 0,
      description: "Branch exploration's bound on variants (0 turns exploration off). Default: `drdsafe run`'s.",
      [EXPECTED]: 'a whole number of variants (0 turns exploration off)',
    },
    compare: { type: 'boolean', description: 'The comparison run outside DRD. Default: on when exploring.', [EXPECTED]: 'true or false' },
    guarded: {
      type: 'array',
      description: 'Script lines the DRD-guard proof must show guarded (they ran only outside DRD).',
      items: { type: 'integer', minimum: 1, [EXPECTED]: 'a script line number' },
      default: [],
      [EXPECTED]: 'an array of script line numbers',
    },
    rules: ruleIds('Deprecated: `any-of`.', { deprecated: true }),
    fires: ruleIds('Deprecated: `exactly`.', { deprecated: true }),
  },
  [EXPECTED]: 'a mapping with `phase` and `verdict`',
};
