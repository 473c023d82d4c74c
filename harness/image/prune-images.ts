/**
 * Removes drdsafe images made from inputs other than the current `images/`
 * folder: sandbox images of older hashes and base images no current sandbox
 * image needs.
 */
import type { ContainerClient } from '../engine/container-client.js';
import { LABEL } from '../engine/labels.js';
import { BASE_REPO, imageHashes, SANDBOX_REPO } from './image-inputs.js';

export interface PruneResult {
  readonly removed: readonly string[];
  readonly kept: readonly string[];
}

export async function pruneImages(client: ContainerClient, options: { readonly imagesDir: string; readonly env?: NodeJS.ProcessEnv }): Promise<PruneResult> {
  const hashes = await imageHashes(options.imagesDir, options.env ?? process.env);
  const current = new Set([hashes.sandbox, hashes.rootfs]);
  const removed: string[] = [];
  const kept: string[] = [];
  const images = [...(await client.listImages({ [LABEL.inputsHash]: '' }))];
  // Sandbox images before the bases they were built on.
  images.sort((a, b) => Number(a.tags.some((t) => t.startsWith(BASE_REPO))) - Number(b.tags.some((t) => t.startsWith(BASE_REPO))));
  for (const image of images) {
    const ours = image.tags.filter((t) => t.startsWith(`${SANDBOX_REPO}:`) || t.startsWith(`${BASE_REPO}:`));
    if (ours.length === 0) continue;
    if (current.has(image.labels[LABEL.inputsHash] ?? '')) {
      kept.push(...ours);
      continue;
    }
    for (const ref of ours) {
      await client.removeImage(ref);
      removed.push(ref);
    }
  }
  return { removed, kept };
}
