import t from 'tap';
import type { ProbeRecord } from '../../harness/contract/exploration-record.js';
import { VariantPlanner } from '../../harness/explore/plan-variants.js';

const probe = (p: Partial<ProbeRecord> & Pick<ProbeRecord, 'kind' | 'subject'>): ProbeRecord => ({
  call: 'newfstatat',
  answer: 'ENOENT',
  traceLine: 1,
  run: 0,
  ...p,
});
const BOOTED = ['syslogd', 'inetd', 'swagentd', 'comsec', 'vxconfigd', 'tftpd', 'cron'];
const ctx = { bootedDaemons: BOOTED, variables: [{ name: 'ACMEAGT_START', value: '1' }] };

const PROBES: ProbeRecord[] = [
  probe({ kind: 'pid-file', path: '/var/run/acmeagt.pid', subject: 'acmeagt' }),
  probe({ kind: 'init-script', path: '/sbin/init.d/acmeagt', subject: 'acmeagt' }),
  probe({ kind: 'config', path: '/etc/rc.config.d/acmeagt', subject: 'acmeagt' }),
  probe({ kind: 'program', path: '/opt/zeta/bin/zetactl', subject: 'zeta' }),
  probe({ kind: 'pid', pid: 4242, call: 'kill', answer: 'ESRCH', subject: 'pid 4242', unplannable: 'no' }),
];

t.test('everything together first, then each probe; deterministic; bounded', async (t) => {
  const plan = (limit: number) => {
    const planner = new VariantPlanner(limit, ctx);
    planner.learn(PROBES);
    const out = [];
    for (let v = planner.next(); v !== undefined; v = planner.next()) out.push(v);
    return { out, notExplored: planner.notExplored(), planner };
  };
  const ALL = ['/var/run/acmeagt.pid', '/sbin/init.d/acmeagt', '/etc/rc.config.d/acmeagt', '/opt/zeta/bin/zetactl'];
  const { out, notExplored } = plan(6);
  t.same(
    out.map((v) => [v.id, v.subjects]),
    [[1, ALL], ...ALL.map((l, i) => [i + 2, [l]])],
  );
  t.same(plan(6).out, out, 'the same probes give the same variants');
  t.same(notExplored, [{ subject: 'pid 4242', reason: 'no' }], 'a probe no change can make true is said');
  const bounded = plan(2);
  t.equal(bounded.out.length, 2, 'at most N');
  t.same(
    bounded.notExplored.map((n) => n.subject),
    ['pid 4242'],
    'every probe was in the first variant: explored',
  );
  const one = plan(1);
  t.same(
    one.out.map((v) => v.subjects),
    [ALL],
  );
  const none = plan(0);
  t.same(none.out, []);
  t.same(
    none.notExplored.map((n) => [n.subject, n.reason]),
    [['pid 4242', 'no'], ...ALL.map((l) => [l, 'exploration is off (--explore 0)'])],
  );
  const stopped = new VariantPlanner(4, ctx);
  stopped.learn(PROBES);
  stopped.next();
  t.same(
    stopped.notExplored('the time ran out').map((n) => n.subject),
    ['pid 4242'],
    'the first variant explored them all',
  );
});

t.test("a later run's new probes add a variant with everything known, run next", async (t) => {
  const planner = new VariantPlanner(4, ctx);
  planner.learn(PROBES.slice(0, 3));
  const v1 = planner.next();
  t.same(v1?.subjects, ['/var/run/acmeagt.pid', '/sbin/init.d/acmeagt', '/etc/rc.config.d/acmeagt']);
  planner.learn(PROBES.slice(0, 2));
  t.equal(planner.known.length, 3, 'a probe seen again is not new');
  planner.learn([probe({ kind: 'directory', path: '/opt/omega', subject: 'omega', run: 1 })]);
  const v2 = planner.next();
  t.same(
    v2?.subjects,
    ['/var/run/acmeagt.pid', '/sbin/init.d/acmeagt', '/etc/rc.config.d/acmeagt', '/opt/omega'],
    'found once variant 1 held: tried with everything known, next',
  );
  t.same(
    v2?.changes.map((c) => c.kind),
    ['pid-file', 'init-script', 'config', 'directory'],
  );
  t.same(planner.next()?.subjects, ['/var/run/acmeagt.pid'], 'then the single ones');
  t.equal(planner.known.length, 4);
});

t.test('the changes of a variant: stand-in daemon, init script, config, program', async (t) => {
  const planner = new VariantPlanner(4, ctx);
  planner.learn(PROBES);
  const v = planner.next();
  t.ok(v);
  if (v === undefined) return;
  t.same(
    v.changes.map((c) => [c.kind, c.path, c.condition]),
    [
      ['pid-file', '/var/run/acmeagt.pid', '/var/run/acmeagt.pid exists'],
      ['init-script', '/sbin/init.d/acmeagt', '/sbin/init.d/acmeagt is installed'],
      ['config', '/etc/rc.config.d/acmeagt', '/etc/rc.config.d/acmeagt exists'],
      ['program', '/opt/zeta/bin/zetactl', '/opt/zeta/bin/zetactl exists'],
    ],
  );
  t.match(v.changes[0], { daemon: 'acmeagt', made: 'created it holding the pid of stand-in daemon acmeagt, started in the booted system' });
  t.same(v.booted.daemons, [{ name: 'acmeagt', pidFile: '/var/run/acmeagt.pid', program: '/usr/lbin/drdsafe/acmeagt' }]);
  t.same(
    v.booted.files.map((f) => [f.path, f.mode]),
    [
      ['/sbin/init.d/acmeagt', 0o755],
      ['/etc/rc.config.d/acmeagt', 0o644],
      ['/opt/zeta/bin/zetactl', 0o755],
    ],
  );
  const init = v.booted.files[0]?.content ?? '';
  t.match(init, /DRDSAFE_STANDIN_PIDFILE=\$PIDFILE \/usr\/lbin\/drdsafe\/acmeagt/, 'start runs the stand-in daemon');
  t.match(init, /PIDFILE=\/var\/run\/acmeagt\.pid/, 'with the pid file the script asked about');
  t.match(v.booted.files[1]?.content, /^ACMEAGT_START=1$/m, 'the config turns the feature on');
  t.same(v.standins, ['/opt/zeta/bin/zetactl']);
});

t.test('a pid file or init script of a daemon the booted system runs names that daemon', async (t) => {
  const planner = new VariantPlanner(4, ctx);
  planner.learn([
    probe({ kind: 'pid-file', path: '/var/run/syslogd.pid', subject: 'syslogd' }),
    probe({ kind: 'init-script', path: '/etc/init.d/syslog', subject: 'syslog' }),
    probe({ kind: 'process', name: 'inetd', call: 'grep', answer: 'exit 1', subject: 'inetd' }),
    probe({ kind: 'process', name: 'acmemon', call: 'grep', answer: 'exit 1', subject: 'acmemon' }),
  ]);
  const v = planner.next();
  t.same(v?.booted.pidFiles, [{ path: '/var/run/syslogd.pid', daemon: 'syslogd' }]);
  t.match(v?.booted.files[0], { path: '/etc/init.d/syslog', content: /exec \/sbin\/init\.d\/syslogd "\$@"/ });
  t.same(v?.booted.daemons, [{ name: 'acmemon', pidFile: '/var/run/acmemon.pid', program: '/usr/lbin/drdsafe/acmemon' }]);
  t.match(v?.changes.at(-1), { kind: 'daemon', condition: 'a process named acmemon runs' });
  t.match(planner.notExplored(), [{ subject: 'inetd', reason: /already runs/ }], 'a search for a running daemon found nothing for another reason');
});
