/**
 * The container side written in Python keeps to the run contract
 * (harness/contract/): what it accepts as request.json and the defaults it
 * fills in, and the result.json it makes, checked by calling its functions
 * with the host's python3. (Every result.json a real container writes in the
 * image tests is read through the contract's checked reader as well:
 * test/fixtures/sandbox/test-session.ts.)
 */
import t from 'tap';
import { buildRunRequest, parseRunRequest } from '../../harness/contract/run-request.js';
import { parseRunResult } from '../../harness/contract/run-result.js';
import type { RunRequest } from '../../harness/contract/run-request.js';
import { callPython, callRuntime, runtimeValue } from '../fixtures/runtime/call-runtime.js';

// run-phase's own defaults for the fields the contract leaves optional (images/README.md, request.json):
// no variant of branch exploration, and the run under DRD (not the comparison run).
const RUN_PHASE_DEFAULTS = { maxOutputBytes: 64 * 1024 * 1024, treeBytes: 256 * 1024 * 1024, outsideDrd: false, variant: null };

t.test('every request the harness builds is accepted as it is', async (t) => {
  const requests: RunRequest[] = [
    buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill', 'write'] }),
    buildRunRequest({ phase: 'postinstall', traceSyscalls: [], traceAll: true, shared: ['/var/opt/shared/', '/home'], timeoutSeconds: 0.5 }),
    buildRunRequest({ phase: 'configure', traceSyscalls: [], untraced: true, interactive: true, bootedArchive: true, stringLimit: 64 }),
    buildRunRequest({ phase: 'checkremove', traceSyscalls: ['kill'], product: 'PHCO_44250', fileset: 'CORE-CMDS', maxTraceBytes: 1024 }),
    { ...buildRunRequest({ phase: 'unconfigure', traceSyscalls: ['kill'] }), maxOutputBytes: 4096, treeBytes: 16 * 1024 * 1024 },
    buildRunRequest({
      phase: 'preinstall',
      traceSyscalls: ['kill'],
      outsideDrd: true,
      variant: {
        files: [{ path: '/sbin/init.d/acmeagt', content: '#!/sbin/sh\n', mode: 0o755 }],
        directories: ['/var/opt/acme'],
        daemons: [{ name: 'acmeagt', pidFile: '/var/run/acmeagt.pid', program: '/opt/acme/bin/acmeagt' }],
        pidFiles: [{ path: '/var/run/acmeagt.pid', daemon: 'acmeagt' }],
      },
    }),
  ];
  for (const req of requests) {
    const sent = parseRunRequest(JSON.stringify(req));
    t.same(await runtimeValue('request', 'check_request', sent, 'request.json'), { ...RUN_PHASE_DEFAULTS, ...sent }, `${req.phase}: as sent`);
  }
});

t.test("run-phase's defaults are the contract's", async (t) => {
  const built = buildRunRequest({ phase: 'preinstall', traceSyscalls: [], traceAll: true });
  t.same(await runtimeValue('request', 'check_request', { phase: 'preinstall', traceAll: true }, 'request.json'), { ...RUN_PHASE_DEFAULTS, ...built });
});

t.test('a request the contract refuses is refused with its problems named', async (t) => {
  const bad = { phase: 'pre install', timeoutSeconds: 0, shared: ['relative'], scriptName: 'a/b' };
  t.throws(() => parseRunRequest(JSON.stringify(bad)), { code: 'INPUT_INVALID' });
  const answer = await callRuntime('request', 'check_request', bad, 'request.json');
  t.ok('failure' in answer, 'refused');
  if ('failure' in answer) {
    for (const field of ['phase', 'timeoutSeconds', 'shared', 'scriptName']) t.match(answer.failure, new RegExp(`\\n  ${field}: expected`), field);
  }
});

t.test('the result.json run-phase builds follows the contract, optional fields and all', async (t) => {
  for (const kind of ['traced', 'untraced-limit', 'stuck']) {
    const answer = await callPython('result_samples', 'sample', kind);
    if ('failure' in answer) throw new Error(answer.failure);
    // parseRunResult throws naming every field that breaks RUN_RESULT_SCHEMA.
    const result = parseRunResult(JSON.stringify(answer.value), `${kind}/result.json`);
    t.equal(result.schemaVersion, 1, `${kind}: read through the contract`);
    if (kind === 'traced') {
      t.equal(result.xtraceScriptAlias, '@');
      t.ok(result.daemons[0]?.schedBefore && result.daemons[0]?.schedAfter, 'scheduling states of a real process fit DaemonState');
      t.same(result.ipc?.msg, [{ key: 1129270611, id: 0 }]);
      t.equal(result.strace?.argv.at(-1), '/var/adm/sw/products/DRDSAFE-TEST/payload/preinstall');
    }
    if (kind === 'untraced-limit') {
      t.equal(result.strace, null);
      t.equal(result.xtraceScriptAlias, undefined, 'a path with a space has no alias');
      t.equal(result.ipc, undefined);
      t.equal(result.killedAtLimit?.count, 2);
      t.equal(result.daemons[0]?.schedAfter, undefined, 'a daemon gone after has no state after');
    }
    if (kind === 'stuck') t.match(result.strace, { stuck: /was killed/, messages: [/strace: /], exitCode: -9 });
  }
});
