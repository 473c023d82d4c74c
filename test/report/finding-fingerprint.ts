import t from 'tap';
import { findingFingerprint, normalizedTarget, withFingerprints } from '../../harness/report/finding-fingerprint.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const SCRIPT = '/var/adm/sw/products/P/F/preinstall';

t.test('what changes from run to run is taken out of the target', async (t) => {
  t.equal(normalizedTarget('comsec (pid 57, booted daemon)'), 'comsec (pid N, booted daemon)');
  t.equal(normalizedTarget('process group 41 (holds processes outside runcmd)'), 'process group N (holds processes outside runcmd)');
  t.equal(normalizedTarget('proc-fd /proc/8/fd/3 of syslogd (pid 8, booted daemon)'), 'proc-fd /proc/N/fd/3 of syslogd (pid N, booted daemon)');
  t.equal(normalizedTarget('message queue id 32768 (key 0x434f4d53) served by comsec,'), 'message queue id N (key 0x434f4d53) served by comsec,');
  t.equal(
    normalizedTarget('/images/booted/etc/rc.config.d/S100comsec (booted)'),
    '/images/booted/etc/rc.config.d/S100comsec (booted)',
    'digits of a path stay',
  );
});

t.test('the same problem has the same fingerprint; another rule, line, script or target another', async (t) => {
  const base = makeFinding('illegal-kill', 'error');
  const fp = findingFingerprint(base, SCRIPT);
  t.match(fp, /^[0-9a-f]{16}$/);
  const otherRun = {
    ...base,
    target: 'comsec (pid 91, booted daemon)',
    process: { ...base.process, pid: 4242 },
    event: { ...base.event, line: 900, raw: 'kill(91, SIGKILL) = 0' },
    location: { ...base.location!, expanded: 'kill -9 91' },
  };
  t.equal(findingFingerprint(otherRun, SCRIPT), fp, 'other pids, trace lines and expansions: the same');
  t.not(findingFingerprint({ ...base, rule: 'signal-probe' }, SCRIPT), fp);
  t.not(findingFingerprint({ ...base, location: { ...base.location!, line: 6 } }, SCRIPT), fp);
  t.not(findingFingerprint({ ...base, location: { ...base.location!, file: '/var/adm/sw/products/P/F/postinstall' } }, SCRIPT), fp);
  t.not(findingFingerprint({ ...base, target: 'syslogd (pid 57, booted daemon)' }, SCRIPT), fp);
});

t.test('a process left running: its line says which, whatever program it was when the run ended', async (t) => {
  const base = makeFinding('unterminated-process', 'error', { class: 'process-exit', syscall: 'exit' });
  const asShell = { ...base, target: 'sh (pid 48, runcmd process)' };
  const asSleep = { ...base, target: 'sleep (pid 51, runcmd process)', process: { ...base.process, exe: '/bin/sleep' } };
  t.equal(findingFingerprint(asShell, SCRIPT), findingFingerprint(asSleep, SCRIPT));
  t.not(findingFingerprint(asShell, SCRIPT), findingFingerprint({ ...asShell, process: { ...asShell.process, origin: 'booted' } }, SCRIPT));
});

t.test("a finding without a script line: the run's script, its call and program tell it apart", async (t) => {
  const { location: _location, ...lineless } = makeFinding('unterminated-process', 'error');
  const fp = findingFingerprint(lineless, SCRIPT);
  t.equal(findingFingerprint(lineless, SCRIPT), fp);
  t.not(findingFingerprint(lineless, '/var/adm/sw/products/P/F/postinstall'), fp);
  t.not(findingFingerprint({ ...lineless, event: { ...lineless.event, syscall: 'tkill' } }, SCRIPT), fp);
});

t.test('withFingerprints adds what is missing and keeps what is there', async (t) => {
  const [a, b] = withFingerprints([makeFinding('illegal-kill', 'error'), { ...makeFinding('illegal-kill', 'error'), fingerprint: 'ffffffffffffffff' }], SCRIPT);
  t.equal(a?.fingerprint, findingFingerprint(makeFinding('illegal-kill', 'error'), SCRIPT));
  t.equal(b?.fingerprint, 'ffffffffffffffff');
});
