/**
 * A finding's fingerprint: the same for the same problem in every run of the
 * same script, on any machine, so a waiver can name it and code scanning can
 * follow it from run to run. Made of the rule, the script and line the
 * finding comes from, and what was acted on with every pid, process group
 * and IPC id taken out (a run's pids, times and container differ; the
 * daemon's name and the path do not). A finding with no script line is told
 * apart by its system call and the program that made it. Checked on two real
 * runs in test/integration/finding-fingerprints.ts.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../policy/finding.js';

/** Bumped when what goes into a fingerprint changes (SARIF's `partialFingerprints` key says it). */
export const FINGERPRINT_VERSION = 'v2';

/** Hex digits of a fingerprint. */
export const FINGERPRINT_LENGTH = 16;

/** What was acted on, without what changes from run to run: `comsec (pid 14, booted daemon)` -> `comsec (pid N, booted daemon)`. */
export function normalizedTarget(target: string): string {
  return target
    .replace(/\bpid -?\d+/g, 'pid N')
    .replace(/\bprocess group \d+/g, 'process group N')
    .replace(/\/proc\/\d+\//g, '/proc/N/')
    .replace(/\bid \d+/g, 'id N');
}

/**
 * What was acted on, as the fingerprint takes it. A process left running (or
 * started) is named by its program when the run ended, which is a race: a
 * child of `sleep 300 &` may still be the forked shell or already `sleep`.
 * Its script line says which command it is; the target keeps only where the
 * process came from.
 */
function targetKey(f: Finding): string {
  const cls = f.detail.class;
  if (cls === 'process-exit' || cls === 'process-start') return `process of ${f.process.origin}`;
  // What a line that never ran would act on is its command, which its line already names.
  if (cls === 'coverage') return '';
  return normalizedTarget(f.target ?? '');
}

function programOf(f: Finding): string {
  const program = f.process.exe ?? f.process.argv[0] ?? '';
  return program.slice(program.lastIndexOf('/') + 1);
}

/**
 * @param script the control script of the run (its path in the jail), for a
 *   finding without a script line of its own
 */
export function findingFingerprint(f: Finding, script: string | undefined): string {
  // A coverage finding is about a script line: its own number, when the finding has no location.
  const where =
    f.location !== undefined
      ? `${f.location.file}:${f.location.line}`
      : f.event === undefined
        ? `${script ?? ''}:${f.coverage.line}`
        : `${script ?? ''}:-:${f.event.syscall}:${programOf(f)}`;
  const text = [FINGERPRINT_VERSION, f.rule, where, targetKey(f)].join('\0');
  return createHash('sha256').update(text).digest('hex').slice(0, FINGERPRINT_LENGTH);
}

/** Every finding with its fingerprint (those that have one keep it). */
export function withFingerprints(findings: readonly Finding[], script: string | undefined): Finding[] {
  return findings.map((f) => (f.fingerprint !== undefined ? f : { ...f, fingerprint: findingFingerprint(f, script) }));
}
