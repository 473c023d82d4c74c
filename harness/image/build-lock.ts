/**
 * One image build at a time per project folder. Two `drdsafe run`s (or two
 * test files running in parallel) that both find the image missing would
 * otherwise run debootstrap into the same directory at once. The lock is a
 * directory made atomically with `mkdir`, holding the owner's pid; a lock whose
 * owner is gone is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { HarnessError } from '../errors.js';

export interface BuildLockOptions {
  readonly signal: AbortSignal;
  /** Give up waiting after this long. Default: 45 minutes (a full base build). */
  readonly timeoutMs?: number;
  /** Told once when the lock is held by someone else. Default: none. */
  readonly onWait?: (ownerPid: number | undefined) => void;
  /** Default: `process.kill(pid, 0)` succeeds. */
  readonly isPidAlive?: (pid: number) => boolean;
  /** Default: `200`. */
  readonly pollMs?: number;
}

export interface BuildLock extends AsyncDisposable {
  release(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireBuildLock(lockDir: string, options: BuildLockOptions): Promise<BuildLock> {
  const isAlive = options.isPidAlive ?? pidAlive;
  const deadline = Date.now() + (options.timeoutMs ?? 45 * 60_000);
  const ownerFile = path.join(lockDir, 'owner');
  await mkdir(path.dirname(lockDir), { recursive: true });
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(ownerFile, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(ownerFile, 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      // The builder died without releasing; its half-made output is redone by the next build.
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      options.onWait?.(owner > 0 ? owner : undefined);
      told = true;
    }
    if (Date.now() > deadline) {
      throw new HarnessError('IMAGE_BUILD_FAILED', `another image build holds ${lockDir}`, {
        hint: `wait for it to finish, or remove ${lockDir} if no drdsafe build is running`,
      });
    }
    await sleep(options.pollMs ?? 200, undefined, { signal: options.signal }).catch(() => {
      throw new HarnessError('ABORTED', 'cancelled while waiting for another image build', { cause: options.signal.reason });
    });
  }
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => (released ??= rm(lockDir, { recursive: true, force: true }));
  return { release, [Symbol.asyncDispose]: release };
}
