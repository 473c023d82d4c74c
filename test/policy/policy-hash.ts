import t from 'tap';
import { policyHash } from '../../harness/policy/policy-hash.js';
import type { Policy } from '../../harness/policy/policy.js';

const policy = (over: Partial<Policy> = {}): Policy => ({
  name: 'p',
  version: '1',
  description: 'd',
  layers: [{ name: 'p', file: 'a/p.yaml' }],
  lists: new Map([
    ['b', { name: 'b', items: ['x'], at: { file: 'a/p.yaml', path: 'lists.b', line: 3 } }],
    ['a', { name: 'a', items: ['y'] }],
  ]),
  macros: new Map(),
  rules: [],
  riskyCommands: [],
  ...over,
});

t.test('stable across order of map entries, source positions and files', async (t) => {
  const a = policyHash(policy());
  t.match(a, /^sha256:[0-9a-f]{64}$/);
  const reordered = policy({
    layers: [{ name: 'p', file: 'elsewhere.yaml' }],
    lists: new Map([
      ['a', { name: 'a', items: ['y'], at: { file: 'x', path: 'y', line: 9 } }],
      ['b', { name: 'b', items: ['x'] }],
    ]),
    description: 'another description',
  });
  t.equal(policyHash(reordered), a);
});

t.test('changes with what decides findings', async (t) => {
  const a = policyHash(policy());
  t.not(policyHash(policy({ lists: new Map([['a', { name: 'a', items: ['y', 'z'] }]]) })), a);
  t.not(policyHash(policy({ version: '2' })), a);
  t.not(policyHash(policy({ name: 'q' })), a);
});
