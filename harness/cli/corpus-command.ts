import path from 'node:path';
import type { Command } from './command.js';
import { EXIT, worstExitCode } from '../exit-codes.js';
import { problemWhere, UserError } from '../errors.js';
import { readCorpus } from '../corpus/load-corpus.js';
import type { CorpusCase } from '../corpus/load-corpus.js';
import { loadSessionCases, type SessionCase } from '../corpus/package-cases.js';
import { runCorpus } from '../app/run-corpus.js';
import { readWaiverFile } from '../report/waiver-file.js';
import { runSessionCases } from '../app/run-package-corpus.js';
import { parseOptions } from './parse-options.js';
import { BATCH_HELP, BATCH_OPTIONS, BATCH_USAGE, parseBatchFlags } from './batch-options.js';

const USAGE = `drdsafe corpus <folder>... [--policy FILE]... [--waivers FILE] [--out DIR] ${BATCH_USAGE}`;

export const corpusCommand: Command = {
  name: 'corpus',
  summary: 'run every case of a corpus (script + expect.yaml) in the sandbox and check its verdict',
  help: `Usage: ${USAGE}

Each case is a folder holding \`script\` and \`expect.yaml\`:

    phase: preinstall          # the control script this is
    verdict: unsafe            # safe | unsafe | indeterminate
    any-of: [illegal-kill]     # at least one finding of one of these rules
    exactly: [illegal-kill]    # or: these rules fire, and no other
    shared: [/var/opt/shared]  # optional shared file systems
    timeout: 30                # optional phase timeout, seconds

(examples/expect.schema.json; the old names \`rules\` and \`fires\` are read with a warning.)

A folder may be one case or hold cases. Every case runs in a fresh sandbox
container; its run directory (trace, witness, report.json) is kept under --out.

A package folder's expect.yaml lists SD sessions instead, each run as
\`drdsafe runcmd\` runs it from that folder:

    sessions:
      - name: remove
        installed: [acmesafe.psf]      # installed before the session
        runcmd: [swremove, ACMESAFE]   # drd runcmd's command line
        verdict: safe
        rules: []                      # optional, as above
        exit: 0                        # optional: drd runcmd's exit code
        steps:                         # optional: outcomes of plan steps
          remove:preremove:ACMESAFE.ACMESAFE-BOOT: excluded

Options:
  --policy FILE   policy files, as for \`drdsafe run\`
  --waivers FILE  findings accepted for a time (docs/waivers.md), as for \`drdsafe run\`; a
                  waiver that no case's findings matched is reported at the end
  --out DIR       where the run directories go, with index.html (every case's report.html,
                  worst first) and batch.json. Default: traces/runs/corpus-<time>/
${BATCH_HELP}
Progress goes to stderr (redrawn on a terminal, plain lines in CI=true or a pipe); a table of
every case ends stdout. Ctrl-C stops the batch, removes its containers and still writes the
table and index.html of what finished.

Exit codes: the worst of the cases': 0 every case as expected, 1 some case not as expected,
2 usage, 3 a case that could not run (or did not, when interrupted).
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      { policy: { type: 'string', multiple: true }, waivers: { type: 'string' }, out: { type: 'string' }, ...BATCH_OPTIONS },
      USAGE,
    );
    const batch = parseBatchFlags(values, io.env);
    if (positionals.length === 0) throw new UserError('USAGE', 'no corpus folder given', { hint: `usage: ${USAGE}` });
    const cases: CorpusCase[] = [];
    const sessions: SessionCase[] = [];
    for (const dir of positionals) {
      const corpus = await readCorpus(path.resolve(io.cwd, dir));
      cases.push(...corpus.cases);
      for (const p of corpus.packages) sessions.push(...(await loadSessionCases(p)));
    }
    for (const w of cases.flatMap((c) => c.warnings))
      io.stderr.write(`expect.yaml warning: ${problemWhere({ ...w, file: path.relative(io.cwd, w.file) || w.file })}: ${w.message}\n`);
    const outRoot = path.resolve(io.cwd, values.out ?? path.join('traces', 'runs', `corpus-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    const waivers = values.waivers === undefined ? undefined : await readWaiverFile(values.waivers, { cwd: io.cwd });
    const script =
      cases.length === 0 ? undefined : await runCorpus(cases, { outRoot, policyFiles: values.policy ?? [], ...(waivers ? { waivers } : {}), ...batch }, io);
    const outcomes = [...(script?.outcomes ?? [])];
    const width = Math.max(0, ...sessions.map((s) => s.name.length));
    outcomes.push(
      ...(await runSessionCases(sessions, { outRoot, policyFiles: values.policy ?? [], width }, io, {
        done: cases.length,
        total: cases.length + sessions.length,
      })),
    );
    const failed = outcomes.filter((o) => !o.ok);
    const total = cases.length + sessions.length;
    io.stdout.write(
      `\n${outcomes.length - failed.length} passed, ${failed.length} failed${outcomes.length < total ? `, ${total - outcomes.length} not run` : ''}\n`,
    );
    io.stderr.write(`runs: ${path.relative(io.cwd, outRoot) || outRoot}\n`);
    // The script cases' batch exit code counts those that could not run; session cases count as passed or failed.
    return worstExitCode([script?.batch.exitCode ?? EXIT.safe, failed.length === 0 ? EXIT.safe : EXIT.unsafe]);
  },
};
