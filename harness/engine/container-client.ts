/**
 * The seam between drdsafe and a container engine. Everything the harness does
 * with Docker goes through this interface, so the engine may be remote (files
 * travel as tar streams, never through a shared file system) and unit tests can
 * use a fake. `docker-container-client.ts` is the one implementation.
 */
import type { Readable } from 'node:stream';

export type Labels = Readonly<Record<string, string>>;

export interface EngineInfo {
  readonly serverVersion: string;
  /** CPUs the engine's machine has (not the client's). */
  readonly cpus: number;
  readonly memoryBytes: number;
  /** The engine machine's host name: engines that share one name share its CPUs. */
  readonly hostName: string;
}

export interface ImageSummary {
  readonly id: string;
  /** `repo:tag` references. */
  readonly tags: readonly string[];
  readonly labels: Labels;
  /** Unix seconds. */
  readonly created: number;
  /** Bytes of the image's layers together. */
  readonly sizeBytes: number;
}

export interface ContainerSummary {
  readonly id: string;
  readonly image: string;
  /** `created`, `running`, `exited`, ... */
  readonly state: string;
  readonly labels: Labels;
  /** Unix seconds. */
  readonly created: number;
}

/** One JSON event of a build or import stream. */
export interface ProgressEvent {
  readonly stream?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly id?: string;
  readonly aux?: { readonly ID?: string };
  readonly error?: string;
  readonly errorDetail?: { readonly code?: number; readonly message?: string };
}

export interface ContainerSpec {
  readonly image: string;
  readonly cmd: readonly string[];
  readonly labels: Labels;
  readonly env?: readonly string[];
  /** `none` = loopback only. */
  readonly networkMode: string;
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly pidsLimit: number;
  readonly memoryBytes: number;
  /** Mount point to tmpfs options, e.g. `{ '/images/booted': 'size=256m,mode=0755' }`. */
  readonly tmpfs: Readonly<Record<string, string>>;
  /** e.g. `'1'`; unset = all CPUs. */
  readonly cpusetCpus?: string;
  /** Run a minimal init as PID 1 (reaps zombies, forwards signals). */
  readonly init: boolean;
}

export interface ExecOptions {
  readonly cmd: readonly string[];
  readonly env?: readonly string[];
  /** Output as it arrives (already demultiplexed). */
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Stops waiting (the caller then removes the container, which ends the process). */
  readonly signal?: AbortSignal;
  /** Copied to the process's stdin, which ends when it ends. Default: no stdin. */
  readonly stdin?: Readable;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

export interface BuildOptions {
  /** `repo:tag`. */
  readonly tag: string;
  readonly labels: Labels;
  /** `ARG` values for the Dockerfile. Default: none. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ImportOptions {
  /** `repo:tag`. */
  readonly tag: string;
  readonly labels: Labels;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ContainerClient {
  /** Rejects with `DOCKER_UNAVAILABLE` when the engine does not answer. */
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** `undefined` when there is no such image. */
  inspectImage(ref: string): Promise<ImageSummary | undefined>;
  /** Images carrying every one of these labels (a value of `''` matches any value). */
  listImages(labels: Labels): Promise<readonly ImageSummary[]>;
  /** Imports a root file system tar as an image; resolves with the image id. */
  importImage(rootfsTar: Readable, options: ImportOptions): Promise<string>;
  /** Builds the Dockerfile at the root of a context tar; resolves with the image id. Every event is checked. */
  buildImage(contextTar: Readable, options: BuildOptions): Promise<string>;
  /** The image as a `docker save` tar stream, to load into another engine. */
  saveImage(ref: string): Promise<Readable>;
  /** Loads a `docker save` tar (its tags and labels come with it). */
  loadImage(tar: Readable, signal?: AbortSignal): Promise<void>;
  /** Removes an image; an image already gone is fine. */
  removeImage(ref: string): Promise<void>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  exec(id: string, options: ExecOptions): Promise<ExecResult>;
  /** Extracts a tar into `path` inside the container. */
  putArchive(id: string, path: string, tar: Readable | Buffer): Promise<void>;
  /** A tar of `path` inside the container (its last path element is the top entry). */
  getArchive(id: string, path: string): Promise<Readable>;
  /** A container already stopped is fine. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Force-removes a container with its anonymous volumes; one already gone is fine. */
  removeContainer(id: string): Promise<void>;
  /** Containers (running or not) carrying every one of these labels (`''` matches any value). */
  listContainers(labels: Labels): Promise<readonly ContainerSummary[]>;
}
