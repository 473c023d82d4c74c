/**
 * `drdsafe run` over many targets: each control script or package runs as
 * `drdsafe run` runs it alone (run-script.ts, run-package.ts), as one run of
 * a batch over the engines' slots (batch-session.ts), its run directory
 * under the batch's folder. The batch's exit code is the worst of the runs'.
 */
import path from 'node:path';
import type { CliIo } from './io.js';
import { UserError } from '../errors.js';
import { runScript } from './run-script.js';
import type { RunScriptOptions } from './run-script.js';
import { runPackage } from './run-package.js';
import type { RunPackageOptions } from './run-package.js';
import { runBatchSession } from './batch-session.js';
import type { BatchOutcome } from './batch-session.js';
import type { BatchTarget } from './batch-targets.js';
import type { EngineEndpoint } from '../engine/engine-endpoint.js';
import type { TaskResult } from '../batch/run-batch.js';

export interface RunTargetsOptions {
  readonly engines: readonly EngineEndpoint[];
  readonly jobs?: number;
  /** The batch's folder. */
  readonly outRoot: string;
  /** For the scripts: what `run <script>` takes, less what is per target or batch-wide. */
  readonly script: Omit<RunScriptOptions, 'scriptPath' | 'outDir' | 'interactive' | 'keep' | 'format'>;
  /** For the packages. */
  readonly package: Omit<RunPackageOptions, 'target' | 'outDir' | 'keep' | 'format' | 'selections'>;
}

export async function runTargets(targets: readonly BatchTarget[], options: RunTargetsOptions, io: CliIo): Promise<BatchOutcome<TaskResult>> {
  const scripts = targets.filter((t) => t.kind === 'script');
  if (scripts.length > 0 && options.script.phase === '') {
    throw new UserError(
      'USAGE',
      `no --phase given for the control script${scripts.length > 1 ? 's' : ''} ${scripts
        .slice(0, 3)
        .map((s) => s.name)
        .join(', ')}${scripts.length > 3 ? ', ...' : ''}`,
      {
        hint: 'give --phase TAG: every control script of the batch runs as that phase',
      },
    );
  }
  return runBatchSession(
    { engines: options.engines, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), outRoot: options.outRoot, title: 'drdsafe run' },
    (context) =>
      targets.map((target) => ({
        name: target.name,
        async run(slot, signal): Promise<TaskResult> {
          const deps = context.runDeps(slot, signal);
          const outDir = path.join(options.outRoot, target.dirName);
          if (target.kind === 'script') {
            const out = await runScript({ ...options.script, scriptPath: target.path, outDir, format: 'json' }, deps);
            return { exitCode: out.exitCode, verdict: out.report?.summary.verdict ?? 'indeterminate', runDir: out.runDir };
          }
          const out = await runPackage({ ...options.package, target: target.path, outDir, format: 'json' }, deps);
          return { exitCode: out.exitCode, verdict: out.report?.summary.verdict ?? 'indeterminate', runDir: out.sessionDir, note: target.kind };
        },
      })),
    io,
  );
}
