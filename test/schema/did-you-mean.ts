import t from 'tap';
import { didYouMean, editDistance, suggestion } from '../../harness/schema/did-you-mean.js';

t.test('edit distance counts swaps as one edit', async (t) => {
  t.equal(editDistance('severity', 'severity'), 0);
  t.equal(editDistance('sevrity', 'severity'), 1);
  t.equal(editDistance('sevreity', 'severity'), 1, 'adjacent swap');
  t.equal(editDistance('', 'abc'), 3);
});

t.test('suggestions are near, case-insensitive, and prefer a shared prefix', async (t) => {
  t.equal(didYouMean('sevrity', ['title', 'severity', 'match']), 'severity');
  t.equal(didYouMean('Severity', ['severity']), 'severity');
  t.equal(didYouMean('neq', ['eq', 'ne', 'lt']), 'ne');
  t.equal(didYouMean('zzzzzz', ['severity']), undefined, 'nothing close');
  t.equal(didYouMean('severity', ['severity']), undefined, 'not itself');
  t.equal(suggestion('kil', ['kill']), '; did you mean `kill`?');
  t.equal(suggestion('zzz', ['kill']), '');
});

t.test('a one-letter input is not "corrected" to another letter', async (t) => {
  t.equal(didYouMean('x', ['r', 'w']), undefined);
  t.equal(didYouMean('ww', ['w']), 'w');
});
