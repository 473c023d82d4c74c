/**
 * `drdsafe corpus` without the argv parsing: run every case of a corpus (a
 * script and its expect.yaml) in its own sandbox container, as a batch over
 * the engines' slots (app/batch-session.ts), with branch exploration and the
 * comparison run as `drdsafe run` has them (unless the case's
 * `explore`/`compare` say otherwise), and compare each report with what the
 * case expects, printing one line a case as it ends.
 */
import path from 'node:path';
import type { CliIo } from './io.js';
import type { CorpusCase } from '../corpus/load-corpus.js';
import { checkCase } from '../corpus/check-case.js';
import type { CaseOutcome } from '../corpus/check-case.js';
import { InternalError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { DEFAULT_EXPLORE, runScript } from './run-script.js';
import { runBatchSession } from './batch-session.js';
import type { BatchOutcome } from './batch-session.js';
import type { EngineEndpoint } from '../engine/engine-endpoint.js';
import type { TaskResult } from '../batch/run-batch.js';
import { waiverName } from '../report/waiver-file.js';
import type { WaiverSet } from '../report/waiver-file.js';

export interface CorpusOptions {
  readonly outRoot: string;
  readonly policyFiles: readonly string[];
  readonly waivers?: WaiverSet;
  readonly engines: readonly EngineEndpoint[];
  /** Default: one per engine CPU. */
  readonly jobs?: number;
}

export interface CaseResult extends TaskResult {
  readonly outcome: CaseOutcome;
  readonly waiversUsed: readonly string[];
}

export interface CorpusRun {
  /** One per case that finished, in the corpus's order. */
  readonly outcomes: CaseOutcome[];
  readonly batch: BatchOutcome<CaseResult>;
}

export async function runCorpus(cases: readonly CorpusCase[], options: CorpusOptions, io: CliIo): Promise<CorpusRun> {
  const width = Math.max(...cases.map((c) => c.name.length));
  const batch = await runBatchSession<CaseResult>(
    { engines: options.engines, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), outRoot: options.outRoot, title: 'drdsafe corpus' },
    (context) =>
      cases.map((c) => ({
        name: c.name,
        async run(slot, signal) {
          const outcome = await runScript(
            {
              scriptPath: c.script,
              phase: c.phase,
              policyFiles: options.policyFiles,
              outDir: path.join(options.outRoot, c.name),
              format: 'json',
              shared: c.shared,
              ...(c.timeoutSeconds !== undefined ? { timeoutSeconds: c.timeoutSeconds } : {}),
              // Corpus runs explore as `drdsafe run` does, unless the case says otherwise.
              explore: c.explore ?? DEFAULT_EXPLORE,
              ...(c.compare !== undefined ? { compare: c.compare } : {}),
              // A waiver file for a corpus waives findings of some cases: stale is what no case used (below).
              ...(options.waivers ? { waivers: options.waivers, waiverWarnings: false } : {}),
            },
            context.runDeps(slot, signal),
          );
          if (outcome.report === undefined) throw new InternalError(`the run of ${c.name} gave no report`);
          const result = checkCase(c, outcome.report);
          io.stdout.write(
            `${result.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(width)}  expected ${result.expected}, got ${result.got}${result.ok ? '' : `: ${result.problems.join('; ')}`}\n`,
          );
          return {
            exitCode: result.ok ? EXIT.safe : EXIT.unsafe,
            verdict: outcome.report.summary.verdict,
            runDir: outcome.runDir,
            note: result.ok ? 'as expected' : `expected ${result.expected}`,
            outcome: result,
            waiversUsed: (outcome.report.waivers?.applied ?? []).map((w) => `${w.rule}\0${w.fingerprint}`),
          };
        },
      })),
    io,
  );
  if (options.waivers !== undefined) {
    const used = new Set(batch.entries.flatMap((e) => e.result?.waiversUsed ?? []));
    for (const line of unusedWaivers(options.waivers, used)) io.stderr.write(`waiver warning: ${line}\n`);
  }
  return { outcomes: batch.entries.flatMap((e) => (e.result ? [e.result.outcome] : [])), batch };
}

/** Warning lines for the waivers no case's findings matched. */
function unusedWaivers(set: WaiverSet, used: ReadonlySet<string>): string[] {
  return set.waivers
    .filter((w) => !used.has(`${w.rule}\0${w.fingerprint}`))
    .map(
      (w) =>
        `${w.file}${w.line === undefined ? '' : `:${w.line}`}: the waiver of ${waiverName(w)} (owner ${w.owner}) matched no finding of any case: it is stale; remove it`,
    );
}
