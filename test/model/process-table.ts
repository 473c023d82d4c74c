import t from 'tap';
import { ProcessState } from '../../harness/model/process-state.js';
import { ProcessTable } from '../../harness/model/process-table.js';

function make(pid: number, parent?: ProcessState): ProcessState {
  if (parent !== undefined) return parent.fork(pid, { shareFs: false, thread: false, parent });
  const group = { leader: pid, runcmdOnly: false };
  return new ProcessState({ pid, origin: 'sandbox', fs: { root: '/', cwd: '/work' }, group, session: group, inPidNs: false });
}

t.test('ancestry runs up to the control script', async (t) => {
  const table = new ProcessTable();
  const launcher = make(10);
  table.add(launcher);
  const script = make(11, launcher);
  script.origin = 'runcmd';
  script.argv = ['/sbin/sh', '-x', '/var/adm/sw/products/P/F/preinstall', 'extra', 'words'];
  table.add(script);
  table.controlScript = script;
  const child = make(12, script);
  child.argv = ['cat', '/var/run/comsec.pid'];
  table.add(child);
  t.match(table.info(child), {
    pid: 12,
    parentPid: 11,
    origin: 'runcmd',
    ancestry: [12, 11],
    ancestryArgv: [
      ['cat', '/var/run/comsec.pid'],
      ['/sbin/sh', '-x', '/var/adm/sw/products/P/F/preinstall', 'extra'],
    ],
  });
  t.match(table.info(script), { ancestry: [11] });
  t.match(table.info(launcher), { ancestry: [10], origin: 'sandbox' });
  t.ok(table.descendsFromScript(child));
  t.notOk(table.descendsFromScript(launcher));
  t.equal(table.count, 3);
});

t.test('snapshots are reused until something changes', async (t) => {
  const table = new ProcessTable();
  const p = make(20);
  table.add(p);
  const first = table.info(p);
  t.equal(table.info(p), first, 'same object while nothing changed');
  p.fs.cwd = '/tmp';
  table.changed();
  const second = table.info(p);
  t.not(second, first);
  t.equal(second.cwd, '/tmp');
  t.equal(first.cwd, '/work', 'an event already delivered keeps what was true then');
});

t.test('pids in the namespace, and leaving the table', async (t) => {
  const table = new ProcessTable();
  const p = make(30);
  table.add(p);
  table.setNsPid(p, 4);
  t.equal(table.getNs(4), p);
  t.equal(table.get(30), p);
  t.equal(table.size, 1);
  table.remove(p);
  t.equal(table.getNs(4), undefined);
  t.equal(table.get(30), undefined);
  t.equal(table.size, 0);
  t.equal(table.count, 1, 'still counted as seen');
});
