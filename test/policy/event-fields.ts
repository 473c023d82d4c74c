import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { EVENT_FIELDS, FIELDS_BY_NAME } from '../../harness/policy/event-fields.js';
import { OPERATORS } from '../../harness/policy/policy.js';
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

const get = (name: string, event: Parameters<(typeof EVENT_FIELDS)[number]['get']>[0]) => FIELDS_BY_NAME.get(name)?.get(event);

t.test('process and common fields', async (t) => {
  const e = execEvent('/sbin/init.d/comsec', ['/sbin/init.d/comsec', 'start'], {
    errno: 'ENOENT',
    process: { exe: '/sbin/sh', argv: ['sh', '-x', 'my script'], ancestryArgv: [['sh'], ['swinstall', '-x']] },
  });
  t.equal(get('class', e), 'exec');
  t.equal(get('syscall', e), 'execve');
  t.equal(get('ok', e), false);
  t.equal(get('errno', e), 'ENOENT');
  t.equal(get('phase', e), 'preinstall');
  t.equal(get('process.origin', e), 'runcmd');
  t.equal(get('process.pid', e), 1200);
  t.equal(get('process.exe', e), '/sbin/sh');
  t.equal(get('process.name', e), 'sh');
  t.same(get('process.argv', e), ['sh', '-x', 'my script']);
  t.equal(get('process.argv0', e), 'sh');
  t.same(get('process.args', e), ['-x', 'my script']);
  t.equal(get('process.cmdline', e), "sh -x 'my script'");
  t.same(get('process.ancestors', e), ['sh', 'swinstall']);
  t.equal(get('process.root', e), '/images/inactive');
  t.equal(get('location.line', e), 5);
  t.equal(get('exec.name', e), 'comsec');
  t.same(get('exec.args', e), ['start']);
  t.equal(get('exec.argv0', e), '/sbin/init.d/comsec');
  t.equal(get('exec.cmdline', e), '/sbin/init.d/comsec start');
  t.equal(get('signal.number', e), undefined, 'absent on other classes');
});

t.test('signal, socket, file, exit and subject fields', async (t) => {
  const kill = signalEvent(9, processTarget('booted'));
  t.same(
    [
      get('signal.name', kill),
      get('signal.number', kill),
      get('target.kind', kill),
      get('target.origin', kill),
      get('target.nsPid', kill),
      get('target.pid', kill),
      get('target.name', kill),
    ],
    ['SIGKILL', 9, 'process', 'booted', 57, 5057, 'comsec'],
  );
  const group = signalEvent(15, { kind: 'group', pgid: 7, containsOutside: true });
  t.same(
    [get('target.kind', group), get('target.pgid', group), get('target.containsOutside', group), get('target.origin', group)],
    ['group', 7, true, undefined],
  );
  const udp = socketEvent('sendto', endpoint({ family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69, path: undefined, server: 'tftpd' }));
  t.same(
    [
      get('socket.op', udp),
      get('socket.family', udp),
      get('socket.type', udp),
      get('socket.address', udp),
      get('socket.port', udp),
      get('socket.servedBy', udp),
      get('socket.server', udp),
      get('socket.endpoint', udp),
    ],
    ['sendto', 'inet', 'dgram', '127.0.0.1', 69, 'booted', 'tftpd', 'udp:127.0.0.1:69'],
  );
  const listen = serveEvent('listen', endpoint({ path: '/var/run/x.sock', realPath: '/images/inactive/var/run/x.sock', tree: 'inactive' }));
  t.same(
    [get('socket.path', listen), get('socket.realPath', listen), get('socket.tree', listen)],
    ['/var/run/x.sock', '/images/inactive/var/run/x.sock', 'inactive'],
  );
  const rename = fsEvent('fs-write', 'rename', pathTarget('inactive', '/a', { tree: 'booted', path: '/b' }));
  t.same(
    [
      get('fs.op', rename),
      get('path.path', rename),
      get('path.real', rename),
      get('path.tree', rename),
      get('path.second.path', rename),
      get('path.second.real', rename),
      get('path.second.tree', rename),
    ],
    ['rename', '/a', '/images/inactive/a', 'inactive', '/b', '/images/booted/b', 'booted'],
  );
  const exit = exitEvent(true);
  t.same([get('exit.signal', exit), get('exit.outlivedScript', exit), get('exit.code', exit)], ['SIGKILL', true, undefined]);
  const ptrace = subjectEvent('jail', 'ptrace', { kind: 'ptrace', detail: 'PTRACE_ATTACH', tree: 'booted', target: processTarget('booted') });
  t.same(
    [get('subject.kind', ptrace), get('subject.detail', ptrace), get('subject.tree', ptrace), get('target.origin', ptrace), get('target.kind', ptrace)],
    ['ptrace', 'PTRACE_ATTACH', 'booted', 'booted', 'process'],
  );
});

t.test('the table is consistent', async (t) => {
  t.equal(FIELDS_BY_NAME.size, EVENT_FIELDS.length, 'names are unique');
  for (const f of EVENT_FIELDS) {
    t.match(f.name, /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/, `${f.name} is a dotted name`);
    t.ok(f.description.length > 5, `${f.name} is described`);
    t.notOk((OPERATORS as readonly string[]).includes(f.name), `${f.name} is not an operator name`);
  }
});

t.test('docs/policy.md documents every field', async (t) => {
  const doc = await readFile(path.join(PROJECT_ROOT, 'docs', 'policy.md'), 'utf8');
  for (const f of EVENT_FIELDS) t.ok(doc.includes(`| \`${f.name}\` | ${f.type} |`), `${f.name} (${f.type}) in the fields table`);
  for (const op of OPERATORS) t.ok(doc.includes(`\`${op}\``), `operator ${op}`);
});
