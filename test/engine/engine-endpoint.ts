import t from 'tap';
import { enginesFrom, parseEngineEndpoint } from '../../harness/engine/engine-endpoint.js';

t.test('DOCKER_HOST forms', async (t) => {
  t.same(parseEngineEndpoint('unix:///var/run/docker.sock', {}), { kind: 'unix', text: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' });
  t.same(parseEngineEndpoint('tcp://10.1.2.3:2375', {}), { kind: 'tcp', text: 'tcp://10.1.2.3:2375', host: '10.1.2.3', port: 2375 });
  t.same(
    parseEngineEndpoint('tcp://build1:2376', { HOME: '/home/u' }).kind === 'tcp' && parseEngineEndpoint('tcp://build1:2376', { HOME: '/home/u' }),
    {
      kind: 'tcp',
      text: 'tcp://build1:2376',
      host: 'build1',
      port: 2376,
      tls: { certDir: '/home/u/.docker', verify: true },
    },
    'port 2376 is TLS, certificates from ~/.docker',
  );
  t.same(
    (parseEngineEndpoint('tcp://b:9999', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }) as { tls?: unknown }).tls,
    { certDir: '/certs', verify: true },
    'DOCKER_TLS_VERIFY and DOCKER_CERT_PATH',
  );
  t.same(parseEngineEndpoint('ssh://ci@host.example:2222', {}), {
    kind: 'ssh',
    text: 'ssh://ci@host.example:2222',
    host: 'host.example',
    port: 2222,
    username: 'ci',
  });
  t.same(parseEngineEndpoint('tcp://[::1]:2375', {}), { kind: 'tcp', text: 'tcp://[::1]:2375', host: '::1', port: 2375 });
});

t.test('bad endpoints say which and why', async (t) => {
  t.throws(() => parseEngineEndpoint('http://x:1', {}), { code: 'USAGE', message: /--engine: `http:\/\/x:1` is not a Docker endpoint: unknown scheme/ });
  t.throws(() => parseEngineEndpoint('tcp://x', {}), { message: /needs a port/ });
  t.throws(() => parseEngineEndpoint('unix://relative.sock', {}), { message: /absolute path/ });
  t.throws(() => parseEngineEndpoint('docker-host', {}, 'DRDSAFE_ENGINES'), { message: /^DRDSAFE_ENGINES: `docker-host` .*no scheme/ });
});

t.test('engines from --engine, else DRDSAFE_ENGINES, else the environment', async (t) => {
  t.same(
    enginesFrom(['unix:///a.sock', 'tcp://b:2375'], { DRDSAFE_ENGINES: 'unix:///ignored' }).map((e) => e.text),
    ['unix:///a.sock', 'tcp://b:2375'],
  );
  t.same(
    enginesFrom(undefined, { DRDSAFE_ENGINES: 'unix:///a.sock, tcp://b:2375\nssh://c' }).map((e) => e.kind),
    ['unix', 'tcp', 'ssh'],
  );
  t.same(enginesFrom(undefined, { DOCKER_HOST: 'tcp://d:2375' }), [{ kind: 'environment', text: 'tcp://d:2375' }]);
  t.throws(() => enginesFrom(['unix:///a.sock', 'unix:///a.sock'], {}), { message: /given twice/ });
});
