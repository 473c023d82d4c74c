/**
 * Finds and removes containers that runs of dead drdsafe processes left
 * behind (a crash, a SIGKILL, a lost engine connection). A container is stale
 * when its owner's session is over: past its expiry, or its owner process on
 * this machine is gone. Containers of live sessions elsewhere are left alone.
 */
import type { ContainerClient, ContainerSummary } from './container-client.js';
import { LABEL } from './labels.js';
import type { Session } from './labels.js';

/** How old an unlabelled-expiry drdsafe container must be before it counts as stale. */
const MAX_AGE_WITHOUT_EXPIRY_MS = 24 * 60 * 60 * 1000;

export interface Liveness {
  readonly now: number;
  readonly hostname: string;
  readonly isPidAlive: (pid: number) => boolean;
}

export function processLiveness(hostname: string, now: number = Date.now()): Liveness {
  return {
    now,
    hostname,
    isPidAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        // EPERM: it exists but belongs to someone else.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}

/** Why a container is stale, or `undefined` when its owner may still be using it. */
export function staleReason(container: ContainerSummary, liveness: Liveness, ownSessionId?: string): string | undefined {
  const session = container.labels[LABEL.session];
  if (session === undefined || session === ownSessionId) return undefined;
  const expires = Number(container.labels[LABEL.expires]);
  if (Number.isFinite(expires) && expires > 0 && expires < liveness.now) return 'expired';
  const owner = container.labels[LABEL.owner];
  const colon = owner?.lastIndexOf(':') ?? -1;
  if (owner !== undefined && colon > 0) {
    const host = owner.slice(0, colon);
    const pid = Number(owner.slice(colon + 1));
    if (host === liveness.hostname && Number.isInteger(pid) && pid > 0 && !liveness.isPidAlive(pid)) return 'owner exited';
    return undefined;
  }
  if (!Number.isFinite(expires) && container.created * 1000 + MAX_AGE_WITHOUT_EXPIRY_MS < liveness.now) return 'old, no owner';
  return undefined;
}

export interface SweepResult {
  readonly removed: readonly { readonly id: string; readonly run?: string; readonly reason: string }[];
  readonly failed: readonly { readonly id: string; readonly error: unknown }[];
  /** drdsafe containers left alone because their owners may be alive. */
  readonly kept: number;
}

export interface SweepOptions {
  readonly liveness: Liveness;
  /** The caller's own session: never swept. */
  readonly session?: Session;
  /** Remove every drdsafe container except the caller's own, dead owner or not. Default: `false`. */
  readonly all?: boolean;
}

export async function sweepStaleContainers(client: ContainerClient, options: SweepOptions): Promise<SweepResult> {
  const containers = await client.listContainers({ [LABEL.session]: '' });
  const removed: { id: string; run?: string; reason: string }[] = [];
  const failed: { id: string; error: unknown }[] = [];
  let kept = 0;
  for (const container of containers) {
    const own = container.labels[LABEL.session] === options.session?.id;
    const reason = own ? undefined : options.all ? 'requested' : staleReason(container, options.liveness, options.session?.id);
    if (reason === undefined) {
      kept++;
      continue;
    }
    try {
      await client.removeContainer(container.id);
      const run = container.labels[LABEL.run];
      removed.push({ id: container.id, reason, ...(run !== undefined ? { run } : {}) });
    } catch (error) {
      failed.push({ id: container.id, error });
    }
  }
  return { removed, failed, kept };
}
