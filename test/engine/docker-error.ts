import t from 'tap';
import { DockerError } from '../../harness/errors.js';
import { statusOf, toDockerError } from '../../harness/engine/docker-error.js';

t.test('API failures keep the status, the engine message and the container id', async (t) => {
  const engine = Object.assign(new Error('(HTTP code 409) unexpected'), { statusCode: 409, json: { message: 'container is paused' } });
  const e = toDockerError('exec run-phase', engine, '0123456789abcdef0123');
  t.ok(e instanceof DockerError);
  t.equal(e.code, 'DOCKER_FAILED');
  t.equal(e.statusCode, 409);
  t.equal(e.containerId, '0123456789abcdef0123');
  t.equal(e.op, 'exec run-phase');
  t.match(e.message, /container is paused/);
  t.match(e.message, /0123456789ab\)/);
  t.equal(e.cause, engine);
  t.match(e.hint, /gc/);
});

t.test('connection failures are DOCKER_UNAVAILABLE', async (t) => {
  const e = toDockerError('ping', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  t.equal(e.code, 'DOCKER_UNAVAILABLE');
  t.match(e.hint, /dockerd/);
});

t.test('a DockerError passes through; statusOf reads only numbers', async (t) => {
  const original = new DockerError('IMAGE_BUILD_FAILED', 'build', 'failed');
  t.equal(toDockerError('other', original), original);
  t.equal(statusOf({ statusCode: 404 }), 404);
  t.equal(statusOf({ statusCode: '404' }), undefined);
  t.equal(statusOf(undefined), undefined);
});
