/**
 * When two runs found the same thing: the same rule on the same script line,
 * the same command as the shell ran it and the same target, with the
 * numbers that change between runs (pids) left out. The first run and its
 * variants boot the same system, but a stand-in daemon or another process
 * of the script takes a pid another run gave to something else.
 */
import type { Finding } from '../policy/finding.js';

/** Numbers that stand alone (pids); `-9` and `SIGKILL` stay. */
const PID = /(?<![-\w.])\d+(?![\w.])/g;

export function findingKey(f: Finding): string {
  const what = f.event === undefined ? f.coverage.text.trim() : (f.location?.expanded ?? f.event.syscall);
  const target = f.target ?? '';
  return [f.rule, f.location?.line ?? '', what.replace(PID, 'N'), target.replace(PID, 'N')].join('\u0000');
}
