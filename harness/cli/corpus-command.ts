import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo, Command } from './command.js';
import { EXIT } from './command.js';
import { UserError } from '../errors.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { CorpusCase } from '../corpus/load-corpus.js';
import { checkCase } from '../corpus/check-case.js';
import type { CaseOutcome } from '../corpus/check-case.js';
import type { Report } from '../report/report.js';
import { runScript } from '../app/run-script.js';
import type { SandboxImage } from '../image/ensure-sandbox-image.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import { parseOptions } from './parse-options.js';

const USAGE = 'drdsafe corpus <folder>... [--policy FILE]... [--out DIR]';

export const corpusCommand: Command = {
  name: 'corpus',
  summary: 'run every case of a corpus (script + expect.yaml) in the sandbox and check its verdict',
  help: `Usage: ${USAGE}

Each case is a folder holding \`script\` and \`expect.yaml\`:

    phase: preinstall          # the control script this is
    verdict: unsafe            # safe | unsafe | indeterminate
    rules: [illegal-kill]      # at least one finding of one of these rules
    shared: [/var/opt/shared]  # optional shared file systems
    timeout: 30                # optional phase timeout, seconds

A folder may be one case or hold cases. Every case runs in a fresh sandbox
container; its run directory (trace, witness, report.json) is kept under --out.

Options:
  --policy FILE   policy files, as for \`drdsafe run\`
  --out DIR       where the run directories go. Default: traces/runs/corpus-<time>/

Exit codes: 0 every case as expected, 1 some case not as expected, 2 usage, 3 harness failure.
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { policy: { type: 'string', multiple: true }, out: { type: 'string' } }, USAGE);
    if (positionals.length === 0) throw new UserError('USAGE', 'no corpus folder given', { hint: `usage: ${USAGE}` });
    const cases: CorpusCase[] = [];
    for (const dir of positionals) cases.push(...(await loadCorpus(path.resolve(io.cwd, dir))));
    const outRoot = path.resolve(io.cwd, values.out ?? path.join('traces', 'runs', `corpus-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    const outcomes = await runCorpus(cases, { outRoot, policyFiles: values.policy ?? [] }, io);
    const failed = outcomes.filter((o) => !o.ok);
    io.stdout.write(`\n${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
    io.stderr.write(`runs: ${path.relative(io.cwd, outRoot) || outRoot}\n`);
    return failed.length === 0 ? EXIT.safe : EXIT.unsafe;
  },
};

/** Runs each case in its own container, one after another, printing one line a case. */
export async function runCorpus(
  cases: readonly CorpusCase[],
  options: { readonly outRoot: string; readonly policyFiles: readonly string[] },
  io: CliIo,
): Promise<CaseOutcome[]> {
  const client = new DockerContainerClient();
  const session = newSession();
  const quiet: CliIo = { ...io, stdout: new Writable({ write: (_c, _e, done) => done() }) };
  const width = Math.max(...cases.map((c) => c.name.length));
  let image: SandboxImage | undefined;
  const outcomes: CaseOutcome[] = [];
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
      },
      { io: quiet, client, session, ...(image ? { image } : {}), log: () => {} },
    );
    image = outcome.image;
    const report = JSON.parse(await readFile(path.join(outcome.runDir, 'report.json'), 'utf8')) as Report;
    const result = checkCase(c, report);
    outcomes.push(result);
    io.stdout.write(
      `${result.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(width)}  expected ${result.expected}, got ${result.got}${
        result.ok ? '' : `: ${result.problems.join('; ')}`
      }\n`,
    );
  }
  return outcomes;
}
