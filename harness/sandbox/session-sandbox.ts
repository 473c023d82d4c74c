/**
 * One SD session in one sandbox container: the container is started once,
 * `run-session` runs in it for the whole session, and the harness talks to
 * it over its stdin and stdout, one JSON line each way
 * (contract/session-protocol.ts): `prepare` lays the booted tree out,
 * `boot` boots it, `apply` and `run-booted` install what must be there
 * before, `clone` clones it once, then `apply` and `phase` as often as the
 * session needs, each phase traced on the same clone, then `finish`. Inputs travel as tar archives into
 * /drdsafe/in before the message that needs them; `fetch` brings
 * /drdsafe/out back. `stop()` (or `await using`) removes the container.
 */
import { PassThrough } from 'node:stream';
import { HarnessError } from '../errors.js';
import { timeLimit } from '../time-limit.js';
import type { ContainerClient, ExecResult } from '../engine/container-client.js';
import { containerLabels, KEEP_FOR_MS } from '../engine/labels.js';
import { extractTar, packFiles } from '../engine/tar-archive.js';
import type { TarFile } from '../engine/tar-archive.js';
import type { ContractError } from '../contract/check-json.js';
import {
  checkApplyReply,
  checkFailureReply,
  checkFinishReply,
  checkPhaseReply,
  checkPrepareReply,
  checkBootReply,
  checkCloneReply,
  checkRunBootedReply,
  type ApplyMessage,
  type ApplyReply,
  type BootReply,
  type CloneReply,
  type FinishMessage,
  type FinishReply,
  type PhaseMessage,
  type PhaseReply,
  type PrepareMessage,
  type PrepareReply,
  type RunBootedMessage,
  type RunBootedReply,
  type SessionMessage,
} from '../contract/session-protocol.js';
import { Sandbox } from './sandbox.js';
import type { StartedSandbox } from './sandbox.js';
import { sandboxSpec } from './sandbox-spec.js';
import type { SandboxSessionOptions } from './sandbox-session.js';

export const RUN_SESSION_COMMAND = '/opt/drdsafe/bin/run-session';
export const SESSION_IN = '/drdsafe/in';
export const SESSION_OUT = '/drdsafe/out';

/** Time a step gets beyond a script's own timeout (hashing, settling, copying trees). */
export const STEP_ALLOWANCE_MS = 120_000;

/** As a SandboxSession's: the container's image, labels, limits; `log` gets run-session's progress lines. */
export type SessionSandboxOptions = Omit<SandboxSessionOptions, 'now'>;

type Pending = { readonly resolve: (line: string) => void; readonly reject: (error: unknown) => void };

export class SessionSandbox implements AsyncDisposable {
  readonly #sandbox: StartedSandbox;
  readonly #options: SessionSandboxOptions;
  readonly #input = new PassThrough();
  readonly #waiting: Pending[] = [];
  #stdout = '';
  #exec: Promise<ExecResult> | undefined;
  #ended: unknown;
  #stopping: Promise<void> | undefined;
  /** Create and start of the container, ms. */
  readonly startMs: number;

  private constructor(sandbox: StartedSandbox, options: SessionSandboxOptions, startMs: number) {
    this.#sandbox = sandbox;
    this.#options = options;
    this.startMs = startMs;
  }

  /** Creates and starts the container; nothing runs in it until `start`. */
  static async create(client: ContainerClient, options: SessionSandboxOptions): Promise<SessionSandbox> {
    const engine = await client.info();
    const spec = sandboxSpec({
      image: options.image,
      labels: options.keep
        ? containerLabels(options.session, options.runId, Date.now() + KEEP_FOR_MS, true)
        : containerLabels(options.session, options.runId, options.expiresAt),
      engineCpus: engine.cpus,
      ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    const t = Date.now();
    const sandbox = await new Sandbox(client, spec, { signal: options.signal, onWarning: (m) => options.log?.(`warning: ${m}`) }).start();
    return new SessionSandbox(sandbox, options, Date.now() - t);
  }

  get containerId(): string {
    return this.#sandbox.id;
  }

  /** Sends files into /drdsafe/in (names relative to it). */
  async send(files: readonly TarFile[]): Promise<void> {
    if (files.length === 0) return;
    await this.#sandbox.putArchive('/', packFiles(files.map((f) => ({ ...f, name: `drdsafe/in/${f.name}` }))));
  }

  /** Starts run-session, which mounts the trees and lays the booted tree out. */
  async prepare(message: PrepareMessage, timeoutMs = STEP_ALLOWANCE_MS): Promise<PrepareReply> {
    if (this.#exec !== undefined) throw new HarnessError('SANDBOX_FAILED', 'the session was started twice');
    let pending = '';
    const log = this.#options.log ?? (() => undefined);
    this.#exec = this.#sandbox.exec({
      cmd: [RUN_SESSION_COMMAND],
      stdin: this.#input,
      signal: this.#options.signal,
      onStdout: (chunk) => this.#onStdout(chunk),
      onStderr: (chunk) => {
        pending += chunk.toString('utf8');
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          log(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
        }
      },
    });
    // run-session ended: every request still waiting fails with why.
    this.#exec.then(
      (r) =>
        this.#fail(new HarnessError('SANDBOX_FAILED', `run-session ended (exit code ${r.exitCode}) before it answered${pending ? `: ${pending.trim()}` : ''}`)),
      (error: unknown) => this.#fail(error),
    );
    return this.#ask(message, timeoutMs, checkPrepareReply);
  }

  /** Boots the booted system and waits for its daemons. */
  boot(): Promise<BootReply> {
    return this.#ask({ op: 'boot' }, STEP_ALLOWANCE_MS, checkBootReply);
  }

  /** One script untraced on the booted system (software installed before the session). */
  runBooted(message: RunBootedMessage): Promise<RunBootedReply> {
    return this.#ask(message, message.timeoutSeconds * 1000 + STEP_ALLOWANCE_MS, checkRunBootedReply);
  }

  /** Clones the booted system: the inactive image every later phase runs on. */
  clone(): Promise<CloneReply> {
    return this.#ask({ op: 'clone' }, STEP_ALLOWANCE_MS, checkCloneReply);
  }

  apply(message: ApplyMessage, timeoutMs = STEP_ALLOWANCE_MS): Promise<ApplyReply> {
    return this.#ask(message, timeoutMs, checkApplyReply);
  }

  phase(message: PhaseMessage): Promise<PhaseReply> {
    return this.#ask(message, message.timeoutSeconds * 1000 + STEP_ALLOWANCE_MS, checkPhaseReply);
  }

  /** Ends the session in the container (its image's SD files kept in /drdsafe/out) and waits for run-session to exit. */
  async finish(message: FinishMessage): Promise<FinishReply> {
    const reply = await this.#ask(message, STEP_ALLOWANCE_MS, checkFinishReply);
    this.#input.end();
    await this.#exec;
    return reply;
  }

  /** /drdsafe/out into `dir`. */
  async fetch(dir: string): Promise<void> {
    await extractTar(await this.#sandbox.getArchive(SESSION_OUT), dir, { strip: 1 });
  }

  /** Removes the container (or, with `keep`, says how to). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#input.end();
      const id = this.#sandbox.id.slice(0, 12);
      if (this.#options.keep && !this.#options.signal.aborted) {
        this.#options.log?.(`kept container ${id} for a day (docker exec -it ${id} bash; remove it with docker rm -f ${id} or drdsafe gc --all)`);
        return;
      }
      await this.#sandbox.stop();
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #onStdout(chunk: Buffer): void {
    this.#stdout += chunk.toString('utf8');
    for (let nl = this.#stdout.indexOf('\n'); nl >= 0; nl = this.#stdout.indexOf('\n')) {
      const line = this.#stdout.slice(0, nl);
      this.#stdout = this.#stdout.slice(nl + 1);
      const waiter = this.#waiting.shift();
      if (waiter === undefined) {
        this.#options.log?.(`run-session said, unasked: ${line}`);
        continue;
      }
      waiter.resolve(line);
    }
  }

  #fail(error: unknown): void {
    this.#ended ??= error;
    for (const w of this.#waiting.splice(0)) w.reject(error);
  }

  /** Sends one message and waits for its reply line, checked; a failure reply or no reply in time is the sandbox's failure. */
  async #ask<T>(message: SessionMessage, timeoutMs: number, check: (value: unknown, file: string) => T): Promise<T> {
    if (this.#ended !== undefined) throw this.#ended;
    const line = new Promise<string>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#input.write(JSON.stringify(message) + '\n');
    const limit = timeLimit(this.#options.signal, timeoutMs);
    const text = await new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        reject(
          limit.expired
            ? new HarnessError('SANDBOX_FAILED', `run-session did not answer \`${message.op}\` within ${Math.round(timeoutMs / 1000)} s`, {
                hint: 'the sandbox hung outside the script; run again with --keep and inspect the container',
              })
            : new HarnessError('ABORTED', 'the run was cancelled', { cause: this.#options.signal.reason }),
        );
      };
      if (limit.signal.aborted) return onAbort();
      limit.signal.addEventListener('abort', onAbort, { once: true });
      line.then(resolve, reject);
    }).finally(() => limit.dispose());
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new HarnessError('SANDBOX_FAILED', `run-session answered \`${message.op}\` with a line that is not JSON: ${text.slice(0, 200)}`, { cause: error });
    }
    if ((value as { ok?: unknown }).ok === false) {
      const failure = checkFailureReply(value, `run-session's reply to ${message.op}`);
      throw new HarnessError('SANDBOX_FAILED', `run-session could not ${message.op}: ${failure.error}`, {
        hint: 'rebuild the image with `drdsafe image build --force` if it is stale; run again with --keep to inspect the container',
      });
    }
    try {
      return check(value, `run-session's reply to ${message.op}`);
    } catch (error) {
      throw new HarnessError('SANDBOX_FAILED', (error as ContractError).message, {
        cause: error,
        hint: 'the sandbox image and the harness disagree; rebuild it with `drdsafe image build --force`',
      });
    }
  }
}
