import t from 'tap';
import { buildRunRequest, parseRunRequest } from '../../harness/contract/run-request.js';
import { UserError } from '../../harness/errors.js';

t.test('defaults follow the contract in images/README.md', async (t) => {
  t.same(buildRunRequest({ phase: 'preinstall', traceSyscalls: ['write', 'kill', 'kill'] }), {
    phase: 'preinstall',
    scriptName: 'script',
    controlDirectory: '/var/adm/sw/products/DRDSAFE-TEST/payload/',
    softwareSpec: 'DRDSAFE-TEST.payload,r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/',
    timeoutSeconds: 60,
    traceSyscalls: ['kill', 'write'],
    traceAll: false,
    stringLimit: 4096,
    shared: [],
    maxTraceBytes: 268435456,
    bootedArchive: false,
    untraced: false,
    interactive: false,
  });
});

t.test('shared paths are normalised and deduplicated', async (t) => {
  const r = buildRunRequest({ phase: 'postinstall', traceSyscalls: ['kill'], shared: ['/var/opt/shared/', '/var/opt/shared', '/opt//x'] });
  t.same(r.shared, ['/var/opt/shared', '/opt/x']);
});

t.test('every problem is reported at once as INPUT_INVALID', async (t) => {
  const error = (() => {
    try {
      buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill;rm'], timeoutSeconds: -1, shared: ['relative', '/', '/a/../b'] });
    } catch (e) {
      return e;
    }
  })() as UserError;
  t.equal(error.code, 'INPUT_INVALID');
  t.match(error.message, /--timeout/);
  t.match(error.message, /`relative`/);
  t.match(error.message, /`\/`/);
  t.match(error.message, /`\/a\/\.\.\/b`/);
  t.match(error.message, /kill;rm/);
});

t.test('nothing to trace is refused unless traceAll or untraced', async (t) => {
  t.throws(() => buildRunRequest({ phase: 'preinstall', traceSyscalls: [] }), { code: 'INPUT_INVALID' });
  t.equal(buildRunRequest({ phase: 'preinstall', traceSyscalls: [], traceAll: true }).traceAll, true);
  t.equal(buildRunRequest({ phase: 'preinstall', traceSyscalls: [], untraced: true }).untraced, true);
});

t.test('a built request passes the contract; one made by hand is checked field by field', async (t) => {
  const built = buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill'], shared: ['/var/opt/shared'], interactive: true });
  t.same(parseRunRequest(JSON.stringify(built)), built);
  t.throws(() => parseRunRequest(JSON.stringify({ ...built, phase: 'pre install', treeBytes: 1024, shared: ['relative'], extra: true })), {
    code: 'INPUT_INVALID',
    message:
      /^request\.json does not match the run contract: extra: not a field of the contract; phase: expected .*, got "pre install"; shared\[0\]: expected a string matching \/\^\/\.\/, got "relative"; treeBytes: must be >= 16777216, got 1024$/,
  });
});

t.test('a variant and the comparison run go in the request, held to the contract', async (t) => {
  const variant = {
    files: [{ path: '/sbin/init.d/acmeagt', content: '#!/sbin/sh\n', mode: 0o755 }],
    directories: ['/opt/acme'],
    daemons: [{ name: 'acmeagt', pidFile: '/var/run/acmeagt.pid', program: '/usr/lbin/drdsafe/acmeagt' }],
    pidFiles: [{ path: '/var/run/syslogd.pid', daemon: 'syslogd' }],
  };
  const r = buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill'], variant, outsideDrd: true });
  t.same(parseRunRequest(JSON.stringify(r)), r);
  t.notOk('outsideDrd' in buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill'], outsideDrd: false }), 'false is the default, left out');
  const bad = {
    ...r,
    variant: { ...variant, files: [{ path: 'relative', content: '', mode: 0o755 }], daemons: [{ name: '../x', pidFile: '/a/../b', program: '/p' }] },
  };
  t.throws(() => parseRunRequest(JSON.stringify(bad)), {
    code: 'INPUT_INVALID',
    message: /variant\.files\[0\]\.path.*variant\.daemons\[0\]\.name.*variant\.daemons\[0\]\.pidFile/s,
  });
});
