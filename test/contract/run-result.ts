import t from 'tap';
import { parseRunResult, readRunResult, toRunMetadata } from '../../harness/contract/run-result.js';
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

t.test('contract breaks are SANDBOX_FAILED and name every field', async (t) => {
  t.throws(() => parseRunResult('{'), { code: 'SANDBOX_FAILED' });
  t.throws(() => parseRunResult('null'), { code: 'SANDBOX_FAILED' });
  const error = (() => {
    try {
      parseRunResult(JSON.stringify({ schemaVersion: 1, trees: {}, daemons: 'x' }));
    } catch (e) {
      return e as Error;
    }
  })();
  t.match(error?.message, /scriptJailPath/);
  t.match(error?.message, /finished/);
  t.match(error?.message, /phaseWallMs/);
  t.match(error?.message, /trees/);
  t.match(error?.message, /daemons/);
});

t.test('a missing result.json is SANDBOX_FAILED', async (t) => {
  await t.rejects(readRunResult(`${t.testdir({})}/result.json`), { code: 'SANDBOX_FAILED' });
});
