/**
 * Records the golden traces under traces/golden/: runs every bundled example
 * in the sandbox (real strace, real ksh, real daemons), keeps the run
 * directory without its report, and writes expect.yaml with the verdict and
 * the exact set of rules that fired (`exactly`). Review the diff before committing: a
 * golden is a claim about what the trace shows.
 *
 *   npx tsx scripts/record-golden.ts [case-folder...]
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCorpus } from '../harness/corpus/load-corpus.js';
import type { CorpusCase } from '../harness/corpus/load-corpus.js';
import { runScript } from '../harness/app/run-script.js';
import type { SandboxImage } from '../harness/image/ensure-sandbox-image.js';
import { DockerContainerClient } from '../harness/engine/docker-container-client.js';
import { newSession } from '../harness/engine/labels.js';
import { PROJECT_ROOT } from '../harness/project-root.js';
import { Writable } from 'node:stream';

const KEEP = ['trace.txt', 'run.json', 'result.json', 'witness.jsonl', 'booted-diff.json', 'stdout.txt', 'stderr.txt'];
const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

async function record(c: CorpusCase, variant: { suffix: string; traceAll: boolean }, deps: { image?: SandboxImage }): Promise<SandboxImage> {
  const name = `${c.name}${variant.suffix}`;
  const scratch = path.join(PROJECT_ROOT, 'traces', 'runs', 'golden-recording', name);
  await rm(scratch, { recursive: true, force: true });
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const outcome = await runScript(
    { scriptPath: c.script, phase: c.phase, outDir: scratch, format: 'json', shared: c.shared, traceAll: variant.traceAll },
    {
      io: { stdout: quiet, stderr: process.stderr, env: process.env, cwd: PROJECT_ROOT, signal: new AbortController().signal, interactive: false },
      client: new DockerContainerClient(),
      session: newSession(),
      ...(deps.image ? { image: deps.image } : {}),
      log: () => {},
    },
  );
  const report = outcome.report;
  if (report === undefined) throw new Error(`${name}: the run gave no report`);
  const dest = path.join(GOLDEN, name);
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  for (const f of KEEP) await copyFile(path.join(outcome.runDir, f), path.join(dest, f));
  const fires = [...new Set(report.findings.map((f) => f.rule))].sort();
  await writeFile(
    path.join(dest, 'expect.yaml'),
    [
      `# ${path.relative(PROJECT_ROOT, c.dir)}${variant.traceAll ? ' (strace without --seccomp-bpf: every syscall)' : ''}`,
      `phase: ${c.phase}`,
      `verdict: ${report.summary.verdict}`,
      `exactly: [${fires.join(', ')}]`,
      '',
    ].join('\n'),
  );
  process.stdout.write(`${name}: ${report.summary.verdict} [${fires.join(', ')}]\n`);
  return outcome.image;
}

const dirs = process.argv.slice(2);
const cases = (await Promise.all((dirs.length ? dirs : ['examples/seed-examples', 'examples/more']).map((d) => loadCorpus(path.resolve(d))))).flat();
let image: SandboxImage | undefined;
for (const c of cases) image = await record(c, { suffix: '', traceAll: false }, image ? { image } : {});
// One full trace, to keep the parser and model honest on syscalls the focused set hides.
const full = cases.find((c) => c.name.startsWith('s09'));
if (full) await record(full, { suffix: '-trace-all', traceAll: true }, image ? { image } : {});
