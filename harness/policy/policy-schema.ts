/**
 * The one schema of a policy file: every key, what it holds, its default.
 * Validation (schema-validator.ts), normalisation (normalize-layer.ts) and
 * docs/policy.md follow it.
 */
import { PHASES, type Phase } from '../contract/run-metadata.js';
import type { ProcessOrigin } from '../model/model-event.js';
import { checkMatch, NAME_EXPECTED, NAME_PATTERN } from './match-schema.js';
import type { Property, Schema } from './schema-validator.js';
import { riskyCommandsSchema } from './risky-commands.js';

/** Phases no rule applies to unless it lists them: configure runs on the booted clone, not in runcmd (DRD-Safe Concepts 2). */
export const EXEMPT_PHASES: readonly Phase[] = ['configure'];
export const DEFAULT_PHASES: readonly Phase[] = PHASES.filter((p) => !EXEMPT_PHASES.includes(p));
export const DEFAULT_ORIGINS: readonly ProcessOrigin[] = ['runcmd'];
export const DEFAULT_MESSAGE = '{title}: {target}';
export const SEVERITIES = ['error', 'warning', 'info'] as const;
const ORIGINS = ['runcmd', 'booted', 'sandbox', 'outside'] as const;

const text = (description: string): Schema => ({ kind: 'string', description, expected: 'a non-empty string' });
const name = (description: string): Schema => ({ kind: 'string', description, expected: NAME_EXPECTED, pattern: NAME_PATTERN });
const names = (description: string): Schema => ({ kind: 'array', description, expected: `an array of names`, items: name(description) });

export const matchSchema: Schema = {
  kind: 'custom',
  description: 'Field tests, all of which must hold, and `all`/`any`/`not`/`macro` combinators.',
  expected: 'a match mapping',
  check: checkMatch,
};

const listItems: Schema = {
  kind: 'union',
  description: 'The items of a list, or the file that holds them.',
  expected: 'an array of strings or numbers, or `{file: PATH}`',
  options: [
    {
      kind: 'array',
      description: 'The items of a list.',
      expected: 'an array of strings or numbers',
      items: {
        kind: 'union',
        description: 'One item.',
        expected: 'a string or a number',
        options: [text('A string item.'), { kind: 'number', description: 'A number item (kept as text).', expected: 'a number' }],
      },
    },
    {
      kind: 'object',
      description: 'A file holding the items (list-file.ts).',
      expected: 'a mapping with `file` (and optionally `select`)',
      properties: {
        file: {
          schema: text('The file, relative to this policy file: one item a line (`#` starts a comment), or a YAML or JSON sequence (`.yaml`, `.yml`, `.json`).'),
          required: true,
        },
        select: {
          schema: text('For a YAML or JSON file: the dotted keys that lead to the items (`commands.path`: the `path` of every entry of `commands`); a sequence met on the way is walked item by item.'),
        },
      },
    },
  ],
};

export const exceptionSchema: Schema = {
  kind: 'object',
  description: 'A named case the rule does not fire for.',
  expected: 'an exception mapping with `name` and `match`',
  properties: {
    name: { schema: name('Name of the exception, unique within its rule.'), required: true },
    description: { schema: text('Why the case is safe.'), default: '' },
    match: { schema: matchSchema, required: true },
  },
};

const exceptions: Schema = { kind: 'array', description: 'Exceptions of a rule.', expected: 'an array of exceptions', items: exceptionSchema };

const severity: Schema = {
  kind: 'string',
  description: 'How bad a finding is: `error` makes the verdict unsafe.',
  expected: 'one of `error`, `warning`, `info`',
  enum: SEVERITIES,
};

const phases: Schema = {
  kind: 'union',
  description: 'Phases the rule applies to, or `all` (which includes `configure`).',
  expected: '`all` or an array of phases',
  options: [
    { kind: 'string', description: 'Every phase.', expected: '`all`', enum: ['all'] },
    {
      kind: 'array',
      description: 'Listed phases.',
      expected: 'a non-empty array of phases',
      nonEmpty: true,
      items: { kind: 'string', description: 'A phase.', expected: `one of ${PHASES.map((p) => `\`${p}\``).join(', ')}`, enum: PHASES },
    },
  ],
};

const origins: Schema = {
  kind: 'array',
  description: 'Origins of the acting process the rule applies to.',
  expected: 'a non-empty array of origins',
  nonEmpty: true,
  items: { kind: 'string', description: 'An origin.', expected: 'one of `runcmd`, `booted`, `sandbox`, `outside`', enum: ORIGINS },
};

export const ruleProperties: Readonly<Record<string, Property>> = {
  id: { schema: name('Stable rule id; reports, corpora and `disable` use it.'), required: true },
  severity: { schema: severity, required: true },
  title: { schema: text('A short title.'), required: true },
  reference: { schema: text('The specification section the rule enforces, e.g. `DRD-Safe Concepts 3.1.1`.'), default: '' },
  description: { schema: text('What the rule catches and why, including whether failed calls count.'), default: '' },
  enabled: { schema: { kind: 'boolean', description: 'Whether the rule runs.', expected: '`true` or `false`' }, default: true },
  gap: {
    schema: {
      kind: 'boolean',
      description: 'What the rule finds is also a capture gap: the verdict is then never `safe` (`indeterminate` unless an error finding makes it `unsafe`).',
      expected: '`true` or `false`',
    },
    default: false,
  },
  origins: { schema: origins, default: DEFAULT_ORIGINS },
  phases: { schema: phases, default: DEFAULT_PHASES },
  match: { schema: matchSchema, required: true },
  exceptions: { schema: exceptions, default: [] },
  message: { schema: text('Message template; `{field}` quotes an event field, `{target}` what was acted on.'), default: DEFAULT_MESSAGE },
};

const ruleSchema: Schema = { kind: 'object', description: 'A rule.', expected: 'a rule mapping', properties: ruleProperties };

const overrideSchema: Schema = {
  kind: 'object',
  description: 'Changes to a rule defined by an earlier layer.',
  expected: 'a mapping of `severity`, `enabled`, `exceptions`',
  properties: {
    severity: { schema: severity },
    enabled: { schema: { kind: 'boolean', description: 'Turn the rule on or off.', expected: '`true` or `false`' } },
    exceptions: { schema: exceptions, default: [] },
  },
};

const headerSchema: Schema = {
  kind: 'object',
  description: 'Who the policy is.',
  expected: 'a mapping with `name`, `version`, `description`',
  properties: {
    name: { schema: name('Policy name, shown in reports.'), required: true },
    version: {
      schema: {
        kind: 'union',
        description: 'Policy version, shown in reports.',
        expected: 'a version string',
        options: [text('A version.'), { kind: 'number', description: 'A version number.', expected: 'a number' }],
      },
      required: true,
    },
    description: { schema: text('What the policy is for.'), default: '' },
  },
};

const nameMap = (description: string, values: Schema): Schema => ({
  kind: 'map',
  description,
  expected: 'a mapping of names',
  keyPattern: NAME_PATTERN,
  keyExpected: NAME_EXPECTED,
  values,
});

/** The whole file. */
export const policyFileSchema: Schema = {
  kind: 'object',
  description: 'A policy file.',
  expected: 'a mapping (a policy file)',
  properties: {
    policy: { schema: headerSchema },
    extends: { schema: text('A built-in policy name (`drd-safe`) or a path relative to this file, merged before it.') },
    lists: { schema: nameMap('Named lists of strings, used by `in`, `glob` and `regex`.', listItems), default: {} },
    'append-lists': { schema: nameMap('Items appended to lists defined by an earlier layer.', listItems), default: {} },
    macros: { schema: nameMap('Named match fragments, used as `macro: name`.', matchSchema), default: {} },
    rules: { schema: { kind: 'array', description: 'Rules.', expected: 'an array of rules', items: ruleSchema }, default: [] },
    disable: { schema: names('Ids of rules from earlier layers to turn off.'), default: [] },
    overrides: { schema: nameMap('Per rule id: a new severity, enabled, or exceptions to add.', overrideSchema), default: {} },
    'risky-commands': { schema: riskyCommandsSchema, default: [] },
  },
};
