import t from 'tap';
import net from 'node:net';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';

function clientFor(dockerHost: string): DockerContainerClient {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = dockerHost;
  try {
    // dockerode reads DOCKER_HOST when the client is made.
    return new DockerContainerClient();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

t.test('an address where nothing listens is DOCKER_UNAVAILABLE with a hint', async (t) => {
  await t.rejects(clientFor('tcp://127.0.0.1:1').ping(), { code: 'DOCKER_UNAVAILABLE', op: 'ping', hint: /dockerd|DOCKER_HOST/ });
  await t.rejects(clientFor('unix:///nonexistent/docker.sock').info(), { code: 'DOCKER_UNAVAILABLE', op: 'info' });
});

t.test('an endpoint that answers but is no engine is DOCKER_UNAVAILABLE on ping', async (t) => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  await t.rejects(clientFor(`tcp://127.0.0.1:${port}`).ping(), { code: 'DOCKER_UNAVAILABLE' });
});

t.test('an endpoint that accepts the connection but never answers fails the ping within its timeout', async (t) => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  const started = Date.now();
  await t.rejects(clientFor(`tcp://127.0.0.1:${port}`).ping(300), { code: 'DOCKER_UNAVAILABLE', message: /did not answer/ });
  t.ok(Date.now() - started < 5000);
});
