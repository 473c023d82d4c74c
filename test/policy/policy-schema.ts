import { readFile } from 'node:fs/promises';
import t from 'tap';
import { packageRoot } from '../../harness/policy/builtin-policy.js';
import { DEFAULT_ORIGINS, DEFAULT_PHASES, EXEMPT_PHASES, exceptionSchema, policyFileSchema, ruleProperties } from '../../harness/policy/policy-schema.js';

t.test('defaults', async (t) => {
  t.same(EXEMPT_PHASES, ['configure']);
  t.notOk(DEFAULT_PHASES.includes('configure'));
  t.equal(DEFAULT_PHASES.length, 9);
  t.same(DEFAULT_ORIGINS, ['runcmd']);
  t.equal(ruleProperties['enabled']?.default, true);
  t.same(ruleProperties['exceptions']?.default, []);
  for (const [key, property] of Object.entries(ruleProperties)) {
    t.ok(property.required === true || 'default' in property, `${key} is required or has a default`);
    t.ok(property.schema.description.length > 0, `${key} is described`);
  }
});

t.test('docs/policy.md documents every key of the schema', async (t) => {
  const doc = await readFile(`${packageRoot()}docs/policy.md`, 'utf8');
  const keysOf = (schema: typeof policyFileSchema): string[] => (schema.kind === 'object' ? Object.keys(schema.properties) : []);
  for (const key of [...keysOf(policyFileSchema), ...Object.keys(ruleProperties), ...keysOf(exceptionSchema)]) {
    t.ok(doc.includes(`\`${key}\``), `\`${key}\` in docs/policy.md`);
  }
});
