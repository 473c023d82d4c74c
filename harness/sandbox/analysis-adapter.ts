/**
 * The two places where the sandbox calls into the analysis: the syscall set
 * the policy needs traced, and the analysis of a finished run directory. The
 * analysis is loaded lazily (held in a variable, not a static import) so that
 * running a script and the sandbox tests do not depend on every analysis stage
 * loading; a run directory is complete and useful before it is judged.
 */
import type { CliIo } from '../cli/command.js';
import { InternalError } from '../errors.js';
import { loadPolicy, MODEL_REQUIRED_SYSCALLS, tracedSyscalls } from '../policy/index.js';

export interface AnalyzeRunOptions {
  readonly policyFiles?: readonly string[];
  readonly format: 'text' | 'json';
  readonly failOn?: 'error' | 'warning' | 'info' | 'never';
  /** Command start (unix ms): the report records the harness overhead from it. */
  readonly startedAt?: number;
}

/** Prints the report of a run directory and returns the exit code (0 safe, 1 unsafe, 3 indeterminate). */
export type AnalyzeRunDir = (runDir: string, options: AnalyzeRunOptions, io: CliIo) => Promise<number>;

const ANALYZE_MODULE = '../report/analyze-run.js';

/** The `-e trace=` set for a run under these policy files: the policy's set plus what the model needs. */
export async function tracedSyscallsFor(policyFiles: readonly string[]): Promise<string[]> {
  const policy = await loadPolicy([...policyFiles]);
  return [...new Set([...tracedSyscalls(policy), ...MODEL_REQUIRED_SYSCALLS])].sort();
}

export async function loadAnalyzeRunDir(): Promise<AnalyzeRunDir> {
  const mod = (await import(ANALYZE_MODULE)) as { analyzeRunDir?: unknown };
  if (typeof mod.analyzeRunDir !== 'function') {
    throw new InternalError(`${ANALYZE_MODULE} does not export analyzeRunDir`);
  }
  return mod.analyzeRunDir as AnalyzeRunDir;
}
