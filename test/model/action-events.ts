import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ofClass, runcmd, runRecorded, TRACES } from '../fixtures/model/run-model.js';

t.test('kill targets: a booted daemon, an own child, the own group, everyone', async (t) => {
  const { events, meta, summary } = await runRecorded('kill-targets');
  const daemon = meta.daemons[0];
  const signals = runcmd(ofClass(events, 'signal'));
  const at = (line: number) => signals.filter((e) => e.location?.line === line);

  t.match(
    at(5),
    [
      {
        syscall: 'kill',
        ok: true,
        signal: { name: '0', number: 0, target: { kind: 'process', pid: daemon?.pid, nsPid: daemon?.nsPid, name: 'fixtured', origin: 'booted' } },
      },
    ],
    'kill -0 $PID: the pid file names the booted daemon',
  );

  // `sleep 5 & kill -TERM $!`: ksh sends SIGTERM, then SIGCONT, to its background job.
  const own = at(7);
  t.same(
    own.map((e) => e.signal?.name),
    ['SIGTERM', 'SIGCONT'],
  );
  for (const e of own) t.match(e.signal?.target, { kind: 'process', origin: 'runcmd' });
  const target = own[0]?.signal?.target;
  const job = ofClass(events, 'process-start').find((e) => target?.kind === 'process' && e.process.pid === target.pid);
  t.match(job, { process: { parentPid: summary.scriptPid } }, "the target is the script's own child");

  t.match(at(9), [{ signal: { number: 0, target: { kind: 'group', pgid: 0, containsOutside: true } } }], "kill -0 0: the script's group is the launcher's too");
  t.match(at(10), [{ signal: { number: 0, target: { kind: 'all' } } }], 'kill -0 -1');
  t.match(
    at(11),
    [{ process: { argv: ['/sbin/sh', '-c', 'kill -0 0'] }, signal: { target: { kind: 'group', pgid: 0, containsOutside: false } } }],
    'after setsid the group holds only runcmd processes',
  );
  t.match(at(12), [{ process: { argv: ['/bin/kill', '-0', '2'] }, signal: { target: { name: 'fixtured', origin: 'booted' } } }], 'the external kill command');
  t.match(
    at(13),
    [
      { ok: true, signal: { name: 'SIGKILL', number: 9, target: { name: 'fixtured', origin: 'booted' } } },
      { ok: false, errno: 'ESRCH', signal: { name: 'SIGCONT', target: { name: 'fixtured', origin: 'booted', nsPid: 2 } } },
    ],
    'kill -9 $PID; the SIGCONT after it finds the daemon gone (strace no longer translates the pid)',
  );
});

t.test('socket endpoints and who serves them', async (t) => {
  const { events, meta } = await runRecorded('sockets');
  const { booted, inactive } = meta.trees;
  const sockets = runcmd(ofClass(events, 'socket'));
  const at = (line: number) => sockets.filter((e) => e.location?.line === line).map((e) => [e.socket?.op, e.ok, e.socket?.endpoint]);
  t.same(
    at(5),
    [
      [
        'connect',
        true,
        {
          family: 'unix',
          type: 'stream',
          path: '/var/opt/shared/fixtured.sock',
          realPath: `${inactive}/var/opt/shared/fixtured.sock`,
          tree: 'shared',
          servedBy: 'booted',
          server: 'fixtured',
        },
      ],
    ],
    'through the shared mount',
  );
  t.same(at(6), [['connect', true, { family: 'unix', type: 'stream', path: '@drdsafe-fixtured', servedBy: 'booted', server: 'fixtured' }]], 'abstract');
  t.same(
    at(7),
    [['sendto', true, { family: 'unix', path: '/proc/1/root/dev/log', realPath: `${booted}/dev/log`, tree: 'booted', servedBy: 'booted', server: 'fixtured' }]],
    "/dev/log through init's root",
  );
  t.same(
    at(8),
    [['sendmsg', false, { family: 'unix', path: '/dev/log', realPath: `${inactive}/dev/log`, tree: 'inactive', servedBy: 'none' }]],
    "the clone's dead copy",
  );
  t.same(at(9), [['sendto', true, { family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69, servedBy: 'booted', server: 'fixtured' }]], 'udp');
  t.same(
    at(10),
    [['connect', true, { family: 'inet', type: 'stream', address: '127.0.0.1', port: 2121, servedBy: 'booted', server: 'fixtured' }]],
    "ksh's /dev/tcp",
  );
  t.same(
    at(13),
    [
      [
        'connect',
        true,
        {
          family: 'unix',
          type: 'stream',
          path: '/tmp/own.sock',
          realPath: `${inactive}/tmp/own.sock`,
          tree: 'inactive',
          servedBy: 'runcmd',
          server: 'fixture-tool',
        },
      ],
    ],
    'served by the script own child',
  );
  const serve = runcmd(ofClass(events, 'serve'));
  t.same(
    serve.map((e) => [e.socket?.op, e.socket?.endpoint.path, e.socket?.endpoint.servedBy]),
    [
      ['bind', '/tmp/own.sock', 'runcmd'],
      ['listen', '/tmp/own.sock', 'runcmd'],
    ],
  );
  const viaProc = runcmd(ofClass(events, 'jail')).find((e) => e.subject?.kind === 'proc-root');
  t.match(viaProc, { syscall: 'sendto', subject: { detail: '/proc/1/root/dev/log', target: { nsPid: 1, origin: 'booted' } } });
});

t.test('sendmmsg, as a resolver sends its queries: the first message names the server', async (t) => {
  const { events, gaps } = await runRecorded('mmsg');
  t.same(gaps, []);
  const sockets = runcmd(ofClass(events, 'socket')).map((e) => [e.socket?.op, e.ok, e.socket?.endpoint]);
  t.same(sockets, [
    ['sendmmsg', true, { family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69, servedBy: 'booted', server: 'fixtured' }],
    ['connect', true, { family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69, servedBy: 'booted', server: 'fixtured' }],
    // Connected, no address: strace shows the local end only, so the server is not known, which is never taken for a runcmd one.
    ['sendmmsg', true, { family: 'inet', type: 'dgram', servedBy: 'unknown' }],
  ]);
});

t.test('kernel changes', async (t) => {
  const { events } = await runRecorded('kernel');
  const kernel = runcmd(ofClass(events, 'kernel'));
  t.same(
    kernel.map((e) => [e.syscall, e.subject?.kind, e.ok, e.location?.line]),
    [
      ['openat', 'sysctl', true, 3],
      ['sethostname', 'hostname', true, 4],
      ['mount', 'mount', true, 6],
    ],
  );
  t.match(kernel[2]?.subject?.detail, /"\/tmp\/mnt", "tmpfs"/);
});

t.test('namespace calls are jail events of whoever makes them', async (t) => {
  const { events } = await runRecorded('fork-exec');
  const setns = ofClass(events, 'jail').find((e) => e.syscall === 'setns');
  t.match(setns, { ok: true, process: { origin: 'sandbox', argv: ['/usr/bin/nsenter'] }, subject: { kind: 'setns', detail: /^pid:\[\d+\]/ } });
});

t.test("other ways out of the jail: a booted daemon's memory, a file opened by handle, a copy of its open file", async (t) => {
  const { events, gaps, meta } = await runRecorded('other-escapes');
  t.same(gaps, []);
  const daemon = meta.daemons[0];
  const jail = runcmd(ofClass(events, 'jail')).map((e) => [e.syscall, e.ok, e.location?.line, e.subject?.kind, e.subject?.target, e.subject?.tree]);
  t.match(jail, [
    [
      'process_vm_writev',
      false,
      7,
      'process_vm_writev',
      { kind: 'process', pid: daemon?.pid, nsPid: daemon?.nsPid, name: 'fixtured', origin: 'booted' },
      undefined,
    ],
    ['open_by_handle_at', true, 8, 'open_by_handle_at', undefined, 'inactive'],
    ['pidfd_getfd', true, 9, 'pidfd_getfd', { kind: 'process', pid: daemon?.pid, nsPid: daemon?.nsPid, name: 'fixtured', origin: 'booted' }, undefined],
  ]);
  t.equal(jail.length, 3, 'name_to_handle_at and pidfd_open alone are no event');
  t.match(runcmd(ofClass(events, 'jail')).at(-1)?.subject?.detail, /^fd 0 \(.*\/booted\/dev\/null\)$/, 'the fd it took, and what it is');
});

t.test('io_uring set up in the jail: what goes through it is invisible, so the run is a gap', async (t) => {
  const { gaps, summary } = await runRecorded('uring');
  t.match(gaps, [{ kind: 'untraced-io', message: /set up io_uring/ }]);
  t.equal(gaps.length, 1);
  t.ok(summary.scriptPid !== undefined);
});

t.test('process changes: a booted daemon, a group holding one, every process of a user; own processes stay inside', async (t) => {
  const { events, gaps, meta } = await runRecorded('process-change');
  t.same(gaps, []);
  const daemon = meta.daemons[0];
  const booted = { kind: 'process', pid: daemon?.pid, nsPid: daemon?.nsPid, name: 'fixtured', origin: 'booted' };
  const changes = runcmd(ofClass(events, 'process-change'));
  const at = (line: number) => changes.filter((e) => e.location?.line === line).map((e) => [e.syscall, e.ok, e.change?.kind, e.change?.target]);
  t.same(at(7), [['setpriority', true, 'priority', booted]], 'renice -p $PID');
  t.same(at(8), [['sched_setaffinity', true, 'affinity', booted]], 'taskset -p');
  t.same(at(9), [['sched_setscheduler', true, 'scheduler', booted]], 'chrt -p');
  t.same(at(10), [['ioprio_set', true, 'io-priority', booted]], 'ionice -p');
  t.same(at(11), [['prlimit64', true, 'limits', booted]], 'prlimit --pid: the new limit; its reads of the old one make no event');
  t.same(
    at(12),
    [['setpriority', true, 'priority', { kind: 'group', pgid: 0, containsOutside: true }]],
    "renice -g 0: the script's group is the launcher's too",
  );
  t.same(at(13), [['setpriority', true, 'priority', { kind: 'all' }]], 'renice -u 0: every root process');
  for (const line of [15, 16]) t.match(at(line), [[String, true, String, { kind: 'process', origin: 'runcmd' }]], `line ${line}: the script's own child`);
  t.match(
    changes.filter((e) => e.syscall === 'setpriority' && e.change?.detail.startsWith('PRIO_PROCESS, 5 ')),
    [{ change: { target: { kind: 'process', origin: 'runcmd', pid: events.find((e) => e.class === 'exec' && e.process.origin === 'runcmd')?.process.pid } } }],
    'renice $$: the script itself',
  );
  // ksh93 writes a builtin's xtrace line after running it, so ulimit's call shows at the line before: only its target is checked.
  t.match(
    changes.filter((e) => e.syscall === 'prlimit64' && e.change?.detail.startsWith('0, ')),
    [{ change: { kind: 'limits', target: { kind: 'process', origin: 'runcmd' } } }],
    'ulimit -n: pid 0 is the caller',
  );
  t.same(
    at(20),
    [['setpriority', true, 'priority', { kind: 'group', pgid: 0, containsOutside: false }]],
    'renice -g 0 after setsid: a group of runcmd processes',
  );
  const reads =
    events.length === 0
      ? 0
      : (await readFile(join(TRACES, 'process-change.trace'), 'latin1')).split('\n').filter((l) => /prlimit64\([^,]+, RLIMIT_\w+, NULL,/.test(l)).length;
  t.ok(reads > 10, `the trace has ${reads} prlimit64 calls that only read (the loader of every program)`);
  t.equal(changes.length, 12, 'and they make no event');
});
