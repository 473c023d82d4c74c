import t from 'tap';
import { goldenReport } from '../fixtures/report/golden-report.js';
import { ProcessTreeRecorder, withProcessTree } from '../../harness/report/process-tree.js';
import type { ModelEvent, ProcessInfo } from '../../harness/model/model-event.js';

t.test('a run that starts a daemon: launcher, script, children, every exec, exits and lifetimes', async (t) => {
  const report = await goldenReport('s02-init-script-start');
  const tree = report.processTree;
  if (tree === undefined) return t.fail('report.json has a process tree');
  const [launcher, script] = tree.processes;
  t.equal(tree.total, tree.processes.length, 'every process listed');
  t.match(launcher, { origin: 'sandbox', execs: [{ path: '/opt/drdsafe/bin/jail-exec', ok: true }] }, 'the launcher first, with its exec');
  t.match(
    script,
    { script: true, origin: 'runcmd', parent: launcher?.id, execs: [{ path: '/sbin/sh', argv: ['/sbin/sh', '-x', /postinstall$/] }] },
    'then the control script under it',
  );
  for (const p of tree.processes) {
    if (p.parent === undefined) continue;
    t.equal(tree.processes[p.parent]?.pid, p.parentPid, `pid ${p.pid}: its parent is the process of its parent pid`);
    t.ok((p.start.time ?? 0) >= (tree.processes[p.parent]?.start.time ?? 0), `pid ${p.pid} started after its parent`);
  }
  const init = tree.processes.find((p) => p.execs.some((e) => e.path === '/sbin/init.d/comsec'));
  t.match(
    init,
    { origin: 'runcmd', start: { scriptLine: 3 }, execs: [{ argv: ['/sbin/init.d/comsec', 'start'], scriptLine: 3 }], exit: { code: 0 } },
    'the init script, from script line 3',
  );
  const daemon = tree.processes.find((p) => p.exit?.outlivedScript === true);
  t.ok(daemon, 'the daemon it started outlived the script');
  t.match(daemon?.exit, { signal: 'SIGKILL' }, 'and was killed when the sandbox swept the jail');
  t.ok(tree.firstTime !== undefined && tree.lastTime !== undefined && tree.lastTime > tree.firstTime, "the trace's time span");
  const finding = report.findings.find((f) => f.rule === 'unterminated-process');
  t.ok(
    tree.processes.some((p) => p.pid === finding?.process.pid),
    "a finding's process is in the tree",
  );
});

t.test('a fork bomb: the tree stays bounded and counts what it does not list', async (t) => {
  const report = await goldenReport('h01-fork-bomb');
  const tree = report.processTree;
  t.ok(tree !== undefined && tree.total >= tree.processes.length && tree.processes.length > 10, `${tree?.processes.length} listed of ${tree?.total}`);
  t.ok(
    tree?.processes.every((p) => p.parent === undefined || p.parent < p.id),
    'parents come before their children',
  );
});

t.test('the recorder bounds execs per process and knows the events it needs', async (t) => {
  const interest = withProcessTree({ classes: new Map([['signal', 'all']]), otherClasses: false });
  t.same([...interest.classes.keys()].sort(), ['exec', 'process-exit', 'process-start', 'signal'], 'process events wanted whatever the policy reads');
  const process: ProcessInfo = { pid: 7, argv: ['sh'], origin: 'runcmd', root: '/', ancestry: [7], ancestryArgv: [['sh']] };
  const event = (cls: ModelEvent['class'], extra: Partial<ModelEvent>, line: number): ModelEvent => ({
    seq: line,
    class: cls,
    syscall: cls,
    ok: true,
    line,
    raw: '',
    time: line,
    process,
    ...extra,
  });
  const r = new ProcessTreeRecorder();
  r.event(event('process-start', {}, 1));
  for (let i = 0; i < 25; i++) r.event(event('exec', { exec: { path: '/bin/true', argv: ['true', String(i)] } }, 2 + i));
  r.event(event('process-exit', { exit: { code: 3, outlivedScript: false } }, 40));
  const tree = r.finish(7);
  t.match(tree, { total: 1, firstTime: 1, lastTime: 40, processes: [{ pid: 7, script: true, moreExecs: 5, exit: { code: 3, line: 40 } }] });
  t.equal(tree.processes[0]?.execs.length, 20, 'twenty execs listed');
});
