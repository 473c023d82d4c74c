import t from 'tap';
import { DEFAULT_LIMITS, sandboxSpec } from '../../harness/sandbox/sandbox-spec.js';

t.test('the container is isolated: no network, needed capabilities, limits, tmpfs trees', async (t) => {
  const spec = sandboxSpec({ image: 'img', labels: { a: 'b' }, engineCpus: 1 });
  t.equal(spec.networkMode, 'none');
  t.same(spec.capAdd, ['SYS_ADMIN', 'SYS_PTRACE']);
  t.same(spec.securityOpt, ['seccomp=unconfined', 'apparmor=unconfined']);
  t.equal(spec.pidsLimit, DEFAULT_LIMITS.pidsLimit);
  t.equal(spec.memoryBytes, DEFAULT_LIMITS.memoryBytes);
  t.same(Object.keys(spec.tmpfs).sort(), ['/images/booted', '/images/inactive']);
  t.match(spec.tmpfs['/images/booted'], /(^|,)exec(,|$)/);
  t.match(spec.tmpfs['/images/booted'], /size=262144k/);
  t.equal(spec.cpusetCpus, undefined, 'one CPU: nothing to pin');
});

t.test('pinned to one CPU when the engine has several', async (t) => {
  t.equal(sandboxSpec({ image: 'i', labels: {}, engineCpus: 4 }).cpusetCpus, '3');
  t.equal(sandboxSpec({ image: 'i', labels: {}, engineCpus: 4, cpu: 1 }).cpusetCpus, '1');
  t.equal(sandboxSpec({ image: 'i', labels: {}, engineCpus: 2, cpu: 9 }).cpusetCpus, '1');
});
