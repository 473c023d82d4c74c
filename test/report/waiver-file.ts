import t from 'tap';
import path from 'node:path';
import { FileProblemsError, UserError } from '../../harness/errors.js';
import { parseWaivers, readWaiverFile } from '../../harness/report/waiver-file.js';
import { positionOf } from '../fixtures/policy/policy-files.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');

const waiver = (over: Record<string, string> = {}): string => {
  const w = { rule: 'illegal-kill', fingerprint: '0123456789abcdef', reason: 'the helper is ours', owner: 'jane@example.com', expires: '2026-06-30', ...over };
  return `  - ${Object.entries(w)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n    ')}\n`;
};

function problemsOf(source: string, now = NOW): FileProblemsError {
  try {
    parseWaivers(source, 'w.yaml', now);
  } catch (error) {
    if (error instanceof FileProblemsError) return error;
    throw error;
  }
  throw new Error('no problem found');
}

t.test('a valid file: each waiver with where it is written', async (t) => {
  const source = `waivers:\n${waiver()}${waiver({ rule: 'booted-write', fingerprint: 'fedcba9876543210', expires: '2026-06-15' })}`;
  const set = parseWaivers(source, 'w.yaml', NOW);
  t.equal(set.file, 'w.yaml');
  t.match(set.waivers, [
    { rule: 'illegal-kill', fingerprint: '0123456789abcdef', owner: 'jane@example.com', expires: '2026-06-30', file: 'w.yaml', line: 2, col: 5 },
    { rule: 'booted-write', expires: '2026-06-15', line: 7 },
  ]);
  t.same(parseWaivers('waivers: []\n', 'w.yaml', NOW).waivers, [], 'an empty list is fine');
});

t.test('a malformed file: every problem at once, at its line and column, with a did-you-mean', async (t) => {
  const source = `waivers:\n  - rule: illegal-kill\n    fingerprnt: 0123456789abcdef\n    reason: ""\n    owner: jane\n    expires: 30/06/2026\n  - rule: Illegal_Kill\n    fingerprint: 0123\n    reason: r\n    owner: o\n    expires: 2026-02-30\n`;
  const error = problemsOf(source);
  t.equal(error.code, 'INPUT_INVALID');
  t.equal(error.exitCode, 2);
  t.match(error.message, /^invalid waiver file: w\.yaml:2:5 \(\+\d+ more\)$/);
  t.match(error.problems, [
    {
      path: 'waivers[0]',
      ...positionOf(source, 'rule: illegal-kill'),
      message: 'Missing required key `fingerprint` (a fingerprint (16 lower-case hex digits, as reports show it))',
    },
    { path: 'waivers[0].fingerprnt', ...positionOf(source, 'fingerprnt'), message: 'Unknown key `fingerprnt`; did you mean `fingerprint`?' },
    { path: 'waivers[0].reason', message: 'Expected `reason` to be a non-empty string, got `` (string)' },
    { path: 'waivers[0].expires', message: 'Expected `expires` to be a date, `YYYY-MM-DD`, got `30/06/2026` (string)' },
    { path: 'waivers[1].rule', ...positionOf(source, 'Illegal_Kill'), message: /^Expected `rule` to be a rule id/ },
    { path: 'waivers[1].fingerprint', message: /^Expected `fingerprint` to be a fingerprint \(16 lower-case hex digits/ },
  ]);
  t.equal(error.problems.length, 6, 'the real-day check waits until the schema holds');
  t.match(problemsOf(`waivers:\n${waiver({ expires: '2026-02-30' })}`).problems, [
    { path: 'waivers[0].expires', line: 6, message: 'Expected `expires` to be a real day, got `2026-02-30`' },
  ]);
  t.match(problemsOf(`waivers:\n${waiver()}${waiver({ reason: 'again' })}`).problems, [
    { path: 'waivers[1]', line: 7, message: 'The finding `illegal-kill` 0123456789abcdef is waived twice (also at line 2)' },
  ]);
  t.match(problemsOf('waiver: []\n').problems, [
    { message: 'Missing required key `waivers` (an array of waivers)' },
    { message: 'Unknown key `waiver`; did you mean `waivers`?' },
  ]);
  t.match(problemsOf('waivers: [\n').problems, [{ file: 'w.yaml', line: 2, message: /\(BAD_INDENT|UNEXPECTED_FLOW|MISSING_CHAR|[A-Z_]+\)$/ }], 'YAML syntax');
});

t.test('an expired waiver stops the run: named, where it is, and whose it is', async (t) => {
  const source = `waivers:\n${waiver({ expires: '2026-06-14' })}${waiver({ fingerprint: '1111111111111111', expires: '2026-06-15' })}`;
  const error = problemsOf(source);
  t.equal(error.exitCode, 2);
  t.equal(error.message, 'expired waiver: w.yaml:2:5');
  t.same(error.problems, [
    {
      file: 'w.yaml',
      path: 'waivers[0]',
      line: 2,
      col: 5,
      message: 'The waiver of `illegal-kill` 0123456789abcdef, owned by jane@example.com, expired on 2026-06-14',
    },
  ]);
  t.match(error.hint, /renew/);
  t.equal(parseWaivers(source, 'w.yaml', Date.parse('2026-06-13T23:59:59Z')).waivers.length, 2, 'the day before, both hold');
  t.equal(
    problemsOf(source, Date.parse('2026-06-16T00:00:00Z')).message,
    '2 expired waivers: w.yaml:2:5 (+1 more)',
    'the last day holds; the next one does not',
  );
});

t.test('the file: relative to the working directory, missing is INPUT_NOT_FOUND', async (t) => {
  const dir = t.testdir({ 'w.yaml': `waivers:\n${waiver()}` });
  t.equal((await readWaiverFile('w.yaml', { cwd: dir, now: () => NOW })).waivers.length, 1);
  const error = await readWaiverFile('nope.yaml', { cwd: dir }).catch((e: unknown) => e);
  t.type(error, UserError);
  t.match(error, { code: 'INPUT_NOT_FOUND', message: 'waiver file not found: nope.yaml' });
  t.match(await readWaiverFile(path.join(dir, '.'), {}).catch((e: unknown) => e), { code: 'INPUT_INVALID' });
});
