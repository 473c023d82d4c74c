/**
 * Finds and removes containers that runs of dead drdsafe processes left
 * behind (a crash, a SIGKILL, a lost engine connection). A container is stale
 * when its owner's session is over: past its expiry, or its owner process on
 * this machine is gone. Containers of live sessions elsewhere are left alone.
 */
import type { ContainerClient, ContainerSummary } from './container-client.js';
import { LABEL } from './labels.js';
import type { Session } from './labels.js';

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

/**
 * Whether drdsafe's sandbox code created this container. Containers inherit
 * their image's labels, and images carry `drdsafe.session` too, so a container
 * someone else made from a drdsafe image looks like ours; only the expiry
 * label, which is set on containers and never on images, tells them apart.
 */
export function isSandboxContainer(container: ContainerSummary): boolean {
  return container.labels[LABEL.session] !== undefined && container.labels[LABEL.expires] !== undefined;
}

/** Why a container is stale, or `undefined` when its owner may still be using it (or it is not ours). */
export function staleReason(container: ContainerSummary, liveness: Liveness, ownSessionId?: string): string | undefined {
  if (!isSandboxContainer(container) || container.labels[LABEL.session] === ownSessionId) return undefined;
  const expires = Number(container.labels[LABEL.expires]);
  if (!Number.isFinite(expires) || expires < liveness.now) return 'expired';
  // Kept for inspection: its owner has exited by design.
  if (container.labels[LABEL.keep] === '1') return undefined;
  const owner = container.labels[LABEL.owner];
  const colon = owner?.lastIndexOf(':') ?? -1;
  if (owner !== undefined && colon > 0) {
    const host = owner.slice(0, colon);
    const pid = Number(owner.slice(colon + 1));
    if (host === liveness.hostname && Number.isInteger(pid) && pid > 0 && !liveness.isPidAlive(pid)) return 'owner exited';
  }
  return undefined;
}

export interface SweepResult {
  readonly removed: readonly { readonly id: string; readonly run?: string; readonly reason: string }[];
  readonly failed: readonly { readonly id: string; readonly error: unknown }[];
  /** Sandbox containers left alone because their owners may be alive. */
  readonly kept: number;
}

export interface SweepOptions {
  readonly liveness: Liveness;
  /** The caller's own session: never swept. */
  readonly session?: Session;
  /** Remove every sandbox container except the caller's own, dead owner or not. Default: `false`. */
  readonly all?: boolean;
}

export async function sweepStaleContainers(client: ContainerClient, options: SweepOptions): Promise<SweepResult> {
  const containers = (await client.listContainers({ [LABEL.session]: '', [LABEL.expires]: '' })).filter(isSandboxContainer);
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
