/**
 * The `-e trace=` set of a run: what the policy's enabled rules can fire on,
 * united with what the process/path model needs to stay exact. Loading the
 * policy here, before any container starts, also reports a broken policy file
 * up front.
 */
import { loadPolicy } from '../policy/load-policy.js';
import { MODEL_REQUIRED_SYSCALLS, PROBE_TRACED_SYSCALLS, tracedSyscalls } from '../policy/traced-syscalls.js';

/** `probes`: also the calls that only ask about a path, whose failures branch exploration makes true. Default: `false`. */
export async function tracedSyscallsFor(policyFiles: readonly string[], options: { readonly probes?: boolean } = {}): Promise<string[]> {
  const policy = await loadPolicy([...policyFiles]);
  return [...new Set([...tracedSyscalls(policy), ...MODEL_REQUIRED_SYSCALLS, ...(options.probes === true ? PROBE_TRACED_SYSCALLS : [])])].sort();
}
