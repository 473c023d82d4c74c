import t from 'tap';
import { expectedMessage, nameAt, showValue, typeName, validate, type Schema, type SchemaIssue } from '../../harness/policy/schema-validator.js';

const schema: Schema = {
  kind: 'object',
  description: 'a thing',
  expected: 'a thing mapping',
  properties: {
    name: { schema: { kind: 'string', description: 'n', expected: 'a kebab name', pattern: /^[a-z-]+$/ }, required: true },
    level: { schema: { kind: 'string', description: 'l', expected: 'one of `low`, `high`', enum: ['low', 'high'] } },
    count: { schema: { kind: 'number', description: 'c', expected: 'a number' } },
    tags: { schema: { kind: 'array', description: 't', expected: 'a non-empty array of strings', nonEmpty: true, items: { kind: 'string', description: 's', expected: 'a string' } } },
    mode: {
      schema: {
        kind: 'union',
        description: 'm',
        expected: '`all` or an array of modes',
        options: [
          { kind: 'string', description: 'a', expected: '`all`', enum: ['all'] },
          { kind: 'array', description: 'b', expected: 'modes', items: { kind: 'string', description: 'x', expected: 'one of `r`, `w`', enum: ['r', 'w'] } },
        ],
      },
    },
    map: { schema: { kind: 'map', description: 'm', expected: 'a mapping', keyPattern: /^[a-z]+$/, keyExpected: 'lower-case', values: { kind: 'boolean', description: 'b', expected: 'a boolean' } } },
  },
};

const issues = (value: unknown): SchemaIssue[] => {
  const out: SchemaIssue[] = [];
  validate(value, schema, [], out);
  return out;
};

t.test('helpers', async (t) => {
  t.equal(typeName(null), 'null');
  t.equal(typeName([]), 'array');
  t.equal(typeName(1), 'number');
  t.equal(showValue('x'.repeat(100)).length, 60);
  t.equal(showValue({ a: 1 }), '{"a":1}');
  t.equal(nameAt(['rules', 2, 'phases', 1]), 'phases[1]');
  t.equal(nameAt([]), 'document');
  t.equal(expectedMessage(['severity'], 'one of `a`', 'fatal'), 'Expected `severity` to be one of `a`, got `fatal` (string)');
});

t.test('a valid value has no issues', async (t) => {
  t.same(issues({ name: 'ok-name', level: 'low', count: 2, tags: ['a'], mode: 'all', map: { a: true } }), []);
  t.same(issues({ name: 'x', mode: ['r', 'w'] }), []);
});

t.test('every issue, with paths', async (t) => {
  const found = issues({ nam: 'x', level: 'hgh', count: '2', tags: [], mode: ['r', 'x'], map: { A: 1 } });
  t.same(
    found.map((i) => [i.path.join('.'), i.message, i.atKey ?? false]),
    [
      ['nam', 'Unknown key `nam`; did you mean `name`?', true],
      ['level', 'Expected `level` to be one of `low`, `high`, got `hgh` (string); did you mean `high`?', false],
      ['count', 'Expected `count` to be a number, got `2` (string)', false],
      ['tags', 'Expected `tags` to be a non-empty array of strings, got `[]` (array)', false],
      ['mode.1', 'Expected `mode[1]` to be one of `r`, `w`, got `x` (string)', false],
      ['map.A', 'Expected `A` to be lower-case, got `A` (string)', true],
      ['map.A', 'Expected `A` to be a boolean, got `1` (number)', false],
      ['', 'Missing required key `name` (a kebab name)', false],
    ],
  );
  t.same(issues({ name: 'x', mode: 3 }).map((i) => i.message), ['Expected `mode` to be `all` or an array of modes, got `3` (number)'], 'a union of no matching shape');
  t.same(issues([]).map((i) => i.message), ['Expected `document` to be a thing mapping, got `[]` (array)']);
});
