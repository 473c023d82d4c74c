import t from 'tap';
import { classesOf, expandValues, pathTreesOf, syscallsOf, walkTests } from '../../harness/policy/match-analysis.js';
import { EVENT_CLASSES } from '../../harness/policy/event-fields.js';
import type { MatchNode, PolicyList, PolicyMacro } from '../../harness/policy/policy.js';

const lists = new Map<string, PolicyList>([['sigs', { name: 'sigs', items: ['kill', 'tkill'] }]]);
const macros = new Map<string, PolicyMacro>([
  ['is-signal', { name: 'is-signal', match: { kind: 'test', field: 'class', op: 'eq', value: 'signal' } }],
  ['loop', { name: 'loop', match: { kind: 'macro', name: 'loop' } }],
]);
const test = (
  field: string,
  op: 'eq' | 'in' | 'ne' | 'glob' | 'exists',
  value: never | string | number | boolean | readonly string[] | { list: string },
): MatchNode => ({ kind: 'test', field, op, value }) as MatchNode;
const classes = (n: MatchNode): string[] => [...classesOf(n, macros, lists)].sort();
const syscalls = (n: MatchNode): string[] | undefined => {
  const s = syscallsOf(n, macros, lists);
  return s === undefined ? undefined : [...s].sort();
};

t.test('list expansion', async (t) => {
  t.same(expandValues({ list: 'sigs' }, lists), ['kill', 'tkill']);
  t.same(expandValues(['sigs', 'tgkill', 9], lists), ['kill', 'tkill', 'tgkill', 9]);
  t.same(expandValues({ list: 'missing' }, lists), []);
});

t.test('classes a match can meet', async (t) => {
  t.same(classes(test('class', 'eq', 'exec')), ['exec']);
  t.same(classes(test('class', 'in', ['exec', 'signal'])), ['exec', 'signal']);
  t.same(classes(test('class', 'glob', ['fs-*'])), ['fs-read', 'fs-write']);
  t.same(classes(test('signal.number', 'eq', 9)), ['signal'], 'a field only signals carry');
  t.same(classes(test('signal.number', 'exists', false)).length, EVENT_CLASSES.length, 'exists: false holds anywhere');
  t.same(classes(test('ok', 'eq', false)).length, EVENT_CLASSES.length);
  t.same(classes({ kind: 'not', of: test('class', 'eq', 'exec') }).length, EVENT_CLASSES.length, 'not is not narrowed');
  t.same(classes({ kind: 'all', of: [test('class', 'in', ['exec', 'signal']), { kind: 'macro', name: 'is-signal' }] }), ['signal']);
  t.same(classes({ kind: 'any', of: [test('class', 'eq', 'exec'), test('socket.port', 'eq', 1)] }), ['exec', 'serve', 'socket']);
  t.same(classes({ kind: 'macro', name: 'loop' }).length, EVENT_CLASSES.length, 'a cycle does not hang');
});

t.test('syscalls a match can meet', async (t) => {
  t.same(syscalls(test('syscall', 'eq', 'kill')), ['kill']);
  t.same(syscalls(test('syscall', 'in', { list: 'sigs' })), ['kill', 'tkill']);
  t.same(syscalls(test('syscall', 'glob', ['rt_sig*queueinfo'])), ['rt_sigqueueinfo']);
  t.equal(syscalls(test('syscall', 'ne', 'kill')), undefined);
  t.equal(syscalls(test('class', 'eq', 'exec')), undefined);
  t.same(syscalls({ kind: 'all', of: [test('syscall', 'in', ['kill', 'tkill']), test('syscall', 'eq', 'kill'), test('ok', 'eq', true)] }), ['kill']);
  t.same(syscalls({ kind: 'any', of: [test('syscall', 'eq', 'kill'), test('syscall', 'eq', 'ptrace')] }), ['kill', 'ptrace']);
  t.equal(syscalls({ kind: 'any', of: [test('syscall', 'eq', 'kill'), test('ok', 'eq', true)] }), undefined, 'one open branch opens the any');
  t.equal(syscalls({ kind: 'not', of: test('syscall', 'eq', 'kill') }), undefined);
});

t.test('walking tests through macros', async (t) => {
  const tree: MatchNode = {
    kind: 'all',
    of: [
      { kind: 'macro', name: 'is-signal' },
      { kind: 'not', of: test('ok', 'eq', true) },
      { kind: 'macro', name: 'loop' },
    ],
  };
  t.same(
    [...walkTests(tree, macros)].map((x) => x.field),
    ['class', 'ok'],
  );
});

t.test('path trees a match can meet', async (t) => {
  const trees = (n: MatchNode): string[] | undefined => {
    const s = pathTreesOf(n, macros, lists);
    return s === undefined ? undefined : [...s].sort();
  };
  t.same(trees(test('path.tree', 'eq', 'booted')), ['booted']);
  t.same(trees(test('path.tree', 'in', ['booted', 'shared'])), ['booted', 'shared']);
  t.same(trees(test('path.tree', 'glob', ['s*'])), ['sandbox', 'shared']);
  t.equal(trees(test('path.tree', 'ne', 'booted')), undefined, 'a negative test does not narrow');
  t.equal(trees(test('path.second.tree', 'eq', 'booted')), undefined, 'only the target tree counts');
  t.equal(trees({ kind: 'not', of: test('path.tree', 'eq', 'booted') }), undefined);
  t.same(trees({ kind: 'all', of: [test('class', 'eq', 'fs-read'), test('path.tree', 'in', ['booted', 'shared']), test('path.tree', 'eq', 'shared')] }), [
    'shared',
  ]);
  t.same(trees({ kind: 'any', of: [test('path.tree', 'eq', 'booted'), test('path.tree', 'eq', 'other')] }), ['booted', 'other']);
  t.equal(trees({ kind: 'any', of: [test('path.tree', 'eq', 'booted'), test('class', 'eq', 'exec')] }), undefined, 'one unconstrained branch');
  t.equal(trees({ kind: 'macro', name: 'loop' }), undefined, 'a cycle does not hang');
});
