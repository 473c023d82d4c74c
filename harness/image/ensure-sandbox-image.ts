/**
 * Makes sure the sandbox image for the current inputs exists: reuse an image
 * whose tag and label carry the inputs' hash, otherwise build it (base image,
 * stand-ins compiled on the host, Dockerfile built from a context tar with
 * every build event checked).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ContainerClient, ProgressEvent } from '../engine/container-client.js';
import { imageLabels, LABEL } from '../engine/labels.js';
import type { Session } from '../engine/labels.js';
import { packPaths } from '../engine/tar-archive.js';
import { runProcess } from '../process/run-process.js';
import { HarnessError } from '../errors.js';
import { ensureBaseImage } from './base-image.js';
import { acquireBuildLock } from './build-lock.js';
import { withTimeLimit } from './with-time-limit.js';
import { imageHashes, sandboxImageRef } from './image-inputs.js';

export interface EnsureImageOptions {
  /** The `images/` folder. */
  readonly imagesDir: string;
  readonly session: Session;
  readonly signal: AbortSignal;
  /** Rebuild the sandbox image (not the base) even when one with the same inputs exists. Default: `false`. */
  readonly force?: boolean;
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (`image: ...`). Default: none. */
  readonly log?: (line: string) => void;
  /** Time limit of the stand-ins' `make`. Default: 10 minutes. */
  readonly makeTimeoutMs?: number;
  /** Time limit of the Dockerfile build. Default: 20 minutes. */
  readonly buildTimeoutMs?: number;
}

export interface SandboxImage {
  /** `drdsafe-sandbox:<hash12>`. */
  readonly ref: string;
  readonly id: string;
  readonly inputsHash: string;
  /** Whether this call built it (false: reused). */
  readonly built: boolean;
}

export async function ensureSandboxImage(client: ContainerClient, options: EnsureImageOptions): Promise<SandboxImage> {
  const log = options.log ?? (() => undefined);
  const env = options.env ?? process.env;
  await assertDockerfile(options.imagesDir);
  const hashes = await imageHashes(options.imagesDir, env);
  const ref = sandboxImageRef(hashes.sandbox);
  const reuse = async (): Promise<SandboxImage | undefined> => {
    const existing = await client.inspectImage(ref);
    return existing && existing.labels[LABEL.inputsHash] === hashes.sandbox ? { ref, id: existing.id, inputsHash: hashes.sandbox, built: false } : undefined;
  };
  if (!options.force) {
    const found = await reuse();
    if (found) return found;
  }
  await using _lock = await acquireBuildLock(path.join(options.imagesDir, '.build', 'build.lock'), {
    signal: options.signal,
    onWait: (pid) => log(`image: waiting for another build${pid ? ` (pid ${pid})` : ''} to finish`),
  });
  // Whoever held the lock may have just built the same image.
  if (!options.force) {
    const found = await reuse();
    if (found) return found;
  }
  log(`image: building ${ref}`);
  const baseRef = await ensureBaseImage(client, {
    imagesDir: options.imagesDir,
    rootfsHash: hashes.rootfs,
    session: options.session,
    signal: options.signal,
    env,
    log,
  });

  const standinsOut = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-standins-'));
  try {
    log('image: compiling the stand-ins');
    await runProcess('make', ['-C', path.join(options.imagesDir, 'standins'), `OUT=${path.join(standinsOut, 'standins')}`], {
      timeoutMs: options.makeTimeoutMs ?? 10 * 60_000,
      signal: options.signal,
      env,
      onStderrLine: (line) => log(`image: make: ${line}`),
      hint: 'fix the stand-in sources in images/standins (is a C compiler installed?)',
    });
    // strace with the cwd cache (images/strace/build-strace.sh): built once, then reused from images/.build/strace.
    log('image: strace with the cwd cache (built on first use, about a minute)');
    await runProcess('sh', [path.join(options.imagesDir, 'strace', 'build-strace.sh'), path.join(standinsOut, 'tracer')], {
      timeoutMs: options.makeTimeoutMs ?? 10 * 60_000,
      signal: options.signal,
      env,
      onStderrLine: (line) => log(`image: ${line}`),
      hint: 'see the build-strace lines above (scripts/setup.sh installs the compiler, make, patch and xz it needs)',
    });
    const context = packPaths([
      ...hashes.inputs.map((f) => ({ name: f.name, path: f.absolutePath })),
      { name: '.build/standins', path: path.join(standinsOut, 'standins') },
      { name: '.build/tracer', path: path.join(standinsOut, 'tracer') },
    ]);
    const id = await withTimeLimit(`build ${ref}`, options.buildTimeoutMs ?? 20 * 60_000, options.signal, (signal) =>
      client.buildImage(context, {
        tag: ref,
        labels: imageLabels(options.session, hashes.sandbox),
        buildArgs: { BASE: baseRef },
        signal,
        onProgress: (event) => logBuildEvent(event, log),
      }),
    );
    log(`image: built ${ref}`);
    return { ref, id, inputsHash: hashes.sandbox, built: true };
  } finally {
    await rm(standinsOut, { recursive: true, force: true });
  }
}

/** Step lines and command output of the build, one line each; download progress bars are left out. */
function logBuildEvent(event: ProgressEvent, log: (line: string) => void): void {
  for (const line of (event.stream ?? '').split('\n')) {
    const text = line.trimEnd();
    if (text.trim() !== '') log(`image: ${text}`);
  }
}

async function assertDockerfile(imagesDir: string): Promise<void> {
  const found = await stat(path.join(imagesDir, 'Dockerfile')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    throw new HarnessError('IMAGE_BUILD_FAILED', `no Dockerfile in ${imagesDir}`, {
      hint: 'run drdsafe from a complete checkout of the project (images/Dockerfile is part of it)',
    });
  }
}
