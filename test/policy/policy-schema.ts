import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { DEFAULT_ORIGINS, DEFAULT_PHASES, EXEMPT_PHASES, POLICY_SCHEMA, POLICY_SCHEMA_FILE, RULE_PROPERTIES } from '../../harness/policy/policy-schema.js';
import { parsePolicyFile } from '../../harness/policy/parse-policy-file.js';
import { newAjv, SCHEMA_TARGETS } from '../../scripts/schema-validators.js';
import { positionOf } from '../fixtures/policy/policy-files.js';
import { keysWithoutExpected } from '../fixtures/schema/schema-walk.js';

const definitions = POLICY_SCHEMA['definitions'] as Record<string, { properties: Record<string, unknown> }>;
const propertiesOf = (schema: unknown): Record<string, { default?: unknown; description?: string }> =>
  (schema as { properties: Record<string, { default?: unknown; description?: string }> }).properties;

t.test('defaults', async (t) => {
  t.same(EXEMPT_PHASES, ['configure']);
  t.notOk(DEFAULT_PHASES.includes('configure'));
  t.equal(DEFAULT_PHASES.length, 9);
  t.same(DEFAULT_ORIGINS, ['runcmd']);
  t.equal(RULE_PROPERTIES['enabled']?.['default'], true);
  t.same(RULE_PROPERTIES['exceptions']?.['default'], []);
  const required = definitions['rule'] as unknown as { required: string[] };
  for (const [key, property] of Object.entries(propertiesOf(definitions['rule']))) {
    t.ok(required.required.includes(key) || 'default' in property, `${key} is required or has a default`);
    t.ok((property.description ?? '').length > 0, `${key} is described`);
  }
});

t.test('every subschema that can refuse a value says what a valid one is (x-expected)', async (t) => {
  t.same(keysWithoutExpected(POLICY_SCHEMA), []);
});

t.test('docs/policy.md documents every key of the schema', async (t) => {
  const doc = await readFile(path.join(PROJECT_ROOT, 'docs', 'policy.md'), 'utf8');
  for (const key of [
    ...Object.keys(propertiesOf(POLICY_SCHEMA)),
    ...Object.keys(propertiesOf(definitions['rule'])),
    ...Object.keys(propertiesOf(definitions['exception'])),
  ]) {
    t.ok(doc.includes(`\`${key}\``), `\`${key}\` in docs/policy.md`);
  }
  t.match(doc, `# yaml-language-server: $schema=`, 'docs/policy.md shows how an editor finds the schema');
});

t.test('the shipped schema file validates every bundled policy, and editors are pointed at it', async (t) => {
  const target = SCHEMA_TARGETS.find((s) => s.schemaFile === POLICY_SCHEMA_FILE);
  if (target === undefined) throw new Error('no policy schema target');
  const file = JSON.parse(await readFile(path.join(PROJECT_ROOT, POLICY_SCHEMA_FILE), 'utf8')) as object;
  const validate = newAjv(target).compile(file);
  const policies = (await readdir(path.join(PROJECT_ROOT, 'policies'))).filter((f) => /\.ya?ml$/.test(f));
  t.ok(policies.length >= 1);
  for (const name of policies) {
    const text = await readFile(path.join(PROJECT_ROOT, 'policies', name), 'utf8');
    t.ok(validate(parse(text)), `policies/${name} is valid by ${POLICY_SCHEMA_FILE}: ${JSON.stringify(validate.errors)}`);
    t.match(text.split('\n')[0], /^# yaml-language-server: \$schema=policy\.schema\.json$/, `policies/${name} names its schema on its first line`);
  }
  t.notOk(validate({ rules: [{ id: 'r', sevrity: 'error', title: 'T', match: { class: 'signal' } }] }), 'a typo is refused by the file alone');
  t.ok(
    validate.errors?.some((e) => e.keyword === 'additionalProperties' && e.params['additionalProperty'] === 'sevrity'),
    'named as an additional property',
  );
});

t.test('a typo in a key: where it is, and what was meant, from the JSON Schema', async (t) => {
  const source = 'policy: {name: p, version: 1}\nrules:\n  - id: r\n    sevrity: error\n    title: T\n    match: {class: signal, signal.nmber: 9}\n';
  const { problems } = parsePolicyFile(source, 'typo.yaml');
  t.match(problems, [
    { file: 'typo.yaml', path: 'rules[0]', ...positionOf(source, 'id: r'), message: 'Missing required key `severity` (one of `error`, `warning`, `info`)' },
    { file: 'typo.yaml', path: 'rules[0].sevrity', ...positionOf(source, 'sevrity'), message: 'Unknown key `sevrity`; did you mean `severity`?' },
    {
      file: 'typo.yaml',
      path: 'rules[0].match.signal.nmber',
      ...positionOf(source, 'signal.nmber'),
      message: 'Unknown field `signal.nmber`; did you mean `signal.number`?',
    },
  ]);
  t.equal(problems.length, 3);
});
