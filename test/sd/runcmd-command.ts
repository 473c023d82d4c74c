import t from 'tap';
import { DRD_COMMAND, planRuncmd, refusal } from '../../harness/sd/runcmd-command.js';

t.test('the DRD-safe commands by base name or their own full path; symlinks and other paths refused', async (t) => {
  for (const c of ['swinstall', 'swremove', 'swlist', 'swmodify', 'swverify', 'swjob', 'kctune', 'update-ux', 'view', '/usr/sbin/swlist', '/usr/bin/view']) {
    t.equal(refusal(c, false), undefined, c);
  }
  t.match(refusal('ls', false), /"ls" is not DRD-safe/);
  t.match(refusal('/bin/ls', false), /not DRD-safe/);
  t.match(refusal('/tmp/swinstall', false), /not the DRD-safe command "\/usr\/sbin\/swinstall"/);
  t.match(refusal('/usr/sbin/swinstall', true), /symbolic link/);
});

t.test("refused commands go to runcmd's front end, which says so in the sandbox", async (t) => {
  const p = planRuncmd('ls', ['-l', '/']);
  t.same(p, { kind: 'front-end', argv: [DRD_COMMAND, 'runcmd', 'ls', '-l', '/'], refused: 'the command "ls" is not DRD-safe' });
  t.same(planRuncmd('kctune', ['maxuprc=4000']), { kind: 'front-end', argv: [DRD_COMMAND, 'runcmd', 'kctune', 'maxuprc=4000'] }, 'kctune runs there too');
  t.match(planRuncmd('swverify', ['-F', 'ACME']), { kind: 'front-end', refused: /fix scripts/ });
  t.match(planRuncmd('swverify', ['-x', 'fix=true', 'ACME']), { kind: 'front-end', refused: /fix scripts/ });
});

t.test('swinstall, swremove and swverify become sessions; autoreboot is ignored with a note', async (t) => {
  t.same(planRuncmd('swinstall', ['-x', 'autoreboot=true', '-s', '/var/depots/acme.depot', 'ACME', 'ACME.RUN']), {
    kind: 'session',
    command: 'swinstall',
    operation: 'install',
    source: '/var/depots/acme.depot',
    selections: ['ACME', 'ACME.RUN'],
    notes: ['-x autoreboot=true is ignored: drd runcmd suppresses all reboots'],
  });
  t.match(planRuncmd('/usr/sbin/swremove', ['ACME']), { kind: 'session', operation: 'remove', selections: ['ACME'] });
  t.match(planRuncmd('swverify', []), { kind: 'session', operation: 'verify', selections: [] });
});

t.test('what drdsafe cannot emulate is a usage error, not a refusal', async (t) => {
  t.match(planRuncmd('swinstall', ['ACME']), { kind: 'unsupported', why: /needs -s/ });
  t.match(planRuncmd('swremove', []), { kind: 'unsupported', why: /needs the software/ });
  t.match(planRuncmd('swinstall', ['-s', 'd', 'ACME', '@', 'host:/']), { kind: 'unsupported', why: /targets/ });
  t.match(planRuncmd('swinstall', ['-s', 'd', '-r']), { kind: 'unsupported', why: /-r is not emulated/ });
});
