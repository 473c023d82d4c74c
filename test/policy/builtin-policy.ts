import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { ModelEvent } from '../../harness/model/model-event.js';
import { builtinPolicyDisplayName, builtinPolicyPath } from '../../harness/policy/builtin-policy.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import {
  endpoint,
  execEvent,
  exitEvent,
  fsEvent,
  pathTarget,
  processTarget,
  serveEvent,
  signalEvent,
  socketEvent,
  subjectEvent,
} from '../fixtures/policy/model-events.js';
import { runRecorded } from '../fixtures/model/run-model.js';

const compiled = compilePolicy(await loadPolicy([], { cwd: '/nonexistent' }));
const fired = (event: ModelEvent): string[] =>
  compiled
    .evaluate(event)
    .map((f) => f.rule)
    .sort();

t.test('the built-in policy is found from the package root, not the cwd', async (t) => {
  t.ok(existsSync(builtinPolicyPath('drd-safe')));
  t.equal(builtinPolicyPath('drd-safe', '/pkg'), '/pkg/policies/drd-safe.yaml');
  t.ok(existsSync(path.join(path.dirname(path.dirname(builtinPolicyPath('drd-safe'))), 'package.json')), 'the package root holds package.json');
  t.equal(builtinPolicyDisplayName('drd-safe'), 'policies/drd-safe.yaml');
});

t.test('the built-in policy has the rule ids, severities and references others depend on', async (t) => {
  const rules = new Map(compiled.rules.map((r) => [r.id, r]));
  const expected: [string, string, RegExp][] = [
    ['illegal-kill', 'error', /^DRD-Safe Concepts 3\.1\.1$/],
    ['signal-probe', 'warning', /^DRD-Safe Concepts 3\.1\.1$/],
    ['illegal-request', 'error', /^DRD-Safe Concepts 3\.1\.2$/],
    ['illegal-restart', 'error', /3\.1\.3.*4\.1/],
    ['unterminated-process', 'error', /^DRD-Safe Concepts 3\.2$/],
    ['booted-write', 'error', /^DRD-Safe Concepts 2$/],
    ['shared-write', 'error', /^DRD-Safe Concepts 2$/],
    ['jail-escape', 'error', /^DRD-Safe Concepts 2$/],
    ['kernel-change', 'error', /^DRD-Safe Concepts 2$/],
    ['process-change', 'error', /^DRD-Safe Concepts 2, 3\.1$/],
    ['unknown-command', 'info', /^DRD-Safe Concepts 2$/],
  ];
  for (const [id, severity, reference] of expected) {
    const rule = rules.get(id);
    t.ok(rule, `${id} exists`);
    t.equal(rule?.severity, severity, `${id} severity`);
    t.match(rule?.reference, reference, `${id} reference`);
    t.ok(rule?.enabled, `${id} enabled`);
    t.ok((rule?.description.length ?? 0) > 80, `${id} explains itself`);
  }
  t.equal(compiled.identity.name, 'drd-safe');
  t.match(compiled.policyHash, /^sha256:[0-9a-f]{64}$/);
  t.same(compiled.policy.warnings, [], 'the built-in policy loads without warnings');
});

t.test('built-in rules judge only the script, and never configure unless informational', async (t) => {
  for (const rule of compiled.policy.rules) {
    t.same(rule.origins, ['runcmd'], `${rule.id} applies to runcmd processes only`);
    if (rule.severity !== 'info') t.notOk(rule.phases.includes('configure'), `${rule.id} is off in configure`);
    t.ok(rule.phases.includes('preinstall') && rule.phases.includes('unconfigure'), `${rule.id} applies in runcmd phases`);
  }
});

/** The built-in policy on a recorded model fixture: each finding's rule, script line and syscall, and the first finding of `syscall`. */
async function recordedFindings(name: string, syscall: string) {
  const { events } = await runRecorded(name);
  const findings = events.flatMap((e) => compiled.evaluate(e).map((f) => [f.rule, e.location?.line, e.syscall]));
  const event = events.find((e) => e.syscall === syscall && compiled.evaluate(e).length > 0);
  return { findings, first: event === undefined ? undefined : compiled.evaluate(event)[0] };
}

t.test('process-change on a recorded trace: the booted daemon, a group holding it, every root process; never own processes', async (t) => {
  const { findings, first: finding } = await recordedFindings('process-change', 'setpriority');
  t.same(
    findings,
    [
      ['process-change', 7, 'setpriority'],
      ['process-change', 8, 'sched_setaffinity'],
      ['process-change', 9, 'sched_setscheduler'],
      ['process-change', 10, 'ioprio_set'],
      ['process-change', 11, 'prlimit64'],
      ['process-change', 12, 'setpriority'],
      ['process-change', 13, 'setpriority'],
    ],
    'lines 15-20 change the script, its child and a group of its own: no finding',
  );
  t.match(finding?.message, /^renice -n 5 -p 2 changed the priority of fixtured \(pid 2, booted daemon\)$/);
});

t.test("jail-escape on a recorded trace: a booted daemon's memory, a file by handle, a copy of the daemon's open file", async (t) => {
  const { findings, first: finding } = await recordedFindings('other-escapes', 'pidfd_getfd');
  t.same(findings, [
    ['jail-escape', 7, 'process_vm_writev'],
    ['jail-escape', 8, 'open_by_handle_at'],
    ['jail-escape', 9, 'pidfd_getfd'],
  ]);
  t.match(finding?.message, /left the jail: pidfd_getfd fd 0 \(.*\/dev\/null\) of fixtured \(pid 2, booted daemon\)$/);
});

t.test("illegal-ipc on a recorded trace: the booted daemon's queues, not the script's own", async (t) => {
  const evaluate = (events: readonly ModelEvent[]) => events.flatMap((e) => compiled.evaluate(e).map((f) => [f.rule, e.location?.line, e.syscall, f.message]));
  const { events } = await runRecorded('ipc');
  t.same(
    evaluate(events),
    [
      [
        'illegal-ipc',
        6,
        'msgsnd',
        'fixture-tool msgsend 0x44524453 (msgsnd, send) reached message queue id 0 of the booted system (there before the script ran)',
      ],
      [
        'illegal-ipc',
        7,
        'mq_timedsend',
        'fixture-tool mqsend /fixtured (mq_timedsend, send) reached POSIX message queue /fixtured of the booted system (there before the script ran)',
      ],
      [
        'illegal-ipc',
        11,
        'msgctl',
        'fixture-tool msgrm 0x44524453 (msgctl, remove) reached message queue id 0 of the booted system (there before the script ran)',
      ],
    ],
    "the private queue, semaphore set and O_EXCL queue of lines 8-10 are the script's own",
  );
  const bare = await runRecorded('ipc', ({ ipc: _ipc, ...meta }) => meta);
  t.same(
    evaluate(bare.events).map((f) => [f[0], f[1]]),
    [
      ['illegal-ipc', 6],
      ['illegal-ipc', 7],
      ['illegal-ipc', 11],
    ],
    'without the snapshot too: an owner the trace does not show is not the script',
  );
  const failed = events.filter((e) => e.syscall === 'msgsnd' && e.location?.line === 6).map((e) => ({ ...e, ok: false, errno: 'EIDRM' }));
  t.same(
    failed.flatMap((e) => compiled.evaluate(e)),
    [],
    'a failed msgsnd reached nothing',
  );
});

t.test('illegal-kill and signal-probe', async (t) => {
  const booted = processTarget('booted');
  t.same(fired(signalEvent(9, booted)), ['illegal-kill'], 'kill -9 of a booted daemon');
  t.same(fired(signalEvent(9, booted, { errno: 'ESRCH' })), ['illegal-kill'], 'a failed kill still shows intent');
  t.same(fired(signalEvent(1, processTarget('unknown'))), ['illegal-kill'], 'a pid the model does not know is not a runcmd process');
  t.same(fired(signalEvent(9, { kind: 'all' })), ['illegal-kill'], 'kill -9 -1');
  t.same(fired(signalEvent(15, { kind: 'group', pgid: 1, containsOutside: true })), ['illegal-kill'], 'a group with a booted process');
  t.same(fired(signalEvent(15, booted, { syscall: 'pidfd_send_signal' })), ['illegal-kill']);
  t.same(fired(signalEvent(0, booted)), ['signal-probe'], 'kill -0 only probes');
  t.same(fired(signalEvent(0, { kind: 'all' })), ['signal-probe']);

  t.same(fired(signalEvent(9, processTarget('runcmd'))), [], 'safe twin: killing its own child');
  t.same(fired(signalEvent(15, { kind: 'group', pgid: 0, containsOutside: false })), [], 'safe twin: own group of runcmd processes');
  t.same(fired(signalEvent(0, processTarget('runcmd'))), [], 'safe twin: probing its own child');
  t.same(fired(signalEvent(0, processTarget('sandbox'))), [], 'kill -0 $PPID: the launcher stands in for the SD agent, inside runcmd');
  t.same(fired(signalEvent(9, booted, { origin: 'booted' })), [], 'a booted daemon signalling is not the script');
  t.same(fired(signalEvent(9, booted, { origin: 'sandbox' })), [], 'the harness launcher is not the script');
});

t.test('illegal-request', async (t) => {
  t.same(fired(socketEvent('connect', endpoint())), ['illegal-request'], 'vxdctl -> unix:@vxconfigd');
  t.same(
    fired(socketEvent('sendto', endpoint({ family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69, server: 'tftpd', path: undefined }))),
    ['illegal-request'],
    'setup_tftp -> udp',
  );
  t.same(fired(socketEvent('connect', endpoint({ family: 'inet', address: '127.0.0.1', port: 2121, server: 'swagentd' }))), ['illegal-request'], 'tcp');
  t.same(
    fired(socketEvent('sendmmsg', endpoint({ family: 'inet', type: 'dgram', address: '127.0.0.1', port: 53, server: 'named', path: undefined }))),
    ['illegal-request'],
    "sendmmsg (a resolver's queries)",
  );
  t.same(fired(socketEvent('connect', endpoint({ servedBy: 'unknown', server: undefined }))), ['illegal-request'], 'an endpoint no runcmd process serves');
  t.same(fired(socketEvent('connect', endpoint({ family: 'inet' }), { errno: 'EINPROGRESS' })), ['illegal-request'], 'non-blocking connect under way');

  t.same(fired(socketEvent('connect', endpoint(), { errno: 'ECONNREFUSED' })), [], 'safe twin: a refused connect reached nothing');
  t.same(fired(socketEvent('connect', endpoint({ servedBy: 'runcmd', server: 'helper' }))), [], 'safe twin: a server the script started');
  t.same(fired(socketEvent('sendto', endpoint({ servedBy: 'none', server: undefined }))), [], 'safe twin: nothing serves it');
  t.same(fired(socketEvent('sendmsg', endpoint({ family: 'netlink', servedBy: 'unknown' }))), [], 'netlink talks to the kernel');
  t.same(fired(socketEvent('connect', endpoint(), { phase: 'configure' })), [], 'configure is exempt');
});

t.test('illegal-restart', async (t) => {
  t.same(fired(execEvent('/sbin/init.d/comsec', ['/sbin/init.d/comsec', 'start'])), ['illegal-restart'], 'init script start');
  t.same(fired(execEvent('./comsec', ['./comsec', 'reload'], { realPath: '/images/inactive/sbin/init.d/comsec' })), ['illegal-restart'], 'by real path');
  t.same(fired(execEvent('/sbin/rc2.d/S100comsec', ['/sbin/rc2.d/S100comsec', 'stop'])), ['illegal-restart'], 'rc script');
  t.same(fired(execEvent('/usr/sbin/vxdctl', ['vxdctl', 'stop'])), ['illegal-restart'], 'any command given stop');
  t.same(
    fired(execEvent('/sbin/init.d/mypkg', ['/sbin/init.d/mypkg', 'start'], { errno: 'ENOENT' })).includes('illegal-restart'),
    true,
    'a missing init script still counts',
  );
  t.same(fired(serveEvent('listen', endpoint({ servedBy: 'runcmd', server: undefined }))), ['illegal-restart'], 'a daemon listening in the jail');
  t.same(fired(serveEvent('bind', endpoint({ family: 'inet', address: '0.0.0.0', port: 2121 }), { errno: 'EADDRINUSE' })), ['illegal-restart'], 'bind attempt');

  t.same(fired(execEvent('/sbin/init.d/comsec', ['/sbin/init.d/comsec', 'start_msg'])), [], 'safe twin: start_msg only prints');
  t.same(fired(execEvent('/usr/bin/echo', ['echo', 'stop'])), [], 'safe twin: echo stop');
  t.same(fired(execEvent('/usr/bin/grep', ['grep', 'start', '/etc/rc.config.d/comsec'])), [], 'safe twin: grep start');
  t.same(fired(execEvent('/usr/sbin/lvlnboot', ['lvlnboot', '-v'])), [], 'safe twin: lvlnboot -v');
  t.same(fired(serveEvent('bind', endpoint({ family: 'inet', type: 'dgram', address: '0.0.0.0', port: 0 }))), [], 'safe twin: ephemeral port');
  t.same(fired(serveEvent('bind', endpoint({ family: 'netlink', servedBy: 'none' }))), [], 'safe twin: netlink bind by the resolver');
  t.same(fired(execEvent('/sbin/init.d/comsec', ['/sbin/init.d/comsec', 'start'], { phase: 'configure' })), [], 'configure is exempt');
});

t.test('unterminated-process', async (t) => {
  const [finding] = compiled.evaluate(exitEvent(true));
  t.equal(finding?.rule, 'unterminated-process');
  t.equal(finding?.target, 'sleep (pid 77, runcmd process)');
  t.same(fired(exitEvent(false)), [], 'safe twin: reaped before the script ended');
  t.same(fired(exitEvent(true, { origin: 'booted' })), [], 'booted daemons run on');
});

t.test('booted-write, shared-write and booted-read', async (t) => {
  for (const op of ['open-write', 'create', 'truncate', 'unlink', 'mkdir', 'chmod', 'chown', 'utimes', 'mknod', 'setxattr'] as const) {
    t.same(fired(fsEvent('fs-write', op, pathTarget('booted', '/etc/motd'))), ['booted-write'], op);
  }
  t.same(fired(fsEvent('fs-write', 'rename', pathTarget('inactive', '/tmp/x', { tree: 'booted', path: '/etc/motd' }))), ['booted-write'], 'rename into booted');
  t.same(fired(fsEvent('fs-write', 'open-write', pathTarget('booted', '/etc/motd'), { errno: 'EACCES' })), ['booted-write'], 'failed attempts count');
  t.same(fired(fsEvent('fs-write', 'create', pathTarget('shared', '/var/opt/shared/app.conf'))), ['shared-write']);
  t.same(fired(fsEvent('fs-read', 'open-read', pathTarget('booted', '/etc/passwd'))), ['booted-read']);

  t.same(fired(fsEvent('fs-write', 'create', pathTarget('inactive', '/var/opt/app/app.conf'))), [], 'safe twin: the inactive image');
  t.same(fired(fsEvent('fs-read', 'open-read', pathTarget('shared', '/var/opt/shared/app.conf'))), [], 'reading a shared file system');
  t.same(fired(fsEvent('fs-read', 'open-read', pathTarget('booted', '/etc/passwd'), { errno: 'ENOENT' })), [], 'a failed read learnt nothing');
  t.same(fired(fsEvent('fs-write', 'create', pathTarget('booted', '/etc/motd'), { phase: 'configure' })), [], 'configure is exempt');
  t.same(fired(fsEvent('fs-write', 'create', pathTarget('booted', '/etc/motd'), { origin: 'sandbox' })), [], 'the harness writes its own files');
});

t.test('jail-escape', async (t) => {
  const initRoot = { kind: 'proc-root', detail: '/proc/1/root/etc/motd', tree: 'booted' as const, target: processTarget('booted', { nsPid: 1, name: 'init' }) };
  t.same(fired(subjectEvent('jail', 'openat', initRoot)), ['jail-escape'], '/proc/1/root');
  t.same(fired(subjectEvent('jail', 'chroot', { kind: 'root', detail: '/images', tree: 'other' })), ['jail-escape']);
  t.same(fired(subjectEvent('jail', 'pivot_root', { kind: 'root', detail: '/new' }, { errno: 'EPERM' })), ['jail-escape'], 'attempts count');
  t.same(fired(subjectEvent('jail', 'setns', { kind: 'namespace', detail: 'mnt' })), ['jail-escape']);
  t.same(fired(subjectEvent('jail', 'ptrace', { kind: 'ptrace', detail: 'PTRACE_ATTACH', target: processTarget('booted') })), ['jail-escape']);
  t.same(
    fired(subjectEvent('jail', 'process_vm_writev', { kind: 'process_vm_writev', detail: '2, ...', target: processTarget('booted') }, { errno: 'EPERM' })),
    ['jail-escape'],
    "writing a booted process's memory, attempted",
  );
  t.same(
    fired(subjectEvent('jail', 'process_vm_writev', { kind: 'process_vm_writev', detail: '9, ...', target: processTarget('runcmd') })),
    [],
    "safe twin: its own child's memory",
  );
  t.same(
    fired(subjectEvent('jail', 'open_by_handle_at', { kind: 'open_by_handle_at', detail: '/images/inactive', tree: 'inactive' })),
    ['jail-escape'],
    'a handle ignores the root, whichever mount it names',
  );

  t.same(fired(subjectEvent('jail', 'ptrace', { kind: 'ptrace', detail: 'PTRACE_ATTACH', target: processTarget('runcmd') })), [], 'safe twin: its own child');
  t.same(
    fired(subjectEvent('jail', 'chroot', { kind: 'root', detail: '/images/inactive/opt/build', tree: 'inactive' })),
    [],
    'safe twin: chroot deeper inside',
  );
  t.same(fired(subjectEvent('jail', 'unshare', { kind: 'namespace', detail: 'CLONE_NEWNS' })), [], 'unshare alone');
});

t.test('kernel-change', async (t) => {
  t.same(
    fired(subjectEvent('kernel', 'openat', { kind: 'sysctl', detail: '/proc/sys/kernel/sysrq' }, { errno: 'EACCES' })),
    ['kernel-change'],
    'a failed /proc/sys write counts',
  );
  t.same(fired(subjectEvent('kernel', 'init_module', { kind: 'module', detail: 'vxfs' })), ['kernel-change']);
  t.same(fired(subjectEvent('kernel', 'mount', { kind: 'mount', detail: '/mnt' })), ['kernel-change']);
  t.same(fired(subjectEvent('kernel', 'sethostname', { kind: 'hostname', detail: 'x' }, { phase: 'configure' })), [], 'configure is exempt');
  t.same(fired(subjectEvent('kernel', 'mount', { kind: 'mount', detail: '/images/inactive/proc' }, { origin: 'sandbox' })), [], 'the harness mounts /proc');
});

t.test('unknown-command', async (t) => {
  const missing = execEvent('/usr/sbin/no_such_tool', ['/usr/sbin/no_such_tool', '-v'], { errno: 'ENOENT' });
  t.same(fired(missing), ['unknown-command']);
  t.same(fired({ ...missing, phase: 'configure' }), ['unknown-command'], 'info rules apply in configure too');
  t.same(fired(execEvent('/usr/bin/cat', ['cat', '/etc/fstab'])), [], 'safe twin: a command that exists');
  t.same(fired(execEvent('/usr/bin/cat', ['cat'], { errno: 'EACCES' })), [], 'other exec errors are not a missing command');
});

t.test('unknown-program: a program HP-UX or the package has is a gap; a name that exists nowhere stays unknown-command', async (t) => {
  const miss = (path: string, over: Parameters<typeof execEvent>[2] = {}) => execEvent(path, [path], { errno: 'ENOENT', ...over });
  t.same(fired(miss('crontab', { syscall: 'write' })), ['unknown-program'], "ksh93's `not found` of a bare name HP-UX has");
  t.same(fired(miss('/usr/sbin/useradd')), ['unknown-program'], 'an HP-UX path');
  t.same(fired(miss('/usr/bin/useradd')), ['unknown-command'], 'the same name where HP-UX has none fails there too');
  t.same(fired(miss('/opt/acme/bin/acmed')), ['unknown-program'], "an installed product's program");
  t.same(fired(miss('/var/adm/sw/products/ACME/acme/helper')), ['unknown-program'], 'a control file of an installed fileset');
  t.same(fired(miss('/sbin/init.d/acmeagt')), ['unknown-program'], 'an init script');
  t.same(
    fired({ ...miss('/usr/local/bin/acmectl'), exec: { path: '/usr/local/bin/acmectl', argv: ['acmectl'], payload: true } }),
    ['unknown-program'],
    'a program of the payload',
  );
  t.same(fired(miss('systemctl', { syscall: 'write' })), ['unknown-command'], "another system's tool");
  t.same(fired(miss('crontba', { syscall: 'write' })), ['unknown-command'], 'a typo');
  t.same(fired(execEvent('/usr/bin/crontab', ['crontab', '-l'])), [], 'a command that ran');
  t.same(
    fired(miss('/opt/acme/bin/acmed', { phase: 'configure' })),
    ['unknown-command'],
    'configure runs on the booted clone, not in runcmd: information only',
  );
  const rule = compiled.rules.find((r) => r.id === 'unknown-program');
  t.match(rule, { severity: 'warning', gap: true }, 'its findings are gaps');
  t.notOk(compiled.rules.find((r) => r.id === 'unknown-command')?.gap);
});

t.test('foreign-program: a program of the payload or HP-UX that cannot run here (Exec format error) is a gap', async (t) => {
  const noexec = (path: string, payload = false) => {
    const e = execEvent(path, [path], { errno: 'ENOEXEC' });
    return payload ? { ...e, exec: { path, argv: [path], payload: true as const } } : e;
  };
  t.same(fired(noexec('/usr/local/bin/acmectl', true)), ['foreign-program'], 'an HP-UX binary the package installed');
  t.same(fired(noexec('/opt/acme/bin/acmed')), ['foreign-program'], "an installed product's");
  t.same(fired(noexec('/tmp/junk')), [], "a file that is nobody's program");
  t.same(fired({ ...noexec('/opt/acme/bin/acmed'), phase: 'configure' }), [], 'configure is exempt');
  t.match(
    compiled.rules.find((r) => r.id === 'foreign-program'),
    { severity: 'warning', gap: true },
  );
});

t.test('booted-identity: uname -r, -v, -a, -S, also in combined flags; never -i -l -m -n -s', async (t) => {
  const uname = (...args: string[]) => fired(execEvent('/usr/bin/uname', ['uname', ...args]));
  for (const args of [['-r'], ['-v'], ['-a'], ['-S', 'newname'], ['-rs'], ['-sr'], ['-snrvm'], ['-s', '-r']]) {
    t.same(uname(...args), ['booted-identity'], `uname ${args.join(' ')}`);
  }
  for (const args of [[], ['-s'], ['-m'], ['-n'], ['-i'], ['-l'], ['-snm'], ['-x']]) t.same(uname(...args), [], `uname ${args.join(' ')}`);
  t.same(fired(execEvent('/usr/bin/echo', ['echo', '-r'])), [], 'only uname');
  const [finding] = compiled.evaluate(execEvent('/usr/bin/uname', ['uname', '-r']));
  t.match(finding, { severity: 'warning', message: 'uname -r describes the booted system, not the inactive image', location: { line: 5 } });
});

t.test('a recorded trace of commands the jail lacks', async (t) => {
  const { findings } = await recordedFindings('missing-commands', 'execve');
  t.same(findings, [
    ['unknown-program', 6, 'write'],
    ['unknown-program', 7, 'execve'],
    ['unknown-program', 8, 'execve'],
    ['unknown-program', 9, 'execve'],
    ['unknown-command', 10, 'write'],
  ]);
});

t.test('a run of unknown phase gets every rule', async (t) => {
  t.same(fired(signalEvent(9, processTarget('booted'), { phase: null })), ['illegal-kill']);
});

t.test('findings carry evidence, process, location and target', async (t) => {
  const event = signalEvent(9, processTarget('booted'));
  const [finding] = compiled.evaluate(event);
  t.match(finding, {
    rule: 'illegal-kill',
    severity: 'error',
    title: String,
    reference: 'DRD-Safe Concepts 3.1.1',
    phase: 'preinstall',
    message: 'kill -9 57 sent SIGKILL to comsec (pid 57, booted daemon)',
    event: { seq: event.seq, syscall: 'kill', line: event.line, raw: event.raw, ok: true },
    process: { pid: 1200, origin: 'runcmd' },
    location: { line: 5 },
    target: 'comsec (pid 57, booted daemon)',
  });
  t.equal(finding?.detail, event);
  const request = compiled.evaluate(socketEvent('connect', endpoint()))[0];
  t.equal(request?.target, 'unix:@vxconfigd served by vxconfigd');
  const write = compiled.evaluate(fsEvent('fs-write', 'open-write', pathTarget('booted', '/etc/motd')))[0];
  t.equal(write?.target, '/images/booted/etc/motd (booted)');
});
