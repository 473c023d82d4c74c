/**
 * The sandbox's evidence that can confirm a finding (harness/report/ground-truth.ts):
 * what an event class is confirmed by, unless a rule's `confirm:` names another.
 * Kept apart from the descriptors so the policy schema can name the values
 * without loading the model.
 */
import type { ModelEvent } from '../model-event.js';

/**
 * - `booted-diff`: the content-hash diff of the booted tree (a file change).
 * - `witness`: the witness log of the booted daemons (a signal, a request, an
 *   IPC object removed) and their liveness and scheduling state.
 * - `leftovers`: the processes the sandbox found still running in the jail
 *   when the script ended.
 * - `none`: nothing confirms it, and it explains nothing.
 */
export const GROUND_EVIDENCE = ['booted-diff', 'witness', 'leftovers', 'none'] as const;
export type GroundEvidence = (typeof GROUND_EVIDENCE)[number];

/** The trees whose files the booted diff covers: the booted image and the shared file systems mounted in both. */
export const DIFFED_TREES: ReadonlySet<string> = new Set(['booted', 'shared']);

/** The evidence that confirms an event of each class when its rule names none. */
export function confirmedBy(e: ModelEvent): GroundEvidence {
  switch (e.class) {
    case 'fs-write':
      return 'booted-diff';
    case 'signal':
    case 'socket':
    case 'serve':
    case 'ipc':
    case 'process-change':
      return 'witness';
    case 'process-exit':
      return 'leftovers';
    default:
      return 'none';
  }
}
