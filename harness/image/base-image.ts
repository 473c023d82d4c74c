/**
 * The base image: a Debian root file system made by `images/rootfs/make-rootfs.sh`
 * on the host and imported through the engine API as a tar stream (no
 * registry, no shared file system with the engine).
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerClient } from '../engine/container-client.js';
import { imageLabels, LABEL } from '../engine/labels.js';
import type { Session } from '../engine/labels.js';
import { runProcess } from '../process/run-process.js';
import { streamProcess } from '../process/stream-process.js';
import { attachSecondaryError } from '../engine/attach-secondary-error.js';
import { baseImageRef } from './image-inputs.js';
import { withTimeLimit } from './with-time-limit.js';

export interface BaseImageOptions {
  readonly imagesDir: string;
  readonly rootfsHash: string;
  readonly session: Session;
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  /** debootstrap's time limit. Default: 30 minutes. */
  readonly rootfsTimeoutMs?: number;
  /** The import's time limit. Default: 10 minutes. */
  readonly importTimeoutMs?: number;
}

export async function ensureBaseImage(client: ContainerClient, options: BaseImageOptions): Promise<string> {
  const ref = baseImageRef(options.rootfsHash);
  const existing = await client.inspectImage(ref);
  if (existing && existing.labels[LABEL.inputsHash] === options.rootfsHash) {
    options.log(`image: base ${ref} present`);
    return ref;
  }
  const buildDir = path.join(options.imagesDir, '.build');
  const rootfsDir = path.join(buildDir, 'rootfs');
  const stamp = path.join(buildDir, 'rootfs.inputs-hash');
  await mkdir(buildDir, { recursive: true });
  const rebuild = await rootfsIsStale(rootfsDir, stamp, options);
  options.log(`image: making the root file system in ${path.relative(process.cwd(), rootfsDir) || rootfsDir}`);
  await runProcess('sh', [path.join(options.imagesDir, 'rootfs', 'make-rootfs.sh'), rootfsDir], {
    timeoutMs: options.rootfsTimeoutMs ?? 30 * 60_000,
    signal: options.signal,
    env: { ...options.env, ...(rebuild ? { DRDSAFE_REBUILD: '1' } : {}) },
    onStderrLine: (line) => options.log(`image: ${line}`),
    hint: 'read the make-rootfs output above (is debootstrap installed, is the Debian archive reachable?)',
  });
  await writeFile(stamp, options.rootfsHash + '\n');

  options.log(`image: importing ${ref}`);
  // If the import fails, stop tar at once rather than let it block on a full pipe.
  const stopTar = new AbortController();
  const onAbort = (): void => stopTar.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const tarProcess = streamProcess('tar', ['-C', rootfsDir, '--numeric-owner', '--exclude=./.drdsafe-rootfs-ok', '-c', '.'], {
    timeoutMs: options.importTimeoutMs ?? 10 * 60_000,
    signal: stopTar.signal,
  });
  try {
    await withTimeLimit(`import ${ref}`, options.importTimeoutMs ?? 10 * 60_000, options.signal, (signal) =>
      client.importImage(tarProcess.stdout, { tag: ref, labels: imageLabels(options.session, options.rootfsHash), signal }),
    );
    await tarProcess.result;
  } catch (error) {
    stopTar.abort();
    await tarProcess.result.catch((secondary: unknown) => attachSecondaryError(error, secondary));
    throw error;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
  return ref;
}

/**
 * Whether an existing root file system must be made again: its stamp names
 * other inputs, or (no stamp: made by hand with make-rootfs.sh) it was
 * finished before the last change to the recipe.
 */
async function rootfsIsStale(rootfsDir: string, stamp: string, options: BaseImageOptions): Promise<boolean> {
  const stamped = await readFile(stamp, 'utf8').then(
    (s) => s.trim(),
    () => undefined,
  );
  if (stamped !== undefined) return stamped !== options.rootfsHash;
  const finished = await stat(path.join(rootfsDir, '.drdsafe-rootfs-ok')).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  if (finished === undefined) return false;
  const recipeDir = path.join(options.imagesDir, 'rootfs');
  for (const name of await readdir(recipeDir)) {
    if ((await stat(path.join(recipeDir, name))).mtimeMs > finished) return true;
  }
  return false;
}
