import t from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { createLocator, formatPath } from '../../harness/schema/source-locator.js';

const source = 'a:\n  b: [1, 2]\n  c: {d: x}\nlist:\n  - k: v\n';
const lineCounter = new LineCounter();
const locator = createLocator('f.yaml', parseDocument(source, { lineCounter }), lineCounter);

t.test('values, keys, and the nearest ancestor of what is missing', async (t) => {
  t.same(locator.position(['a', 'b', 1]), { line: 2, col: 10 });
  t.same(locator.position(['a', 'c', 'd']), { line: 3, col: 10 });
  t.same(locator.position(['a', 'c', 'd'], true), { line: 3, col: 7 });
  t.same(locator.position(['list', 0, 'k'], true), { line: 5, col: 5 });
  t.same(locator.position(['a', 'missing']), { line: 2, col: 3 }, 'the parent mapping');
  t.same(locator.position([]), { line: 1, col: 1 });
  t.same(locator.ref(['a', 'b']), { file: 'f.yaml', path: 'a.b', line: 2, col: 6 });
});

t.test('display paths', async (t) => {
  t.equal(formatPath(['rules', 2, 'match', 'signal.number', 'ne']), 'rules[2].match.signal.number.ne');
  t.equal(formatPath([]), '');
});
