/**
 * A sandbox container in its two states, kept apart in the types:
 * `new Sandbox(client, spec).start()` gives a `StartedSandbox` (exec, files in
 * and out), whose `stop()` removes the container and gives a `StoppedSandbox`.
 * A start that fails halfway removes what it created before rethrowing.
 */
import type { Readable } from 'node:stream';
import { HarnessError, InternalError } from '../errors.js';
import { attachSecondaryError } from '../engine/attach-secondary-error.js';
import type { ContainerClient, ContainerSpec, ExecOptions, ExecResult } from '../engine/container-client.js';

export interface SandboxOptions {
  /** Aborting removes the container (during start, or any time after). */
  readonly signal?: AbortSignal;
  /** Told about cleanup failures that are not thrown. Default: none. */
  readonly onWarning?: (message: string, error: unknown) => void;
}

function abortError(signal: AbortSignal): HarnessError {
  return new HarnessError('ABORTED', 'the run was cancelled', { cause: signal.reason });
}

export class Sandbox {
  readonly #client: ContainerClient;
  readonly #spec: ContainerSpec;
  readonly #options: SandboxOptions;

  constructor(client: ContainerClient, spec: ContainerSpec, options: SandboxOptions = {}) {
    this.#client = client;
    this.#spec = spec;
    this.#options = options;
  }

  async start(): Promise<StartedSandbox> {
    const { signal } = this.#options;
    if (signal?.aborted) throw abortError(signal);
    const id = await this.#client.createContainer(this.#spec);
    try {
      await this.#client.startContainer(id);
      if (signal?.aborted) throw abortError(signal);
      return new StartedSandbox(this.#client, id, this.#options);
    } catch (error) {
      try {
        await this.#client.removeContainer(id);
      } catch (secondary) {
        this.#options.onWarning?.(`could not remove container ${id.slice(0, 12)} after a failed start`, secondary);
        attachSecondaryError(error, secondary);
      }
      throw error;
    }
  }
}

export class StartedSandbox implements AsyncDisposable {
  readonly id: string;
  readonly #client: ContainerClient;
  readonly #signal: AbortSignal | undefined;
  #stopping: Promise<StoppedSandbox> | undefined;
  readonly #onAbort = (): void => {
    // The returned promise is cached; whoever awaits stop() later sees its outcome.
    this.stop().catch(() => undefined);
  };

  constructor(client: ContainerClient, id: string, options: SandboxOptions = {}) {
    this.#client = client;
    this.id = id;
    this.#signal = options.signal;
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  exec(options: ExecOptions): Promise<ExecResult> {
    this.#assertRunning('exec');
    const signal = options.signal ?? this.#signal;
    return this.#client.exec(this.id, { ...options, ...(signal ? { signal } : {}) });
  }

  putArchive(path: string, tar: Readable | Buffer): Promise<void> {
    this.#assertRunning('putArchive');
    return this.#client.putArchive(this.id, path, tar);
  }

  getArchive(path: string): Promise<Readable> {
    this.#assertRunning('getArchive');
    return this.#client.getArchive(this.id, path);
  }

  /** Removes the container (killing whatever runs in it). Idempotent: every call gets the same promise. */
  stop(): Promise<StoppedSandbox> {
    this.#stopping ??= (async () => {
      this.#signal?.removeEventListener('abort', this.#onAbort);
      await this.#client.removeContainer(this.id);
      return new StoppedSandbox(this.id);
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #assertRunning(op: string): void {
    if (this.#stopping) throw new InternalError(`${op} on sandbox ${this.id.slice(0, 12)} after stop()`);
    if (this.#signal?.aborted) throw abortError(this.#signal);
  }
}

export class StoppedSandbox {
  constructor(readonly id: string) {}
}
