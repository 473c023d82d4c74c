/**
 * The `-e trace=` set of a run: what the policy's enabled rules can fire on,
 * united with what the process/path model needs to stay exact. Loading the
 * policy here, before any container starts, also reports a broken policy file
 * up front.
 */
import { loadPolicy } from '../policy/load-policy.js';
import { MODEL_REQUIRED_SYSCALLS, tracedSyscalls } from '../policy/traced-syscalls.js';

export async function tracedSyscallsFor(policyFiles: readonly string[]): Promise<string[]> {
  const policy = await loadPolicy([...policyFiles]);
  return [...new Set([...tracedSyscalls(policy), ...MODEL_REQUIRED_SYSCALLS])].sort();
}
