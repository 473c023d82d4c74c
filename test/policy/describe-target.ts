import t from 'tap';
import { describeTarget } from '../../harness/policy/describe-target.js';
import { describeProcess, formatArgv, formatEndpoint } from '../../harness/model/event-classes/target-text.js';
import {
  endpoint,
  execEvent,
  exitEvent,
  fsEvent,
  pathTarget,
  proc,
  processTarget,
  serveEvent,
  signalEvent,
  socketEvent,
  subjectEvent,
} from '../fixtures/policy/model-events.js';

t.test('argv quoting', async (t) => {
  t.equal(formatArgv(['kill', '-9', '57']), 'kill -9 57');
  t.equal(formatArgv(['awk', '{FS="/"; print $5}']), `awk '{FS="/"; print $5}'`);
  t.equal(formatArgv(['echo', "it's", '']), `echo 'it'\\''s' ''`);
});

t.test('endpoints', async (t) => {
  t.equal(formatEndpoint(endpoint()), 'unix:@vxconfigd');
  t.equal(formatEndpoint(endpoint({ path: '/dev/log' })), 'unix:/dev/log');
  t.equal(formatEndpoint({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 2121, servedBy: 'booted' }), 'tcp:127.0.0.1:2121');
  t.equal(formatEndpoint({ family: 'inet6', type: 'dgram', address: '::1', port: 69, servedBy: 'booted' }), 'udp:[::1]:69');
  t.equal(formatEndpoint({ family: 'inet', servedBy: 'unknown' }), 'inet:?:?');
  t.equal(formatEndpoint({ family: 'netlink', servedBy: 'none' }), 'netlink');
});

t.test('one line per class', async (t) => {
  t.equal(describeTarget(signalEvent(9, processTarget('booted'))), 'comsec (pid 57, booted daemon)');
  t.equal(describeTarget(signalEvent(9, { kind: 'process', nsPid: 4242, origin: 'unknown' })), 'pid 4242 (unknown process)');
  t.equal(describeTarget(signalEvent(9, { kind: 'all' })), 'every process (pid -1)');
  t.equal(describeTarget(signalEvent(9, { kind: 'group', pgid: 0, containsOutside: true })), 'own process group (holds processes outside runcmd)');
  t.equal(describeTarget(signalEvent(9, { kind: 'group', pgid: 12, containsOutside: false })), 'process group 12');
  t.equal(describeTarget(socketEvent('connect', endpoint())), 'unix:@vxconfigd served by vxconfigd');
  t.equal(describeTarget(socketEvent('connect', endpoint({ server: undefined, servedBy: 'unknown' }))), 'unix:@vxconfigd served by an unknown process');
  t.equal(describeTarget(socketEvent('sendto', endpoint({ servedBy: 'none' }))), 'unix:@vxconfigd with nothing serving it');
  t.equal(describeTarget(serveEvent('listen', endpoint({ path: '/var/run/comsec.sock' }))), 'unix:/var/run/comsec.sock');
  t.equal(describeTarget(fsEvent('fs-write', 'open-write', pathTarget('booted', '/etc/motd'))), '/images/booted/etc/motd (booted)');
  t.equal(
    describeTarget(fsEvent('fs-write', 'rename', pathTarget('inactive', '/tmp/a', { tree: 'booted', path: '/etc/b' }))),
    '/images/inactive/tmp/a (inactive) -> /images/booted/etc/b (booted)',
  );
  t.equal(describeTarget(execEvent('/sbin/init.d/comsec', ['comsec', 'start'])), '/sbin/init.d/comsec start');
  t.equal(describeTarget(exitEvent(true)), 'sleep (pid 77, runcmd process)');
  t.equal(
    describeTarget(
      subjectEvent('jail', 'openat', {
        kind: 'proc-root',
        detail: '/proc/1/root/etc/motd',
        tree: 'booted',
        target: processTarget('booted', { nsPid: 1, name: 'init' }),
      }),
    ),
    'proc-root /proc/1/root/etc/motd (booted) of init (pid 1, booted daemon)',
  );
  t.equal(describeTarget({ ...signalEvent(9, { kind: 'all' }), signal: undefined }), undefined, 'an event without its detail');
});

t.test('processes without an exe or argv', async (t) => {
  t.equal(describeProcess(proc({ exe: undefined, argv: ['/usr/bin/sleep', '9'], nsPid: undefined, pid: 9 })), 'sleep (pid 9, runcmd process)');
  t.equal(describeProcess(proc({ exe: undefined, argv: [], nsPid: 3 })), 'pid 3 (runcmd process)');
});
