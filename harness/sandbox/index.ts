/** The sandbox stage: the Docker seam, the sandbox container's lifecycle and one control-script run in it. */
export type {
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
  ProgressEvent,
} from '../engine/container-client.js';
export { DockerContainerClient } from '../engine/docker-container-client.js';
export { DOCKER_UNAVAILABLE_HINT, toDockerError } from '../engine/docker-error.js';
export { followProgress, type FollowProgressOptions } from '../engine/follow-progress.js';
export { containerLabels, imageLabels, KEEP_FOR_MS, LABEL, newSession, type Session } from '../engine/labels.js';
export { Sandbox, StartedSandbox, StoppedSandbox, type SandboxOptions } from './sandbox.js';
export { DEFAULT_LIMITS, IDLE_COMMAND, sandboxSpec, type SandboxLimits, type SandboxSpecOptions } from './sandbox-spec.js';
export { isSandboxContainer, processLiveness, staleReason, sweepStaleContainers, type Liveness, type SweepOptions, type SweepResult } from '../engine/sweep.js';
export { extractTar, packDirectory, packFiles, packPaths, type ExtractResult, type PathEntry, type TarFile } from '../engine/tar-archive.js';
export { buildRunRequest, type RunRequest, type RunRequestInput } from '../contract/run-request.js';
export { parseRunResult, readRunResult, toRunMetadata, type RunResult, type RunResultDaemon } from '../contract/run-result.js';
export { createRunDir, runId } from '../app/run-dir.js';
export { OUT_PATH, REQUEST_PATH, RUN_PHASE_COMMAND, runPhase, type PhaseOutcome, type RunPhaseOptions } from './sandbox-session.js';
export { parsePhase, runScript, type RunScriptDeps, type RunScriptOptions, type RunScriptOutcome } from '../app/run-script.js';
export { tracedSyscallsFor } from '../app/traced-syscalls-for.js';
