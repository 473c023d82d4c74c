import t from 'tap';
import { SpanCache } from '../../harness/trace/span-cache.js';

t.test('a hit needs the same text; a colliding text replaces the slot', async (t) => {
  const cache = new SpanCache<string>(4);
  const line = 'xx O_RDONLY|O_CLOEXEC yy';
  const start = 3;
  const end = start + 'O_RDONLY|O_CLOEXEC'.length;
  const slot = cache.slot(line, start, end);
  t.equal(cache.hit(slot, line, start, end), undefined);
  cache.store(slot, line.slice(start, end), 'built');
  t.equal(cache.hit(slot, line, start, end), 'built');
  t.equal(cache.hit(slot, 'O_RDONLY|O_CLOEXEC', 0, 18), 'built', 'same text elsewhere');
  t.equal(cache.hit(slot, 'O_RDONLY|O_CLOFORK', 0, 18), undefined, 'same length, different text');
  t.ok(cache.slot(line, start, end) >= 0 && cache.slot(line, start, end) < 4);
  cache.store(slot, 'other', 'replaced');
  t.equal(cache.hit(slot, line, start, end), undefined);
});
