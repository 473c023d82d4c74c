/**
 * Puts an image another engine has onto an engine that lacks it, as
 * `docker save | docker load` does, streamed through this process (no
 * registry): on one machine that took about 6 s for the sandbox image
 * where building it takes about 90 s.
 */
import type { ContainerClient } from '../engine/container-client.js';
import { HarnessError } from '../errors.js';
import { withTimeLimit } from './with-time-limit.js';

export interface CopyImageOptions {
  readonly signal: AbortSignal;
  /** Default: 10 minutes. */
  readonly timeoutMs?: number;
}

/** Copies `ref` from `from` to `to` unless `to` has it already; resolves with its id on `to`. */
export async function copyImage(from: ContainerClient, to: ContainerClient, ref: string, options: CopyImageOptions): Promise<string> {
  const there = await to.inspectImage(ref);
  if (there) return there.id;
  await withTimeLimit(`copy image ${ref}`, options.timeoutMs ?? 10 * 60_000, options.signal, async (signal) => {
    const tar = await from.saveImage(ref);
    try {
      await to.loadImage(tar, signal);
    } finally {
      tar.destroy();
    }
  });
  const loaded = await to.inspectImage(ref);
  if (!loaded)
    throw new HarnessError('DOCKER_FAILED', `the engine loaded the copy of ${ref} but does not list it`, { hint: 'check the engine with docker image ls' });
  return loaded.id;
}
