/**
 * Labels on everything drdsafe creates in the engine, so a later run or
 * `drdsafe gc` can find what a crashed or killed run left behind and tell
 * whether its owner is still alive.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Labels } from './container-client.js';

export const LABEL = {
  /** One uuid per drdsafe process. */
  session: 'drdsafe.session',
  /** The run id (the run directory's name), or `image-build`. */
  run: 'drdsafe.run',
  /** `<hostname>:<pid>` of the drdsafe process that created it. */
  owner: 'drdsafe.owner',
  /** Unix milliseconds after which the owner is surely done with it. */
  expires: 'drdsafe.expires',
  /** Hash of the inputs an image was made from. */
  inputsHash: 'drdsafe.inputs-hash',
  /** `1` on a container kept for inspection (`run --keep`): swept only once expired. */
  keep: 'drdsafe.keep',
} as const;

/** How long a container kept with `run --keep` survives the sweeps of later runs. */
export const KEEP_FOR_MS = 24 * 60 * 60 * 1000;

export interface Session {
  readonly id: string;
  readonly hostname: string;
  readonly pid: number;
}

export function newSession(): Session {
  return { id: randomUUID(), hostname: os.hostname(), pid: process.pid };
}

/**
 * Labels for a container of one run, which must be gone by `expiresAt` (unix
 * ms). A kept container outlives its owner: it is swept only after `expiresAt`.
 */
export function containerLabels(session: Session, runId: string, expiresAt: number, keep = false): Labels {
  return {
    [LABEL.session]: session.id,
    [LABEL.run]: runId,
    [LABEL.owner]: `${session.hostname}:${session.pid}`,
    [LABEL.expires]: String(Math.round(expiresAt)),
    ...(keep ? { [LABEL.keep]: '1' } : {}),
  };
}

/** Labels for an image: images are kept across sessions, so they carry no expiry. */
export function imageLabels(session: Session, inputsHash: string): Labels {
  return {
    [LABEL.session]: session.id,
    [LABEL.run]: 'image-build',
    [LABEL.owner]: `${session.hostname}:${session.pid}`,
    [LABEL.inputsHash]: inputsHash,
  };
}
