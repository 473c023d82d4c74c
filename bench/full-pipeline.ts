/**
 * The `full` variant of the parser benchmark: the whole analysis of one trace
 * as `drdsafe analyze` runs it (parser -> process/path model -> compiled
 * built-in policy, in one streamed pass), on the tree layout of a sandbox run.
 */
import type { RunMetadata } from '../harness/contract/run-metadata.js';
import { compilePolicy } from '../harness/policy/compile-policy.js';
import { loadPolicy } from '../harness/policy/load-policy.js';
import { analyzeTrace } from '../harness/report/analyze-trace.js';
import type { VariantCount } from './parser-bench.js';

/** The layout `drdsafe run` writes into run.json, which the recorded sandbox traces use. */
export const SANDBOX_RUN: RunMetadata = {
  schemaVersion: 1,
  trees: { booted: '/images/booted', inactive: '/images/inactive', shared: [], sandbox: ['/drdsafe', '/opt/drdsafe'] },
  script: { phase: 'preinstall', jailPath: '/var/adm/sw/products/DRDSAFE-TEST/payload/preinstall' },
  daemons: [],
  finished: true,
};

/** Parse + model + policy on `file`; `events` counts model events, `issues` findings kept plus suppressed. */
export async function analyzeFile(file: string, meta: RunMetadata = SANDBOX_RUN, coverage = true): Promise<VariantCount> {
  const policy = compilePolicy(await loadPolicy());
  const analysis = await analyzeTrace(file, meta, policy, { coverage });
  let findings = analysis.findings.length;
  for (const n of Object.values(analysis.suppressed)) findings += n;
  return { lines: analysis.parse.lines, events: analysis.model.events, issues: findings };
}

/** `full` without what the model gathers for script coverage: the side-by-side measure of its cost. */
export async function analyzeFileWithoutCoverage(file: string): Promise<VariantCount> {
  return analyzeFile(file, SANDBOX_RUN, false);
}
