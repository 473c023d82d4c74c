/**
 * Reads a Docker build or import response to the end and checks every event.
 * The engine answers 200 and then reports a failed build *inside* the stream
 * as `{"error": ..., "errorDetail": ...}`; a reader that only checks the HTTP
 * status takes a failed build for a good one. This one rejects on such an
 * event, on a line that is not JSON and on a stream that ends early.
 */
import type { Readable } from 'node:stream';
import { DockerError } from '../errors.js';
import type { ProgressEvent } from './container-client.js';

export interface FollowProgressOptions {
  /** Named in the error, e.g. `build drdsafe-sandbox:abc`. */
  readonly op: string;
  readonly onEvent?: (event: ProgressEvent) => void;
}

/** Resolves with every event, in order; rejects with `IMAGE_BUILD_FAILED`. */
export async function followProgress(stream: Readable, options: FollowProgressOptions): Promise<ProgressEvent[]> {
  const events: ProgressEvent[] = [];
  let pending = '';
  const take = (line: string): void => {
    const text = line.trim();
    if (text === '') return;
    let event: ProgressEvent;
    try {
      event = JSON.parse(text) as ProgressEvent;
    } catch (cause) {
      throw new DockerError('IMAGE_BUILD_FAILED', options.op, `${options.op}: the engine sent a line that is not JSON: ${text.slice(0, 200)}`, {
        cause,
      });
    }
    if (typeof event !== 'object' || event === null) {
      throw new DockerError('IMAGE_BUILD_FAILED', options.op, `${options.op}: unexpected event ${text.slice(0, 200)}`);
    }
    events.push(event);
    if (event.error !== undefined || event.errorDetail !== undefined) {
      const message = event.errorDetail?.message ?? event.error ?? 'unknown error';
      throw new DockerError('IMAGE_BUILD_FAILED', options.op, `${options.op} failed: ${message.trim()}`, {
        hint: 'read the build output above; fix the Dockerfile or its inputs and run again',
        ...(event.errorDetail?.code !== undefined ? { statusCode: event.errorDetail.code } : {}),
      });
    }
    options.onEvent?.(event);
  };
  try {
    for await (const chunk of stream) {
      pending += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        take(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    }
    take(pending);
  } catch (error) {
    stream.destroy();
    if (error instanceof DockerError) throw error;
    throw new DockerError('IMAGE_BUILD_FAILED', options.op, `${options.op}: the engine's response broke off: ${String(error)}`, {
      cause: error,
      hint: 'check that dockerd is still running, then run again',
    });
  }
  return events;
}
