/**
 * The HP-UX stand-ins and the booted tree, exercised from the runcmd jail of a
 * real sandbox: every signal and request a daemon receives is in the witness
 * log with the sender's pid; the clients reach the booted daemons the way the
 * real commands do; control_utils, kctune, swlist, reboot and shutdown behave
 * as images/README.md says.
 */
import t from 'tap';
import { syscallsIn } from '../fixtures/trace/collect.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { reactions, request, TestSession } from '../fixtures/sandbox/test-session.js';

const skip = await dockerSkipReason();
const DAEMONS = ['syslogd', 'inetd', 'swagentd', 'comsec', 'vxconfigd', 'tftpd', 'cron'];

t.test('stand-ins', { skip }, async (t) => {
  const s = await TestSession.start();
  t.teardown(() => s.stop());

  await t.test('every daemon records every signal with its sender', async (t) => {
    const script = `#!/sbin/sh
for d in ${DAEMONS.join(' ')}; do
  f=/var/run/$d.pid
  [ $d = syslogd ] && f=/var/run/syslog.pid
  kill -USR1 $(cat $f)
  kill -s WINCH $(cat $f)
done
echo $$
`;
    const out = await s.run(script, request('preinstall'));
    const sender = Number(out.scriptStdout.trim());
    for (const d of out.result.daemons) {
      // ksh's kill builtin follows each signal with SIGCONT (for stopped jobs): the daemons see that too,
      // once or twice (the kernel merges a second SIGCONT sent before the first was taken).
      const got = out.witness.filter((w) => w.daemon === d.name && w.event === 'signal' && w.signal !== 'SIGCONT');
      const conts = out.witness.filter((w) => w.daemon === d.name && w.signal === 'SIGCONT').length;
      t.ok(conts === 1 || conts === 2, `${d.name} got ksh's SIGCONT (${conts})`);
      t.same(
        got.map((w) => w.signal),
        ['SIGUSR1', 'SIGWINCH'],
        `${d.name} got both signals`,
      );
      t.ok(
        got.every((w) => w.senderPid === sender && w.code === 'user' && w.senderUid === 0 && w.pid === d.nsPid),
        `${d.name}: sender pid ${sender}, kill(2), as seen in the booted namespace`,
      );
      t.equal(d.aliveAfter, true, `${d.name} lives on`);
    }
    for (const w of out.witness) {
      t.ok(
        typeof w.t === 'number' && typeof w.daemon === 'string' && typeof w.pid === 'number' && typeof w.event === 'string',
        `witness line shape: ${JSON.stringify(w).slice(0, 60)}`,
      );
    }
  });

  await t.test('requests carry the peer pid, over unix, TCP and UDP', async (t) => {
    const script = `#!/sbin/sh
vxdctl mode
vxdg bootdg
exec 3<>/dev/tcp/127.0.0.1/2323
print -u3 "hello inetd"
read -u3 reply; echo "inetd: $reply"
exec 3<&-
exec 4<>/dev/tcp/127.0.0.1/2121
print -u4 "hello swagentd"
read -u4 reply; echo "swagentd: $reply"
exec 4<&-
echo "shell $$"
`;
    const out = await s.run(script, request('checkinstall'));
    t.match(out.scriptStdout, /^mode: enabled\nvg00\ninetd: ok\nswagentd: ok\nshell \d+\n$/);
    const shell = Number(/shell (\d+)/.exec(out.scriptStdout)?.[1]);
    const req = reactions(out.witness);
    t.same(
      req.map((w) => [w.daemon, w.endpoint, w.data]),
      [
        ['vxconfigd', 'unix:@vxconfigd', 'mode'],
        ['vxconfigd', 'unix:@vxconfigd', 'bootdg'],
        ['inetd', 'tcp:127.0.0.1:2323', 'hello inetd'],
        ['swagentd', 'tcp:127.0.0.1:2121', 'hello swagentd'],
      ],
    );
    t.ok(
      req.every((w) => typeof w.peerPid === 'number' && (w.peerPid as number) > 1),
      'each with a peer pid',
    );
    t.equal(req[2]?.peerPid, shell, 'the TCP peer is the shell that opened /dev/tcp');
    t.ok(out.result.daemons.every((d) => d.aliveAfter));
  });

  await t.test('the clone has its own /dev/log: the jail cannot reach the booted syslogd through it', async (t) => {
    const out = await s.run('#!/sbin/sh\n[[ -S /dev/log ]] && echo socket-node\nexec 3>/dev/log && echo reached\nexit 0\n', request('preinstall'));
    t.equal(out.scriptStdout, 'socket-node\n', 'the node was copied, but nothing listens on it');
    t.same(reactions(out.witness), []);
  });

  await t.test("a second daemon cannot take a booted daemon's port", async (t) => {
    const out = await s.run('#!/sbin/sh\n/usr/sbin/inetd\necho "rc=$?"\n', request('postinstall'));
    t.equal(out.scriptStdout, 'rc=1\n');
    t.match(out.scriptStderr, /inetd: cannot serve tcp:127\.0\.0\.1:2323: Address already in use/);
    t.same(out.result.leftovers, []);
  });

  await t.test('control_utils outside a DRD session kills by name; inside it does not', async (t) => {
    const script = `#!/sbin/sh
. /usr/lbin/sw/control_utils
echo "values $SUCCESS $FAILURE $WARNING $EXCLUDE"
kill_named_procs cron SIGUSR2
echo "drd rc=$?"
SW_SESSION_IS_DRD=0 kill_named_procs cron SIGUSR2
echo "non-drd rc=$?"
mod_systemfile /stand/system -a drdsafe_mod static
grep drdsafe_mod /stand/system
echo data >/tmp/a
cond_cp /tmp/a /tmp/b && cat /tmp/b
msg WARNING "careful"
msg NOTE "noted"
`;
    const out = await s.run(script, request('postinstall'));
    t.equal(out.scriptStdout, 'values 0 1 2 3\ndrd rc=0\nnon-drd rc=0\nmodule drdsafe_mod static\ndata\nNOTE:    noted\n');
    t.match(out.scriptStderr, /^WARNING: careful$/m);
    const sig = reactions(out.witness).filter((w) => w.signal !== 'SIGCONT');
    t.same(
      sig.map((w) => [w.daemon, w.signal]),
      [['cron', 'SIGUSR2']],
      'only the non-DRD call reached cron',
    );
    t.same(out.diff, { added: [], modified: [], deleted: [] }, 'mod_systemfile changed the inactive /stand/system only');
  });

  await t.test('kctune edits the inactive /stand/system; swlist reads the IPD', async (t) => {
    const out = await s.run('#!/sbin/sh\nkctune nproc=5000\nkctune nproc\nswlist -l product\n', request('postinstall'));
    t.notMatch(out.scriptStdout, /backup/, 'no prompt without a terminal');
    t.match(out.scriptStdout, /^nproc +5000$/m);
    t.match(out.scriptStdout, /^ {2}DynRootDisk +B\.11\.31\.A\.3\.14 +Dynamic Root Disk$/m);
    t.match(out.scriptStdout, /^ {2}OS-Core +B\.11\.31 +Core Operating System$/m);
    t.same(out.diff, { added: [], modified: [], deleted: [] });
    t.same(reactions(out.witness), []);
  });

  await t.test('kctune asks about the backup configuration on a terminal', async (t) => {
    const copy = await s.sh('rm -rf /tmp/kt && cp -a /opt/drdsafe/booted /tmp/kt');
    t.equal(copy.exitCode, 0, copy.stderr);
    const pty = 'import pty,sys; sys.exit(pty.spawn(["chroot", "/tmp/kt", "/usr/sbin/kctune", "maxuprc=4000"]) >> 8)';
    const r = await s.sh(`exec python3 -c '${pty}'`, { env: ['SW_SESSION_IS_DRD=1'], input: 'y\n' });
    t.equal(r.exitCode, 0, r.stderr);
    t.match(r.stdout, /==> Update the automatic 'backup' configuration first\?/);
    t.match(r.stdout, /WARNING: The backup behavior 'yes' is not supported in alternate/);
    const sys = await s.sh('grep maxuprc /tmp/kt/stand/system');
    t.equal(sys.stdout.trim(), 'tunable maxuprc 4000');
  });

  await t.test('reboot terminates every process, the script included', async (t) => {
    const out = await s.run('#!/sbin/sh\nreboot\necho "rc=$?"\n', request('postinstall'));
    t.equal(out.result.signal, 'SIGTERM', 'the script itself was terminated by reboot');
    t.ok(
      syscallsIn(out.trace, 'kill').some((e) => e.argsText === '-1, SIGTERM' && e.ret.value === 0),
      'kill(-1, SIGTERM) is in the trace',
    );
    t.same(
      out.result.leftovers.map((l) => l.argv),
      [['reboot']],
      'reboot, still waiting for its victims to go, is left over',
    );
    for (const d of out.result.daemons) {
      t.ok(
        out.witness.some((w) => w.daemon === d.name && w.event === 'signal' && w.signal === 'SIGTERM' && w.senderComm === 'reboot'),
        `${d.name} got SIGTERM from reboot`,
      );
      t.equal(d.aliveAfter, false, `${d.name} stopped`);
    }
    t.equal(out.result.init.aliveAfter, true);
  });

  await t.test('shutdown -y runs the stop sequence from the inactive tree', async (t) => {
    const out = await s.run('#!/sbin/sh\nshutdown -h -y\n', request('postinstall'));
    t.match(out.scriptStdout, /SHUTDOWN PROGRAM/);
    t.match(out.trace, /execve\("\/sbin\/rc2\.d\/K490tftpd", \["\/sbin\/rc2\.d\/K490tftpd", "stop"\]/, 'the K scripts of the inactive tree ran');
    for (const d of out.result.daemons) {
      t.ok(
        out.witness.some((w) => w.daemon === d.name && w.event === 'signal' && w.signal === 'SIGTERM'),
        `${d.name} got SIGTERM`,
      );
      t.equal(d.aliveAfter, false, `${d.name} stopped`);
    }
  });

  await t.test('the booted tree holds no python or perl, and every command runs in it', async (t) => {
    const r = await s.sh(`
      cd /opt/drdsafe/booted || exit 1
      find . -name 'python*' -o -name 'perl*' | head
      for c in sh ksh cat cp mv rm ls mkdir rmdir touch chmod chown ln echo printf sleep kill ps grep sed awk cut tr head tail wc date id env true false test [ sort uniq find xargs basename dirname; do
        [ -x usr/bin/$c ] || echo "missing $c"
      done
      chroot . /sbin/sh -c 'echo a b | awk "{print \\$2}" | sed s/b/ok/ | tr o O'
    `);
    t.equal(r.stdout.trim(), 'Ok', 'no interpreters, nothing missing, and a pipeline runs under chroot');
  });
});
