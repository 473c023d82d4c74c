import t from 'tap';
import { parseRunResult, readRunResult, toRunMetadata } from '../../harness/contract/run-result.js';
import { ContractError } from '../../harness/contract/check-json.js';
import { sampleResult } from '../fixtures/sandbox/run-outputs.js';

t.test('a result that follows the contract becomes run.json', async (t) => {
  const result = parseRunResult(JSON.stringify(sampleResult({ limitHit: 'timeout', finished: false })));
  const meta = toRunMetadata(result, { text: 'kill 1\n', sourcePath: 's01/script' });
  t.same(meta, {
    schemaVersion: 1,
    trees: { booted: '/images/booted', inactive: '/images/inactive', shared: [], sandbox: ['/drdsafe', '/opt/drdsafe'] },
    script: { phase: 'preinstall', jailPath: '/var/adm/sw/products/DRDSAFE-TEST/payload/preinstall', sourcePath: 's01/script', text: 'kill 1\n' },
    daemons: [{ name: 'comsec', pid: 123, nsPid: 57, endpoints: ['tcp:127.0.0.1:5000'] }],
    xtraceMarker: '+drdsafe[',
    finished: false,
    limitHit: 'timeout',
  });
});

function problems(text: string): ContractError {
  try {
    parseRunResult(text, 'out/result.json');
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('parsed');
}

t.test('contract breaks are INPUT_INVALID and name the file, every field and its problem', async (t) => {
  t.throws(() => parseRunResult('{'), { code: 'INPUT_INVALID', message: /result\.json does not match the run contract: not valid JSON/ });
  t.throws(() => parseRunResult('null'), { code: 'INPUT_INVALID', message: /expected object, got null/ });
  const error = problems(JSON.stringify({ schemaVersion: 1, trees: {}, daemons: 'x' }));
  t.equal(error.file, 'out/result.json');
  t.match(error.message, /^out\/result\.json does not match the run contract: /);
  const paths = error.problems.map((p) => p.path);
  for (const field of ['scriptJailPath', 'finished', 'phaseWallMs', 'trees.booted', 'trees.inactive', 'daemons']) t.ok(paths.includes(field), field);
  t.match(
    error.problems.find((p) => p.path === 'daemons'),
    { message: 'expected array, got "x"' },
  );
  t.match(
    error.problems.find((p) => p.path === 'finished'),
    { message: 'missing' },
  );
});

t.test('a wrong value deep inside is named by its path, with what was there', async (t) => {
  const result = sampleResult();
  const daemons = [{ ...(result.daemons as object[])[0], pid: 'x', schedBefore: { nice: 0 } }];
  const error = problems(JSON.stringify({ ...result, daemons, strace: { argv: ['strace'], exitCode: 'no' }, extra: 1 }));
  t.same(
    error.problems.filter((p) => p.path.startsWith('daemons') || p.path.startsWith('strace') || p.path === 'extra'),
    [
      { path: 'extra', message: 'not a field of the contract' },
      { path: 'daemons[0].pid', message: 'expected integer, got "x"' },
      { path: 'daemons[0].schedBefore.policy', message: 'missing' },
      { path: 'daemons[0].schedBefore.rtPriority', message: 'missing' },
      { path: 'daemons[0].schedBefore.cpus', message: 'missing' },
      { path: 'daemons[0].schedBefore.ioPriority', message: 'missing' },
      { path: 'daemons[0].schedBefore.limits', message: 'missing' },
      { path: 'strace.exitCode', message: 'expected integer or null, got "no"' },
    ],
  );
  t.throws(() => parseRunResult(JSON.stringify({ ...result, schemaVersion: 2 })), { message: /schemaVersion: expected 1, got 2/ });
  t.throws(() => parseRunResult(JSON.stringify({ ...result, phase: 'install' })), { message: /phase: expected "checkinstall" or .* got "install"/ });
});

t.test('null where the contract allows it: strace of an untraced run, killedAtLimit', async (t) => {
  const result = parseRunResult(JSON.stringify(sampleResult({ strace: null, untraced: true, killedAtLimit: { count: 3, processes: [] } })));
  t.equal(result.strace, null);
  t.equal(result.killedAtLimit?.count, 3);
});

t.test('a missing result.json reads as none; a broken one is an error', async (t) => {
  const dir = t.testdir({ 'result.json': '{"schemaVersion": 1' });
  t.equal(await readRunResult(`${dir}/none.json`), undefined);
  await t.rejects(readRunResult(`${dir}/result.json`), { code: 'INPUT_INVALID', file: `${dir}/result.json` });
});
