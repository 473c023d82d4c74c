/**
 * `drdsafe corpus` without the argv parsing: run every case of a corpus (a
 * script and its expect.yaml) in its own sandbox container, one after
 * another, with branch exploration and the comparison run as `drdsafe run`
 * has them (unless the case's `explore`/`compare` say otherwise), and
 * compare each report with what the case expects.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from './io.js';
import type { CorpusCase } from '../corpus/load-corpus.js';
import { checkCase } from '../corpus/check-case.js';
import type { CaseOutcome } from '../corpus/check-case.js';
import { InternalError } from '../errors.js';
import { DEFAULT_EXPLORE, runScript } from './run-script.js';
import type { SandboxImage } from '../image/ensure-sandbox-image.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import { waiverName } from '../report/waiver-file.js';
import type { WaiverSet } from '../report/waiver-file.js';

/** Runs each case in its own container, one after another, printing one line a case. */
export async function runCorpus(
  cases: readonly CorpusCase[],
  options: { readonly outRoot: string; readonly policyFiles: readonly string[]; readonly waivers?: WaiverSet },
  io: CliIo,
): Promise<CaseOutcome[]> {
  const client = new DockerContainerClient();
  const session = newSession();
  const quiet: CliIo = { ...io, stdout: new Writable({ write: (_c, _e, done) => done() }) };
  const width = Math.max(...cases.map((c) => c.name.length));
  let image: SandboxImage | undefined;
  const outcomes: CaseOutcome[] = [];
  const used = new Set<string>();
  for (const [i, c] of cases.entries()) {
    io.signal.throwIfAborted();
    io.stderr.write(`corpus: [${i + 1}/${cases.length}] ${c.name} (${c.phase})\n`);
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
        compare: c.compare ?? (c.explore ?? DEFAULT_EXPLORE) > 0,
        // A waiver file for a corpus waives findings of some cases: stale is what no case used (below).
        ...(options.waivers ? { waivers: options.waivers, waiverWarnings: false } : {}),
      },
      { io: quiet, client, session, ...(image ? { image } : {}), log: () => {} },
    );
    image = outcome.image;
    if (outcome.report === undefined) throw new InternalError(`the run of ${c.name} gave no report`);
    for (const w of outcome.report.waivers?.applied ?? []) used.add(`${w.rule}\0${w.fingerprint}`);
    const result = checkCase(c, outcome.report);
    outcomes.push(result);
    io.stdout.write(
      `${result.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(width)}  expected ${result.expected}, got ${result.got}${
        result.ok ? '' : `: ${result.problems.join('; ')}`
      }\n`,
    );
  }
  if (options.waivers !== undefined) {
    for (const line of unusedWaivers(options.waivers, used)) io.stderr.write(`waiver warning: ${line}\n`);
  }
  return outcomes;
}

/** Warning lines for the waivers no case's findings matched. */
function unusedWaivers(set: WaiverSet, used: ReadonlySet<string>): string[] {
  return set.waivers
    .filter((w) => !used.has(`${w.rule}\0${w.fingerprint}`))
    .map((w) => `${w.file}${w.line === undefined ? '' : `:${w.line}`}: the waiver of ${waiverName(w)} (owner ${w.owner}) matched no finding of any case: it is stale; remove it`);
}
