import t from 'tap';
import { staleReason, sweepStaleContainers } from '../../harness/engine/sweep.js';
import { containerLabels, LABEL } from '../../harness/engine/labels.js';
import type { Session } from '../../harness/engine/labels.js';
import type { ContainerSummary } from '../../harness/engine/container-client.js';
import { FakeContainerClient } from '../fixtures/engine/fake-container-client.js';

const now = 1_700_000_000_000;
const me: Session = { id: 'me', hostname: 'host-a', pid: 100 };
const alive = new Set([100, 200]);
const liveness = { now, hostname: 'host-a', isPidAlive: (pid: number) => alive.has(pid) };
const container = (labels: Record<string, string>, created = now / 1000): ContainerSummary => ({
  id: `id-${Object.values(labels).join('-')}`,
  image: 'drdsafe-sandbox:x',
  state: 'running',
  labels,
  created,
});

t.test('staleReason', async (t) => {
  const later = now + 60_000;
  t.equal(staleReason(container(containerLabels(me, 'r', later)), liveness, 'me'), undefined, 'own session is never stale');
  t.equal(
    staleReason(container(containerLabels({ id: 'other', hostname: 'host-a', pid: 200 }, 'r', later)), liveness, 'me'),
    undefined,
    'live owner on this host',
  );
  t.equal(staleReason(container(containerLabels({ id: 'dead', hostname: 'host-a', pid: 300 }, 'r', later)), liveness, 'me'), 'owner exited');
  t.equal(
    staleReason(container(containerLabels({ id: 'remote', hostname: 'host-b', pid: 300 }, 'r', later)), liveness, 'me'),
    undefined,
    'an owner on another host may be alive',
  );
  t.equal(staleReason(container(containerLabels({ id: 'remote', hostname: 'host-b', pid: 300 }, 'r', now - 1)), liveness, 'me'), 'expired');
  t.equal(staleReason(container({ other: 'x' }), liveness, 'me'), undefined, 'not ours');
  t.equal(
    staleReason(container({ [LABEL.session]: 'img', [LABEL.owner]: 'host-a:300', [LABEL.run]: 'image-build' }, 0), liveness, 'me'),
    undefined,
    'labels inherited from a drdsafe image (no expiry) do not make a container ours',
  );
  t.equal(staleReason(container({ [LABEL.session]: 'x', [LABEL.expires]: 'soon' }), liveness, 'me'), 'expired', 'an unreadable expiry counts as past');
  const gone = { id: 'gone', hostname: 'host-a', pid: 300 };
  t.equal(staleReason(container(containerLabels(gone, 'kept', later, true)), liveness, 'me'), undefined, 'kept: its owner exited by design');
  t.equal(staleReason(container(containerLabels(gone, 'kept', now - 1, true)), liveness, 'me'), 'expired', 'kept, until it expires');
});

t.test('sweep removes only the dead sessions, and reports failures without stopping', async (t) => {
  const client = new FakeContainerClient();
  const later = now + 60_000;
  const mine = await client.createContainer(spec(containerLabels(me, 'mine', later)));
  const live = await client.createContainer(spec(containerLabels({ id: 'live', hostname: 'host-a', pid: 200 }, 'live', later)));
  const dead1 = await client.createContainer(spec(containerLabels({ id: 'd1', hostname: 'host-a', pid: 301 }, 'dead1', later)));
  const dead2 = await client.createContainer(spec(containerLabels({ id: 'd2', hostname: 'host-b', pid: 1 }, 'dead2', now - 5)));
  const dead3 = await client.createContainer(spec(containerLabels({ id: 'd3', hostname: 'host-a', pid: 302 }, 'dead3', later)));
  const unrelated = await client.createContainer(spec({ app: 'other' }));
  const fromImage = await client.createContainer(spec({ [LABEL.session]: 'img', [LABEL.owner]: 'host-a:301', [LABEL.run]: 'image-build' }));
  client.removeContainer = (async (id: string) => {
    if (id === dead3) throw new Error('engine busy');
    client.containers.delete(id);
  }) as typeof client.removeContainer;

  const result = await sweepStaleContainers(client, { liveness, session: me });
  t.same(
    result.removed.map((r) => [r.id, r.run, r.reason]),
    [
      [dead1, 'dead1', 'owner exited'],
      [dead2, 'dead2', 'expired'],
    ],
  );
  t.same(
    result.failed.map((f) => f.id),
    [dead3],
  );
  t.equal(result.kept, 2);
  t.same([...client.containers.keys()].sort(), [mine, live, dead3, unrelated, fromImage].sort());
});

t.test("sweep with all removes every drdsafe container but the caller's own", async (t) => {
  const client = new FakeContainerClient();
  const mine = await client.createContainer(spec(containerLabels(me, 'mine', now + 1)));
  await client.createContainer(spec(containerLabels({ id: 'live', hostname: 'host-a', pid: 200 }, 'live', now + 60_000)));
  const fromImage = await client.createContainer(spec({ [LABEL.session]: 'img', [LABEL.run]: 'image-build' }));
  const result = await sweepStaleContainers(client, { liveness, session: me, all: true });
  t.equal(result.removed.length, 1);
  t.same([...client.containers.keys()], [mine, fromImage], 'a container made by others from a drdsafe image is never touched');
});

function spec(labels: Record<string, string>) {
  return {
    image: 'drdsafe-sandbox:x',
    cmd: ['sleep', 'infinity'],
    labels,
    networkMode: 'none',
    capAdd: [],
    securityOpt: [],
    pidsLimit: 1,
    memoryBytes: 1,
    tmpfs: {},
    init: true,
  };
}
