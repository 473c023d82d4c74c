/**
 * What a control script sees of the system from the runcmd jail of a real
 * sandbox is HP-UX 11i v3's: uname, model and getconf answer as an Integrity
 * server, ps -ef has HP-UX's columns and lists the booted system's daemons,
 * swlist lists the IPD in SD's layout, bdf and mount read /etc/mnttab, and a
 * pid file at its HP-UX name (/var/run/syslog.pid) names the booted syslogd,
 * which witnesses the signal sent to it. The stand-ins that would change the
 * running system make the call the real command makes (sethostname, mount).
 */
import t from 'tap';
import { syscallsIn } from '../fixtures/trace/collect.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { reactions, request, TestSession } from '../fixtures/sandbox/test-session.js';

const skip = await dockerSkipReason();

/** The output of each `@@ name` section of a script that prints one marker line before each command. */
function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('+drdsafe[')) continue; // the shell's xtrace of an assignment, sent to stdout by 2>&1
    const m = /^@@ (.+)$/.exec(line);
    if (m) {
      name = m[1]!;
      out.set(name, '');
    } else if (name) {
      out.set(name, out.get(name)! + line + '\n');
    }
  }
  return out;
}

t.test('HP-UX forms in the jail', { skip }, async (t) => {
  const s = await TestSession.start();
  t.teardown(() => s.stop());

  await t.test('uname, model, getconf, ps, swlist, bdf and mount answer as HP-UX 11i v3', async (t) => {
    const commands = [
      'uname -a',
      'uname -r',
      'uname',
      'uname -s',
      'uname -m',
      'uname -v',
      'uname -l',
      'uname -i',
      'uname -rs',
      'uname -n',
      'hostname',
      'model',
      'getconf KERNEL_BITS',
      'getconf HW_CPU_SUPP_BITS',
      'getconf MACHINE_MODEL',
      'getconf CPU_VERSION',
      'getconf ARG_MAX',
      'ps -ef',
      'ps -e',
      'UNIX95= ps -C syslogd -o pid=',
      'ps -o pid',
      'ps -p 1',
      'ps -p 99999',
      'UNIX95= ps -e -o pid= -o comm=',
      'swlist -l product',
      'swlist -l fileset DynRootDisk',
      'swlist -l bundle',
      'swlist -l patch',
      'swlist -l product -a revision OS-Core',
      'swlist',
      'swlist NoSuchProduct',
      'bdf',
      'bdf /var/adm/sw',
      'mount',
      'mount -v',
    ];
    const script = '#!/sbin/sh\n' + commands.map((c) => `echo "@@ ${c.replace(/"/g, '\\"')}"\n${c} 2>&1\necho "rc=$?"`).join('\n') + '\n';
    const out = await s.run(script, request('preinstall'));
    const section = sections(out.scriptStdout);
    const of = (c: string) => section.get(c) ?? '';
    const node = of('hostname').split('\n')[0]!;

    t.match(of('uname -a'), new RegExp(`^HP-UX ${node} B\\.11\\.31 U ia64 \\d+ unlimited-user license\\nrc=0\\n$`), "uname -a: HP-UX's fields in its order");
    t.equal(of('uname -r'), 'B.11.31\nrc=0\n');
    t.equal(of('uname'), 'HP-UX\nrc=0\n', 'no option is -s');
    t.equal(of('uname -s'), 'HP-UX\nrc=0\n');
    t.equal(of('uname -m'), 'ia64\nrc=0\n');
    t.equal(of('uname -v'), 'U\nrc=0\n');
    t.equal(of('uname -l'), 'unlimited-user license\nrc=0\n');
    t.match(of('uname -i'), /^\d+\nrc=0\n$/);
    t.equal(of('uname -rs'), 'HP-UX B.11.31\nrc=0\n', "several options in -a's order");
    t.equal(of('uname -n'), `${node}\nrc=0\n`);
    t.match(of('model'), /^ia64 hp server \S+\nrc=0\n$/, 'model: an Integrity model string');
    t.equal(of('getconf KERNEL_BITS'), '64\nrc=0\n');
    t.equal(of('getconf HW_CPU_SUPP_BITS'), '64\nrc=0\n');
    t.equal(of('getconf MACHINE_MODEL'), of('model'), 'getconf MACHINE_MODEL prints what model prints');
    t.equal(of('getconf CPU_VERSION'), '768\nrc=0\n');
    t.match(of('getconf ARG_MAX'), /^\d+\nrc=0\n$/, 'other names as the C library answers them');

    const psef = of('ps -ef').split('\n');
    t.equal(psef[0], '     UID   PID  PPID  C    STIME TTY       TIME COMMAND', "ps -ef: HP-UX's heading");
    const rows = psef.slice(1).filter((l) => l && !l.startsWith('rc='));
    const fields = (l: string) => l.trim().split(/\s+/);
    const syslogd = rows.find((l) => fields(l)[7] === '/usr/sbin/syslogd');
    t.ok(syslogd, 'the booted syslogd is listed, with its options');
    t.match(syslogd, /^ {4}root +\d+ +1 +0 \d\d:\d\d:\d\d \? +\d+:\d\d \/usr\/sbin\/syslogd -D$/, 'UID PID PPID C STIME TTY TIME COMMAND');
    for (const d of ['/sbin/init', '/usr/sbin/inetd', '/usr/sbin/swagentd', '/usr/sbin/comsec', '/sbin/vxconfigd', '/usr/lbin/tftpd', '/usr/sbin/cron'])
      t.ok(
        rows.some((l) => fields(l)[7] === d),
        `${d} is in ps -ef (awk's $8)`,
      );
    const pid = out.result.daemons.find((d) => d.name === 'syslogd')!.nsPid;
    t.equal(Number(fields(syslogd!)[1]), pid, "awk's $2 is the pid the jail signals");
    t.equal(of('ps -e').split('\n')[0], '   PID TTY       TIME COMMAND');
    t.ok(
      of('ps -e')
        .split('\n')
        .some((l) => /^ +\d+ \? +\d+:\d\d syslogd$/.test(l)),
      'ps -e: the command name',
    );
    t.equal(of('UNIX95= ps -C syslogd -o pid=').trim().split('\n')[0]?.trim(), String(pid), 'UNIX95= ps -C name -o pid=');
    t.match(of('ps -o pid'), /^ps: illegal option -- o\n[\s\S]*rc=1\n$/, 'without UNIX95, -o is refused as HP-UX refuses it');
    t.match(of('ps -p 1'), /^ {3}PID TTY {7}TIME COMMAND\n {5}1 \? +\d+:\d\d init\nrc=0\n$/);
    t.match(of('ps -p 99999'), /rc=1\n$/, 'ps -p of no process fails');
    t.match(of('UNIX95= ps -e -o pid= -o comm='), new RegExp(`^ +${pid} syslogd$`, 'm'));

    const header = '# Initializing...\n# Contacting target "' + node + '"...\n#\n# Target:  ' + node + ':/\n#\n\n';
    t.ok(of('swlist -l product').startsWith(header), "swlist: SD's header");
    t.match(of('swlist -l product'), /^ {2}OS-Core +B\.11\.31 +Core Operating System$/m);
    t.match(of('swlist -l product'), /^ {2}SW-DIST +B\.11\.31\.\d+ +HP-UX Software Distributor$/m);
    t.match(of('swlist -l product'), /^ {2}DynRootDisk +B\.11\.31\.A\.3\.14 +Dynamic Root Disk$/m);
    t.match(of('swlist -l product'), /^ {2}PHKL_\d+ +1\.0 +/m, 'patches are products');
    t.match(
      of('swlist -l fileset DynRootDisk'),
      /^# DynRootDisk +B\.11\.31\.A\.3\.14 +Dynamic Root Disk\n {2}DynRootDisk\.DRD-ENG-A-MAN +\S+ +.+\n {2}DynRootDisk\.DRD-RUN +\S+ +.+\nrc=0\n$/m,
    );
    t.match(of('swlist -l bundle'), /^ {2}HPUX11i-BOE +B\.11\.31\.\d+ +HP-UX Base OE$/m);
    t.notMatch(of('swlist -l bundle'), /OS-Core/);
    t.match(of('swlist -l patch'), /^# PHKL_\d+ +1\.0 +.+\n {2}PHKL_\d+\.CORE-KRN +1\.0 +applied$/m);
    t.match(of('swlist -l product -a revision OS-Core'), /^ {2}OS-Core +B\.11\.31\nrc=0\n$/m);
    t.match(of('swlist'), /^#\n# Bundle\(s\):\n#\n\n/m, 'no option: the bundles');
    t.match(of('swlist NoSuchProduct'), /ERROR: +Software "NoSuchProduct" was not found on host "[^"]+:\/"\.\nrc=1\n$/, 'an unknown selection is an error');

    const bdf = of('bdf').split('\n');
    t.equal(bdf[0], 'Filesystem          kbytes    used   avail %used Mounted on');
    t.match(of('bdf'), /^\/dev\/vx\/dsk\/vg00\/rootvol\n +\d+ +\d+ +\d+ +\d+% \/$/m, 'a long name puts the numbers on the next line');
    t.match(of('bdf'), /^\/dev\/vg01\/lvol1 +\d+ +\d+ +\d+ +\d+% \/var\/opt\/shared$/m);
    t.match(of('bdf /var/adm/sw'), /^Filesystem.*\n\/dev\/vx\/dsk\/vg00\/varvol\n +\d+ +\d+ +\d+ +\d+% \/var\nrc=0\n$/, 'bdf FILE: the file system holding it');
    t.match(of('mount'), /^\/ on \/dev\/vx\/dsk\/vg00\/rootvol \S+ on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/m, "mount: HP-UX's listing of /etc/mnttab");
    t.match(of('mount'), /^\/home on \/dev\/vg01\/lvol2 /m);
    t.match(of('mount -v'), /^\/dev\/vg01\/lvol1 on \/var\/opt\/shared type vxfs /m);
    t.same(out.diff, { added: [], modified: [], deleted: [] }, 'nothing of the booted tree changed');
    t.same(
      reactions(out.witness).filter((w) => w.signal !== 'SIGCONT'),
      [],
      'and no daemon was asked anything',
    );
  });

  await t.test('kill -HUP $(cat /var/run/syslog.pid) reaches the booted syslogd', async (t) => {
    const out = await s.run('#!/sbin/sh\nkill -HUP $(cat /var/run/syslog.pid)\necho "rc=$?"\n', request('postinstall'));
    t.equal(out.scriptStdout, 'rc=0\n');
    const syslogd = out.result.daemons.find((d) => d.name === 'syslogd')!;
    const got = out.witness.filter((w) => w.daemon === 'syslogd' && w.event === 'signal' && w.signal === 'SIGHUP');
    t.equal(got.length, 1, 'the booted syslogd witnessed the SIGHUP');
    t.equal(got[0]?.pid, syslogd.nsPid);
    t.ok(
      syscallsIn(out.trace, 'kill').some((e) => e.argsText === `${syslogd.nsPid}, SIGHUP`),
      'kill(<syslogd>, SIGHUP) is in the trace',
    );
    t.ok(
      out.witness.some((w) => w.daemon === 'syslogd' && w.event === 'reconfigure'),
      'and it re-read its configuration',
    );
  });

  await t.test('a stand-in that would change the running system makes the real call', async (t) => {
    const script = '#!/sbin/sh\nuname -S hpuxnew; echo "uname=$?"\nmount /dev/vg01/lvol3 /mnt; echo "mount=$?"\n';
    const out = await s.run(script, request('postinstall', { traceSyscalls: ['execve', 'write', 'sethostname', 'mount', 'exit_group'] }));
    t.equal(out.scriptStdout, 'uname=1\nmount=1\n', 'both refused in the jail');
    const set = syscallsIn(out.trace, 'sethostname');
    t.ok(
      set.some((e) => e.argsText.startsWith('"hpuxnew"') && e.ret.value === -1),
      'sethostname("hpuxnew", ...) was attempted',
    );
    t.ok(
      syscallsIn(out.trace, 'mount').some((e) => e.argsText.startsWith('"/dev/vg01/lvol3", "/mnt", "vxfs"')),
      'mount(2) was attempted',
    );
  });

  await t.test('the other commands control scripts call are there, and change only the image or ask the booted daemon', async (t) => {
    const script = `#!/sbin/sh
echo "@@ ch_rc"; ch_rc -l -p CRON; ch_rc -a -p CRON=0; ch_rc -l -p CRON; ch_rc -a -p ACME=1; echo "rc=$?"
echo "@@ crontab"; echo "0 4 * * * /opt/acme/bin/purge" | crontab 2>&1; echo "rc=$?"; crontab -l | tail -1
echo "@@ useradd"; useradd -c acme -G users acme; echo "rc=$?"; pwget -n acme; grget -n users
echo "@@ what"; what /etc/syslog.conf
echo "@@ ioscan"; ioscan -fnC disk
echo "@@ vgdisplay"; vgdisplay vg01 | head -2
echo "@@ lvlnboot"; lvlnboot -v
echo "@@ kmtune"; kmtune -q nproc | tail -1; kmtune -s nproc=5000; echo "rc=$?"; kctune nproc
echo "@@ mk_kernel"; mk_kernel; echo "rc=$?"; ls /stand/hpux_test
echo "@@ setboot"; setboot -p 0/1/1/0.1.0; setboot | head -1
echo "@@ get_sysfile"; /usr/lbin/sysadm/get_sysfile /stand/vmunix | grep -c tunable
echo "@@ swconfig"; swconfig -x autoreboot=false ACME >/dev/null; echo "rc=$?"
echo "@@ lanscan"; lanscan | tail -1
echo "@@ getprivgrp"; getprivgrp
`;
    const out = await s.run(script, request('postinstall'));
    const of = (c: string) => sections(out.scriptStdout).get(c) ?? '';
    t.equal(of('ch_rc'), '1\n0\nrc=5\n', 'ch_rc lists and changes /etc/rc.config.d; a new parameter needs a file (exit 5)');
    t.match(
      of('crontab'),
      /^cron may not be running - call your system administrator\nrc=0\n0 4 \* \* \* \/opt\/acme\/bin\/purge\n$/,
      "installed; the clone's cron FIFO reaches no cron",
    );
    t.equal(of('useradd'), 'rc=0\nacme:*:101:20:acme:/home/acme:/sbin/sh\nusers::20:root,acme\n');
    t.equal(of('what'), '/etc/syslog.conf:\n\tB.11.31_LR\n');
    t.match(
      of('ioscan'),
      /^Class +I +H\/W Path +Driver +S\/W State +H\/W Type +Description\n=+\ndisk +0 +0\/0\/2\/0\.6\.0 +sdisk +CLAIMED +DEVICE +.+\n +\/dev\/dsk\/c0t6d0 +\/dev\/rdsk\/c0t6d0\n/,
    );
    t.equal(of('vgdisplay'), '--- Volume groups ---\nVG Name                     /dev/vg01\n');
    t.match(of('lvlnboot'), /^Boot Definitions for Volume Group \/dev\/vg01:/);
    t.match(of('kmtune'), /^nproc +4200 +Y +4200 *\nrc=1\nnproc +5000\n$/, 'kmtune -s: takes effect at next boot (exit 1)');
    t.equal(of('mk_kernel'), "NOTE:    The kernel configuration was saved as 'hpux_test'.\nrc=0\nsystem\nvmunix\n");
    t.equal(of('setboot'), 'Primary bootpath : 0/1/1/0.1.0\n');
    t.equal(of('get_sysfile'), '5\n', 'the system file, five tunables');
    t.equal(of('swconfig'), 'rc=0\n');
    t.match(of('lanscan'), /^0\/0\/1\/0 +0x[0-9A-F]{12} 0 +UP +lan0 snap0 /);
    t.equal(of('getprivgrp'), 'global privileges: CHOWN\n');
    t.same(out.diff, { added: [], modified: [], deleted: [] }, 'the booted tree is untouched');
    const asked = reactions(out.witness).filter((w) => w.signal !== 'SIGCONT');
    t.same(
      asked.map((w) => [w.daemon, w.event, w.data]),
      [['swagentd', 'request', 'swconfig -x autoreboot=false ACME']],
      'only swconfig reached a booted daemon: swagentd',
    );
  });
});
