import t from 'tap';
import { parseBootedDiff, readBootedDiff } from '../../harness/contract/booted-diff.js';

t.test('a booted diff is three lists of paths from the booted root', async (t) => {
  t.same(parseBootedDiff('{"added":["/etc/x"],"modified":[],"deleted":["/var/run/comsec.pid"]}'), {
    added: ['/etc/x'],
    modified: [],
    deleted: ['/var/run/comsec.pid'],
  });
});

t.test('a malformed booted-diff.json names the file, the field and the problem', async (t) => {
  t.throws(() => parseBootedDiff('{"added":[],"modified":"x"}', 'run/booted-diff.json'), {
    code: 'INPUT_INVALID',
    file: 'run/booted-diff.json',
    message: 'run/booted-diff.json does not match the run contract: deleted: missing; modified: expected array, got "x"',
  });
  t.throws(() => parseBootedDiff('{"added":["etc/x"],"modified":[],"deleted":[]}'), {
    message: /added\[0\]: expected a string matching \/\^\/\/, got "etc\/x"/,
  });
  t.throws(() => parseBootedDiff(''), { message: /booted-diff\.json does not match the run contract: not valid JSON/ });
  const dir = t.testdir({});
  t.equal(await readBootedDiff(`${dir}/booted-diff.json`), undefined);
});
