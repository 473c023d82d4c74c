/**
 * The one schema of a policy file, as JSON Schema: every key, what it holds,
 * its default. Validation (the validator generated from it), normalisation
 * (normalize-layer.ts reads the defaults), editors (policies/policy.schema.json)
 * and docs/policy.md follow it.
 */
import { PHASES, type Phase } from '../contract/run-metadata.js';
import { GROUND_EVIDENCE } from '../model/event-classes/ground-evidence.js';
import type { ProcessOrigin } from '../model/model-event.js';
import { boolean, DRAFT_07, NON_EMPTY_PATTERN, nonEmptyString, stringEnum, type JsonSchema } from '../schema/json-schema.js';
import { EXPECTED } from '../schema/schema-problems.js';
import { MATCH_REF, matchDefinitions, NAME_EXPECTED, NAME_PATTERN } from './match-schema.js';
import { RISKY_COMMANDS_SCHEMA } from './risky-commands.js';

/** Phases no rule applies to unless it lists them: configure runs on the booted clone, not in runcmd (DRD-Safe Concepts 2). */
export const EXEMPT_PHASES: readonly Phase[] = ['configure'];
export const DEFAULT_PHASES: readonly Phase[] = PHASES.filter((p) => !EXEMPT_PHASES.includes(p));
export const DEFAULT_ORIGINS: readonly ProcessOrigin[] = ['runcmd'];
export const DEFAULT_MESSAGE = '{title}: {target}';
export const SEVERITIES = ['error', 'warning', 'info'] as const;
/** `confirm: class`: a finding is held against the evidence of its event's class (harness/model/event-classes/). */
export const BY_CLASS = 'class';
const ORIGINS = ['runcmd', 'booted', 'sandbox', 'outside'] as const;

/** Where the shipped schema file is, relative to the package root. */
export const POLICY_SCHEMA_FILE = 'policies/policy.schema.json';

const NAME = NAME_PATTERN.source;
const name = (description: string): JsonSchema => ({ type: 'string', pattern: NAME, description, [EXPECTED]: NAME_EXPECTED });
const match = (description: string): JsonSchema => ({ $ref: MATCH_REF, description, [EXPECTED]: 'a match mapping' });

const severity = (description: string): JsonSchema => stringEnum(SEVERITIES, description);

const listItems: JsonSchema = {
  description: 'The items of a list (strings, or numbers kept as text), or `{file: PATH}`: the file that holds them.',
  type: ['array', 'object'],
  [EXPECTED]: 'an array of strings or numbers, or `{file: PATH}`',
  if: { type: 'array' },
  then: {
    type: 'array',
    [EXPECTED]: 'an array of strings or numbers, or `{file: PATH}`',
    items: {
      type: ['string', 'number'],
      [EXPECTED]: 'a string or a number',
      if: { type: 'string' },
      then: { type: 'string', pattern: NON_EMPTY_PATTERN, [EXPECTED]: 'a string or a number' },
    },
  },
  else: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: {
      file: nonEmptyString(
        'The file, relative to this policy file: one item a line (`#` starts a comment), or a YAML or JSON sequence (`.yaml`, `.yml`, `.json`).',
      ),
      select: nonEmptyString(
        'For a YAML or JSON file: the dotted keys that lead to the items (`commands.path`: the `path` of every entry of `commands`); a sequence met on the way is walked item by item.',
      ),
    },
    [EXPECTED]: 'a mapping with `file` (and optionally `select`)',
  },
};

const exceptions: JsonSchema = {
  type: 'array',
  description: 'Named cases the rule does not fire for.',
  items: { $ref: '#/definitions/exception' },
  default: [],
  [EXPECTED]: 'an array of exceptions',
};

const exception: JsonSchema = {
  type: 'object',
  description: 'A named case the rule does not fire for.',
  additionalProperties: false,
  required: ['name', 'match'],
  properties: {
    name: name('Name of the exception, unique within its rule.'),
    description: nonEmptyString('Why the case is safe.', { default: '' }),
    match: match('When the exception holds.'),
  },
  [EXPECTED]: 'an exception mapping with `name` and `match`',
};

const phases: JsonSchema = {
  description: 'Phases the rule applies to, or `all` (which includes `configure`).',
  type: ['string', 'array'],
  default: DEFAULT_PHASES,
  [EXPECTED]: '`all` or an array of phases',
  if: { type: 'string' },
  then: { type: 'string', enum: ['all'], [EXPECTED]: '`all` or an array of phases' },
  else: { type: 'array', minItems: 1, items: stringEnum(PHASES, 'A phase.'), [EXPECTED]: 'a non-empty array of phases' },
};

/** The keys of a rule, each with its description and, when optional, its default. */
export const RULE_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  id: name('Stable rule id; reports, corpora and `disable` use it.'),
  severity: severity('How bad a finding is: `error` makes the verdict unsafe.'),
  title: nonEmptyString('A short title.'),
  reference: nonEmptyString('The specification section the rule enforces, e.g. `DRD-Safe Concepts 3.1.1`.', { default: '' }),
  description: nonEmptyString('What the rule catches and why, including whether failed calls count.', { default: '' }),
  enabled: boolean('Whether the rule runs.', { default: true }),
  gap: boolean('What the rule finds is also a capture gap: the verdict is then never `safe` (`indeterminate` unless an error finding makes it `unsafe`).', {
    default: false,
  }),
  origins: {
    type: 'array',
    description: 'Origins of the acting process the rule applies to.',
    minItems: 1,
    items: stringEnum(ORIGINS, 'An origin.'),
    default: DEFAULT_ORIGINS,
    [EXPECTED]: 'a non-empty array of origins',
  },
  phases,
  match: match('When the rule fires: field tests, all of which must hold, and `all`/`any`/`not`/`macro`.'),
  exceptions,
  message: nonEmptyString('Message template; `{field}` quotes an event field, `{target}` what was acted on.', { default: DEFAULT_MESSAGE }),
  confirm: stringEnum(
    [BY_CLASS, ...GROUND_EVIDENCE],
    "The sandbox evidence that confirms a finding: `booted-diff`, `witness`, `leftovers` or `none`; `class`: the evidence of the event's class.",
    { default: BY_CLASS },
  ),
};

const RULE_REQUIRED = ['id', 'severity', 'title', 'match'];

const override: JsonSchema = {
  type: 'object',
  description: 'Changes to a rule defined by an earlier layer.',
  additionalProperties: false,
  properties: {
    severity: severity('A new severity.'),
    enabled: boolean('Turn the rule on or off.'),
    exceptions,
  },
  [EXPECTED]: 'a mapping of `severity`, `enabled`, `exceptions`',
};

const header: JsonSchema = {
  type: 'object',
  description: 'Who the policy is. Required in the base file (one without `extends`).',
  additionalProperties: false,
  required: ['name', 'version'],
  properties: {
    name: name('Policy name, shown in reports.'),
    version: {
      type: ['string', 'number'],
      description: 'Policy version, shown in reports.',
      if: { type: 'string' },
      then: { type: 'string', pattern: NON_EMPTY_PATTERN, [EXPECTED]: 'a version string' },
      [EXPECTED]: 'a version string',
    },
    description: nonEmptyString('What the policy is for.', { default: '' }),
  },
  [EXPECTED]: 'a mapping with `name`, `version`, `description`',
};

const nameMap = (description: string, values: JsonSchema): JsonSchema => ({
  type: 'object',
  description,
  propertyNames: { type: 'string', pattern: NAME, [EXPECTED]: NAME_EXPECTED },
  additionalProperties: values,
  default: {},
  [EXPECTED]: 'a mapping of names',
});

/** The whole file. */
export const POLICY_SCHEMA: JsonSchema = {
  $schema: DRAFT_07,
  title: 'drdsafe policy',
  description: 'A drdsafe policy: rules that judge the events of a control script run (docs/policy.md).',
  type: 'object',
  additionalProperties: false,
  properties: {
    policy: { $ref: '#/definitions/header' },
    extends: nonEmptyString('A built-in policy name (`drd-safe`) or a path relative to this file, merged before it.'),
    lists: nameMap('Named lists of strings, used by `in`, `glob` and `regex`.', listItems),
    'append-lists': nameMap('Items appended to lists defined by an earlier layer.', listItems),
    macros: nameMap('Named match fragments, used as `macro: name`.', match('A named match fragment.')),
    rules: { type: 'array', description: 'Rules.', items: { $ref: '#/definitions/rule' }, default: [], [EXPECTED]: 'an array of rules' },
    disable: {
      type: 'array',
      description: 'Ids of rules from earlier layers to turn off.',
      items: name('A rule id.'),
      default: [],
      [EXPECTED]: 'an array of names',
    },
    overrides: nameMap('Per rule id: a new severity, enabled, or exceptions to add.', { $ref: '#/definitions/override' }),
    'risky-commands': RISKY_COMMANDS_SCHEMA,
  },
  [EXPECTED]: 'a mapping (a policy file)',
  definitions: {
    header,
    rule: {
      type: 'object',
      description: 'A rule.',
      additionalProperties: false,
      required: RULE_REQUIRED,
      properties: RULE_PROPERTIES,
      [EXPECTED]: 'a rule mapping',
    },
    exception,
    override,
    ...matchDefinitions(),
  },
};
