/**
 * `npm run bench`: every benchmark of the project, each printing ratios
 * measured side by side in the same run (never absolute times alone).
 *
 * 1. Analysis: parse / parse + model + policy against a plain line split and a
 *    naive regex parse, on the same >= 200 MB trace made of recorded traces.
 * 2. Policy evaluation rate on a realistic event mix.
 * 3. Sandbox: phase wall time untraced, under drdsafe's tracing (and with
 *    the probe calls branch exploration traces), under bare `strace -f` and
 *    bare `strace -f --seccomp-bpf`; fixed cost per script.
 * 4. Exploration: wall time of `drdsafe run` with branch exploration and the
 *    comparison run against a single run, on the seed corpus.
 * 5. Session: the bundled unsafe package's install session against its
 *    scripts run one by one with `drdsafe run`.
 *
 * 6. Batches: the seed corpus with --jobs 1, --jobs 2 and over two engines.
 *
 * `npm run bench -- --only analysis|policy|sandbox|explore|session|batch` runs one part.
 */
import { parseArgs } from 'node:util';
import { benchParser, formatBench as formatParser } from './parser-bench.js';
import { benchPolicy } from './policy-bench.js';
import { benchSandbox, formatBench as formatSandbox } from './sandbox-bench.js';
import { benchExplore, formatExploreBench } from './explore-bench.js';
import { benchSession, formatSessionBench } from './session-bench.js';
import { benchBatch, formatBench as formatBatch } from './batch-bench.js';

const { values } = parseArgs({
  options: { only: { type: 'string' }, runs: { type: 'string' }, reps: { type: 'string' }, 'explore-reps': { type: 'string' }, rounds: { type: 'string' } },
});
const want = (part: string): boolean => values.only === undefined || values.only === part;

if (want('analysis')) {
  process.stdout.write('== Analysis throughput (same file, same run; each variant in a fresh process) ==\n');
  const result = await benchParser({ runs: Number(values.runs ?? 3) });
  process.stdout.write(formatParser(result) + '\n\n');
}
if (want('policy')) {
  const p = await benchPolicy();
  process.stdout.write(
    `== Policy evaluation ==\n${p.evaluationsPerSecond.toLocaleString('en')} evaluations/s over ${p.events.toLocaleString('en')} events (${p.policy})\n\n`,
  );
}
if (want('sandbox')) {
  process.stdout.write('== Sandbox tracing cost (same container, same run, pinned to one CPU) ==\n');
  // Nine: the machine's run-to-run noise (about 4%) is close to the 1.1x target's margin.
  const s = await benchSandbox({ reps: Number(values.reps ?? 9) });
  process.stdout.write(formatSandbox(s) + '\n');
}
if (want('explore')) {
  process.stdout.write('== Branch exploration and the comparison run against a single run (same process, alternating) ==\n');
  const e = await benchExplore({ reps: Number(values['explore-reps'] ?? 3) });
  process.stdout.write(formatExploreBench(e) + '\n');
}

if (want('session')) {
  process.stdout.write('== A package session against its scripts one by one (same image, in this process) ==\n');
  const s = await benchSession({ reps: Number(values.reps ?? 5) });
  process.stdout.write(formatSessionBench(s) + '\n');
}
if (want('batch')) {
  process.stdout.write('== Batches: the seed corpus with --jobs 1, --jobs 2 and two engines (side by side, alternating) ==\n');
  const b = await benchBatch({ rounds: Number(values.rounds ?? 3) });
  process.stdout.write(formatBatch(b) + '\n');
}
