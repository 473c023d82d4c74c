/**
 * `drdsafe run` with many targets (several paths, a glob, a folder of
 * packages, or `--jobs`/`--engine`): checks the options that make sense for
 * a batch and hands the targets to app/run-targets.ts. Kept apart from
 * run-command.ts, which owns the single run.
 */
import path from 'node:path';
import type { CliIo } from '../app/io.js';
import { UserError } from '../errors.js';
import { FAIL_ON_VALUES } from '../report/verdict.js';
import { readWaiverFile } from '../report/waiver-file.js';
import { OPERATIONS } from '../sd/session-plan.js';
import { expandTargets } from '../app/batch-targets.js';
import { runTargets } from '../app/run-targets.js';
import { oneOf } from './parse-options.js';
import { parseBatchFlags } from './batch-options.js';
import { timestamp } from '../app/run-dir.js';
import { exploreOptions } from './explore-options.js';

export interface RunBatchValues {
  readonly phase?: string | undefined;
  readonly policy?: string[] | undefined;
  readonly waivers?: string | undefined;
  readonly out?: string | undefined;
  readonly format?: string | undefined;
  readonly 'fail-on'?: string | undefined;
  readonly shared?: string[] | undefined;
  readonly payload?: string[] | undefined;
  readonly 'booted-overlay'?: string | undefined;
  readonly 'trace-all'?: boolean | undefined;
  readonly keep?: boolean | undefined;
  readonly interactive?: boolean | undefined;
  readonly operation?: string | undefined;
  readonly from?: string | undefined;
  readonly installed?: string[] | undefined;
  readonly 'boot-phase'?: boolean | undefined;
  readonly jobs?: string | undefined;
  readonly engine?: string[] | undefined;
  readonly explore?: string | undefined;
  readonly compare?: boolean | undefined;
  readonly 'no-compare'?: boolean | undefined;
}

/** Options of a single run that a batch refuses, with why. */
const NOT_IN_A_BATCH: readonly [keyof RunBatchValues, string][] = [
  ['interactive', 'a batch has no terminal to give each script'],
  ['keep', 'a batch would leave a container per target; rerun the one to inspect alone'],
  ['format', 'a batch prints its summary table; every run directory has report.json, report.html and report.junit.xml'],
  ['from', 'each package of a batch is its own upgrade; run the upgrade alone'],
];

export async function runBatchFromArgs(values: RunBatchValues, positionals: readonly string[], timeout: number | undefined, io: CliIo): Promise<number> {
  for (const [name, why] of NOT_IN_A_BATCH) {
    if (values[name] !== undefined)
      throw new UserError('USAGE', `--${name} does not apply to a batch of targets: ${why}`, { hint: 'run that target on its own' });
  }
  const batch = parseBatchFlags(values, io.env);
  const targets = await expandTargets(positionals, io.cwd);
  const waivers = values.waivers === undefined ? undefined : await readWaiverFile(values.waivers, { cwd: io.cwd });
  const outRoot = path.resolve(io.cwd, values.out ?? path.join('traces', 'runs', `${timestamp(new Date())}-batch`));
  const shared = {
    failOn: oneOf('fail-on', values['fail-on'], FAIL_ON_VALUES, 'error'),
    ...(values.policy ? { policyFiles: values.policy } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(values.shared ? { shared: values.shared } : {}),
    ...(values['booted-overlay'] ? { bootedDir: values['booted-overlay'] } : {}),
    ...(values['trace-all'] ? { traceAll: true } : {}),
  };
  const outcome = await runTargets(
    targets,
    {
      ...batch,
      outRoot,
      // Every script of a batch is explored as a single run would be.
      script: {
        ...shared,
        ...exploreOptions(values),
        phase: values.phase ?? '',
        ...(values.payload ? { payload: values.payload } : {}),
        ...(waivers ? { waivers } : {}),
      },
      package: {
        ...shared,
        operation: oneOf('operation', values.operation, OPERATIONS, 'install'),
        ...(values.installed ? { installed: values.installed } : {}),
        ...(values['boot-phase'] ? { bootPhase: true } : {}),
      },
    },
    io,
  );
  return outcome.exitCode;
}
