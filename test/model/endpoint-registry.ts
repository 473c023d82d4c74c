import t from 'tap';
import { PathClassifier } from '../../harness/model/classify-path.js';
import { EndpointRegistry } from '../../harness/model/endpoint-registry.js';
import type { SocketEndpoint } from '../../harness/model/model-event.js';
import type { RunMetadata } from '../../harness/contract/run-metadata.js';
import { loadMeta } from '../fixtures/model/run-model.js';

async function registry(): Promise<{ meta: RunMetadata; reg: EndpointRegistry }> {
  const meta = await loadMeta('sockets');
  return { meta, reg: new EndpointRegistry(meta.trees, meta.daemons, new PathClassifier(meta.trees)) };
}

t.test("the daemons' endpoints from the run's metadata", async (t) => {
  const { meta, reg } = await registry();
  t.same(meta.daemons[0]?.endpoints, [
    'unix:/dev/log',
    'unix:/var/opt/shared/fixtured.sock',
    'unix:@drdsafe-fixtured',
    'tcp:127.0.0.1:2121',
    'udp:127.0.0.1:69',
  ]);
  const booted = meta.trees.booted;
  t.same(reg.servedBy({ family: 'unix', path: '/dev/log', realPath: `${booted}/dev/log` }, true, undefined), { servedBy: 'booted', server: 'fixtured' });
  t.same(reg.servedBy({ family: 'unix', path: '@drdsafe-fixtured' }, true, undefined), { servedBy: 'booted', server: 'fixtured' });
  t.same(reg.servedBy({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 2121 }, true, undefined), { servedBy: 'booted', server: 'fixtured' });
  t.same(
    reg.servedBy({ family: 'inet', type: 'stream', address: '127.0.0.2', port: 2121 }, true, undefined),
    { servedBy: 'booted', server: 'fixtured' },
    'any loopback address',
  );
  t.same(reg.servedBy({ family: 'inet', type: 'dgram', address: '127.0.0.1', port: 69 }, true, undefined), { servedBy: 'booted', server: 'fixtured' });
  t.same(
    reg.servedBy({ family: 'inet', address: '127.0.0.1', port: 69 }, true, undefined),
    { servedBy: 'booted', server: 'fixtured' },
    'type unknown: either protocol',
  );
  t.same(
    reg.servedBy({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 69 }, false, 'ECONNREFUSED'),
    { servedBy: 'none' },
    'TCP 69 is not the UDP service',
  );
  t.same(reg.servedBy({ family: 'inet', type: 'stream', address: '10.0.0.1', port: 2121 }, false, 'ENETUNREACH'), { servedBy: 'unknown' });
});

t.test('path sockets by where they really are', async (t) => {
  const { meta, reg } = await registry();
  const { booted, inactive } = meta.trees;
  t.same(
    reg.servedBy({ family: 'unix', path: '/dev/log', realPath: `${inactive}/dev/log` }, false, 'ECONNREFUSED'),
    { servedBy: 'none' },
    "the clone's dead copy of a socket",
  );
  t.same(
    reg.servedBy({ family: 'unix', path: '/var/run/x.sock', realPath: `${booted}/var/run/x.sock` }, true, undefined),
    { servedBy: 'booted' },
    'unlisted, but in the booted tree',
  );
  t.same(
    reg.servedBy({ family: 'unix', path: '/tmp/x.sock', realPath: `${inactive}/tmp/x.sock` }, true, undefined),
    { servedBy: 'unknown' },
    'someone answered: we cannot say who',
  );
});

t.test('a runcmd process that bound an endpoint serves it', async (t) => {
  const { meta, reg } = await registry();
  const own = `${meta.trees.inactive}/tmp/own.sock`;
  reg.recordBind({ family: 'unix', path: '/tmp/own.sock', realPath: own }, 'runcmd', 'fixture-tool');
  t.same(reg.servedBy({ family: 'unix', path: '/tmp/own.sock', realPath: own }, true, undefined), { servedBy: 'runcmd', server: 'fixture-tool' });
  reg.recordBind({ family: 'inet', type: 'stream', address: '0.0.0.0', port: 8080 }, 'runcmd', 'httpd');
  t.same(
    reg.servedBy({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 8080 }, true, undefined),
    { servedBy: 'runcmd', server: 'httpd' },
    'a wildcard bind serves loopback',
  );
  reg.recordBind({ family: 'inet', type: 'stream', address: '127.0.0.1', port: 9090 }, 'runcmd', 'x');
  t.same(
    reg.servedBy({ family: 'inet', type: 'stream', address: '10.1.1.1', port: 9090 }, false, 'ECONNREFUSED'),
    { servedBy: 'none' },
    'a loopback bind does not serve other addresses',
  );
});

t.test('connected sockets are remembered by inode for sends without an address', async (t) => {
  const { reg } = await registry();
  const endpoint: SocketEndpoint = { family: 'unix', path: '@drdsafe-fixtured', servedBy: 'booted', server: 'fixtured' };
  reg.recordConnect(1234, endpoint);
  t.equal(reg.connectedEndpoint(1234), endpoint);
  t.equal(reg.connectedEndpoint(99), undefined);
  t.equal(reg.connectedEndpoint(undefined), undefined);
  for (let i = 0; i < 5000; i++) reg.recordConnect(10_000 + i, endpoint);
  t.equal(reg.connectedEndpoint(1234), undefined, 'the oldest are forgotten: memory stays bounded');
});
