/**
 * The sandbox's evidence that can confirm a finding (harness/report/ground-truth.ts):
 * each event class names its own (event-class.ts `confirmedBy`), and a rule's
 * `confirm:` may name another. Kept apart from the descriptors so the policy
 * schema can name the values without loading the model.
 */

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
