/**
 * The dockerode implementation of `ContainerClient`, and the only module that
 * imports dockerode. It connects with dockerode's standard settings
 * (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, ssh://), so a remote
 * engine works like the local socket.
 */
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import type {
  BuildOptions,
  ContainerClient,
  ContainerSpec,
  ContainerSummary,
  EngineInfo,
  ExecOptions,
  ExecResult,
  ImageSummary,
  ImportOptions,
  Labels,
} from './container-client.js';
import { DockerError, UserError } from '../errors.js';
import type { EngineEndpoint } from './engine-endpoint.js';
import { DOCKER_UNAVAILABLE_HINT, statusOf, toDockerError } from './docker-error.js';
import { followProgress } from './follow-progress.js';

// Loaded when a client is made: dockerode (with ssh2 and protobufjs beneath it) takes about
// 0.2 CPU-s to load, which `drdsafe analyze` and every module that only imports this one
// would otherwise pay.
let DockerClass: typeof Docker | undefined;
function dockerode(): typeof Docker {
  return (DockerClass ??= createRequire(import.meta.url)('dockerode') as typeof Docker);
}

function labelFilter(labels: Labels): { label: string[] } {
  return { label: Object.entries(labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`)) };
}

/** The image id a build or import stream reported (`aux.ID`, or `status: sha256:...` for import). */
function reportedImageId(events: readonly { aux?: { ID?: string }; status?: string; stream?: string }[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e?.aux?.ID) return e.aux.ID;
    if (e?.status?.startsWith('sha256:')) return e.status.trim();
    const built = /Successfully built ([0-9a-f]{12,})/.exec(e?.stream ?? '');
    if (built?.[1]) return built[1];
  }
  return undefined;
}

export class DockerContainerClient implements ContainerClient {
  readonly #docker: Docker;

  /** Default: dockerode's own defaults, read from the environment (DOCKER_HOST and friends). */
  constructor(docker: Docker = new (dockerode())()) {
    this.#docker = docker;
  }

  /** A client of one endpoint (`engine-endpoint.ts`); TLS files are read here, so a missing one fails at once. */
  static async connect(endpoint: EngineEndpoint): Promise<DockerContainerClient> {
    switch (endpoint.kind) {
      case 'environment':
        return new DockerContainerClient();
      case 'unix':
        return new DockerContainerClient(new (dockerode())({ socketPath: endpoint.socketPath }));
      case 'ssh':
        return new DockerContainerClient(
          new (dockerode())({
            protocol: 'ssh',
            host: endpoint.host,
            port: endpoint.port,
            ...(endpoint.username ? { username: endpoint.username } : {}),
          } as Docker.DockerOptions),
        );
      case 'tcp': {
        if (endpoint.tls === undefined) return new DockerContainerClient(new (dockerode())({ protocol: 'http', host: endpoint.host, port: endpoint.port }));
        const dir = endpoint.tls.certDir;
        const read = async (name: string): Promise<Buffer> => {
          try {
            return await readFile(path.join(dir, name));
          } catch (error) {
            throw new UserError('INPUT_NOT_FOUND', `TLS file of ${endpoint.text} not found: ${path.join(dir, name)}`, {
              cause: error,
              hint: 'set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem (or unset DOCKER_TLS_VERIFY for a plain port)',
            });
          }
        };
        const [ca, cert, key] = await Promise.all([read('ca.pem'), read('cert.pem'), read('key.pem')]);
        return new DockerContainerClient(
          new (dockerode())({
            protocol: 'https',
            host: endpoint.host,
            port: endpoint.port,
            ca,
            cert,
            key,
            ...(endpoint.tls.verify ? {} : { checkServerIdentity: () => undefined }),
          } as Docker.DockerOptions),
        );
      }
    }
  }

  /** Fails within `timeoutMs` (default 15 s) when an engine accepts the connection but never answers. */
  async ping(timeoutMs = 15_000): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // dockerode 5 takes an abortSignal here; the v4 type definitions do not know it yet.
      const ping = this.#docker.ping.bind(this.#docker) as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
      await ping({ abortSignal: signal });
    } catch (error) {
      if (signal.aborted) {
        throw new DockerError('DOCKER_UNAVAILABLE', 'ping', `the Docker engine did not answer within ${timeoutMs / 1000} s`, {
          cause: error,
          hint: DOCKER_UNAVAILABLE_HINT,
        });
      }
      const e = toDockerError('ping', error);
      if (e.code === 'DOCKER_UNAVAILABLE') throw e;
      throw new DockerError('DOCKER_UNAVAILABLE', 'ping', `the Docker engine does not answer: ${e.message}`, {
        cause: error,
        hint: DOCKER_UNAVAILABLE_HINT,
      });
    }
  }

  async info(): Promise<EngineInfo> {
    try {
      const info = (await this.#docker.info()) as { ServerVersion?: string; NCPU?: number; MemTotal?: number; Name?: string };
      return { serverVersion: info.ServerVersion ?? 'unknown', cpus: info.NCPU ?? 1, memoryBytes: info.MemTotal ?? 0, hostName: info.Name ?? 'unknown' };
    } catch (error) {
      throw toDockerError('info', error);
    }
  }

  async inspectImage(ref: string): Promise<ImageSummary | undefined> {
    try {
      const i = await this.#docker.getImage(ref).inspect();
      return { id: i.Id, tags: i.RepoTags ?? [], labels: i.Config?.Labels ?? {}, created: Date.parse(i.Created) / 1000, sizeBytes: i.Size };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toDockerError(`inspect image ${ref}`, error);
    }
  }

  async listImages(labels: Labels): Promise<readonly ImageSummary[]> {
    try {
      const images = await this.#docker.listImages({ filters: labelFilter(labels) });
      return images.map((i) => ({ id: i.Id, tags: i.RepoTags ?? [], labels: i.Labels ?? {}, created: i.Created, sizeBytes: i.Size }));
    } catch (error) {
      throw toDockerError('list images', error);
    }
  }

  async importImage(rootfsTar: Readable, options: ImportOptions): Promise<string> {
    const op = `import ${options.tag}`;
    const [repo, tag] = splitTag(options.tag);
    let response: Readable;
    try {
      response = (await this.#docker.importImage(rootfsTar, {
        repo,
        tag,
        changes: Object.entries(options.labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      } as object)) as Readable;
    } catch (error) {
      throw toDockerError(op, error);
    }
    const events = await followProgress(response, { op, ...(options.onProgress ? { onEvent: options.onProgress } : {}) });
    const id = reportedImageId(events) ?? (await this.inspectImage(options.tag))?.id;
    if (!id) throw toDockerError(op, new Error('the engine did not report an image id'));
    return id;
  }

  async buildImage(contextTar: Readable, options: BuildOptions): Promise<string> {
    const op = `build ${options.tag}`;
    let response: Readable;
    try {
      response = (await this.#docker.buildImage(contextTar, {
        t: options.tag,
        labels: { ...options.labels },
        ...(options.buildArgs ? { buildargs: { ...options.buildArgs } } : {}),
        rm: true,
        forcerm: true,
        // The build needs nothing from outside: everything comes in the context.
        networkmode: 'none',
        ...(options.signal ? { abortSignal: options.signal } : {}),
      })) as Readable;
    } catch (error) {
      throw toDockerError(op, error);
    }
    const events = await followProgress(response, { op, ...(options.onProgress ? { onEvent: options.onProgress } : {}) });
    const id = (await this.inspectImage(options.tag))?.id ?? reportedImageId(events);
    if (!id) throw toDockerError(op, new Error('the build ended without an image'));
    return id;
  }

  async saveImage(ref: string): Promise<Readable> {
    try {
      return (await this.#docker.getImage(ref).get()) as Readable;
    } catch (error) {
      throw toDockerError(`save image ${ref}`, error);
    }
  }

  async loadImage(tar: Readable, signal?: AbortSignal): Promise<void> {
    let response: Readable;
    try {
      response = (await this.#docker.loadImage(tar, { quiet: true, ...(signal ? { abortSignal: signal } : {}) } as object)) as Readable;
    } catch (error) {
      throw toDockerError('load image', error);
    }
    await followProgress(response, { op: 'load image' });
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.#docker.getImage(ref).remove({ force: true });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw toDockerError(`remove image ${ref}`, error);
    }
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    try {
      const container = await this.#docker.createContainer({
        Image: spec.image,
        Cmd: [...spec.cmd],
        Labels: { ...spec.labels },
        ...(spec.env ? { Env: [...spec.env] } : {}),
        NetworkDisabled: spec.networkMode === 'none',
        HostConfig: {
          NetworkMode: spec.networkMode,
          CapAdd: [...spec.capAdd],
          SecurityOpt: [...spec.securityOpt],
          PidsLimit: spec.pidsLimit,
          Memory: spec.memoryBytes,
          MemorySwap: spec.memoryBytes,
          Tmpfs: { ...spec.tmpfs },
          Init: spec.init,
          ...(spec.cpusetCpus !== undefined ? { CpusetCpus: spec.cpusetCpus } : {}),
        },
      });
      return container.id;
    } catch (error) {
      throw toDockerError(`create container from ${spec.image}`, error);
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).start();
    } catch (error) {
      // 304: already started.
      if (statusOf(error) === 304) return;
      throw toDockerError('start container', error, id);
    }
  }

  async exec(id: string, options: ExecOptions): Promise<ExecResult> {
    const op = `exec ${options.cmd[0] ?? ''}`;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    try {
      const exec = await this.#docker.getContainer(id).exec({
        Cmd: [...options.cmd],
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: options.stdin !== undefined,
        Tty: false,
        ...(options.env ? { Env: [...options.env] } : {}),
      });
      const stream = await exec.start({ hijack: true, stdin: options.stdin !== undefined, Tty: false });
      const input = options.stdin;
      const forward = (chunk: Buffer): void => void stream.write(chunk);
      // The end of the input half-closes the connection: the engine then closes the process's stdin.
      const endInput = (): void => void stream.end();
      input?.on('data', forward).once('end', endInput);
      const out = sink(stdout, options.onStdout);
      const err = sink(stderr, options.onStderr);
      // Without a TTY the engine multiplexes both outputs into one stream with 8-byte frame headers.
      this.#docker.modem.demuxStream(stream, out, err);
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          stream.destroy();
          reject(Object.assign(new Error('exec aborted'), { name: 'AbortError', cause: options.signal?.reason }));
        };
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const done = (error?: Error): void => {
          options.signal?.removeEventListener('abort', onAbort);
          // Let the input go (a terminal's stdin would keep the process alive).
          input?.off('data', forward).off('end', endInput);
          input?.pause();
          if (error) reject(error);
          else resolve();
        };
        stream.once('error', (error: Error) => done(error));
        // The frames demuxed so far are written; end both outputs and wait until they are drained.
        const endOutputs = (): void => {
          if (!out.writableEnded) out.end();
          if (!err.writableEnded) err.end();
        };
        stream.once('end', endOutputs);
        stream.once('close', endOutputs);
        Promise.all([finished(out), finished(err)]).then(() => done(), done);
      });
      const inspected = await exec.inspect();
      return { exitCode: inspected.ExitCode ?? -1, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw toDockerError(op, error, id);
    }
  }

  async putArchive(id: string, path: string, tar: Readable | Buffer): Promise<void> {
    try {
      await this.#docker.getContainer(id).putArchive(tar, { path });
    } catch (error) {
      throw toDockerError(`put archive into ${path}`, error, id);
    }
  }

  async getArchive(id: string, path: string): Promise<Readable> {
    try {
      return (await this.#docker.getContainer(id).getArchive({ path })) as Readable;
    } catch (error) {
      throw toDockerError(`get archive of ${path}`, error, id);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.#docker.getContainer(id).stop({ t: timeoutSeconds });
    } catch (error) {
      // 304: already stopped; 404: already gone.
      const status = statusOf(error);
      if (status === 304 || status === 404) return;
      throw toDockerError('stop container', error, id);
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      // 404: already gone; 409 "removal already in progress": someone else is removing it.
      const status = statusOf(error);
      if (status === 404) return;
      if (status === 409 && /already in progress/i.test(String((error as { json?: { message?: string } }).json?.message ?? error))) return;
      throw toDockerError('remove container', error, id);
    }
  }

  async listContainers(labels: Labels): Promise<readonly ContainerSummary[]> {
    try {
      const containers = await this.#docker.listContainers({ all: true, filters: labelFilter(labels) });
      return containers.map((c) => ({ id: c.Id, image: c.Image, state: c.State, labels: c.Labels ?? {}, created: c.Created }));
    } catch (error) {
      throw toDockerError('list containers', error);
    }
  }
}

function sink(chunks: Buffer[], onChunk: ((chunk: Buffer) => void) | undefined): PassThrough {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    onChunk?.(chunk);
  });
  return stream;
}

function splitTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}
