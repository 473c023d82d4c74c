/**
 * Maps what dockerode throws to `DockerError`: connection failures become
 * `DOCKER_UNAVAILABLE` with a hint to start the engine; API failures keep the
 * HTTP status and the engine's own message.
 */
import { DockerError } from '../errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE']);

export const DOCKER_UNAVAILABLE_HINT = 'is dockerd running? start it, or set DOCKER_HOST to a reachable engine';

interface DockerodeError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly reason?: string;
  readonly json?: { readonly message?: string } | null;
  readonly message?: string;
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as DockerodeError | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function toDockerError(op: string, error: unknown, containerId?: string): DockerError {
  if (error instanceof DockerError) return error;
  const e = (error ?? {}) as DockerodeError;
  const where = containerId ? ` (container ${containerId.slice(0, 12)})` : '';
  if (e.code !== undefined && UNREACHABLE.has(e.code) && e.statusCode === undefined) {
    return new DockerError('DOCKER_UNAVAILABLE', op, `cannot reach the Docker engine (${e.code}) during ${op}${where}`, {
      cause: error,
      hint: DOCKER_UNAVAILABLE_HINT,
      ...(containerId ? { containerId } : {}),
    });
  }
  const detail = e.json?.message ?? e.reason ?? e.message ?? String(error);
  return new DockerError('DOCKER_FAILED', op, `docker ${op} failed${where}: ${detail.trim()}`, {
    cause: error,
    hint: hintFor(e.statusCode),
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(containerId ? { containerId } : {}),
  });
}

function hintFor(status: number | undefined): string {
  switch (status) {
    case 404:
      return 'the image or container is gone; run `drdsafe image build` or run again';
    case 409:
      return 'another operation holds the container; run `drdsafe gc` and try again';
    case 500:
      return 'the engine failed; see `journalctl -u docker` or the dockerd log';
    default:
      return 'check the Docker engine (`docker info`) and run again';
  }
}
