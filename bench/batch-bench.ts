/**
 * Batches: the seed corpus as one `drdsafe corpus` batch three ways, side
 * by side in one run: `--jobs 1`, `--jobs 2` on the local engine, and
 * `--jobs 2` over two engines (the local one and a second dockerd started
 * here, which shares this machine's CPUs). Same verdicts are required; the
 * speed-ups are the wall time of `--jobs 1` over each. Rounds alternate
 * the order so drift hits every variant alike. The image is copied to the
 * second engine before timing.
 *
 * Run: `npx tsx bench/batch-bench.ts [--rounds N]`; JSON lands in bench/out/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIo } from '../harness/app/io.js';
import { runCorpus } from '../harness/app/run-corpus.js';
import { loadCorpus } from '../harness/corpus/load-corpus.js';
import { parseEngineEndpoint } from '../harness/engine/engine-endpoint.js';
import type { EngineEndpoint } from '../harness/engine/engine-endpoint.js';
import { PROJECT_ROOT } from '../harness/project-root.js';
import { startSecondDockerd } from '../test/fixtures/engine/second-dockerd.js';
import { SEED_CORPUS } from '../test/fixtures/seed-corpus.js';

export interface BatchBench {
  readonly cases: number;
  readonly rounds: number;
  /** Wall ms of each round, per variant. */
  readonly wallMs: Readonly<Record<string, number[]>>;
  readonly speedup: Readonly<Record<string, number>>;
  readonly sameVerdicts: boolean;
}

const sink = (): Writable => new Writable({ write: (_c, _e, done) => done() });

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function benchBatch(options: { rounds: number }): Promise<BatchBench> {
  const cases = await loadCorpus(SEED_CORPUS);
  const local = parseEngineEndpoint(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', process.env);
  await using second = await startSecondDockerd();
  const other = parseEngineEndpoint(second.endpoint, process.env);
  const variants: Record<string, { engines: EngineEndpoint[]; jobs: number }> = {
    'jobs 1': { engines: [local], jobs: 1 },
    'jobs 2': { engines: [local], jobs: 2 },
    'two engines, jobs 2': { engines: [local, other], jobs: 2 },
  };
  const work = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-batch-bench-'));
  const io = (): CliIo => ({
    stdout: sink(),
    stderr: sink(),
    env: { ...process.env, CI: 'true' },
    cwd: work,
    signal: new AbortController().signal,
    interactive: false,
  });
  const wallMs: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const verdicts = new Map<string, string>();
  let same = true;
  try {
    // Untimed: the image onto the second engine, and a warm start for both.
    await runCorpus(cases.slice(0, 2), { outRoot: path.join(work, 'warm'), policyFiles: [], ...variants['two engines, jobs 2']! }, io());
    for (let round = 0; round < options.rounds; round++) {
      const names = Object.keys(variants);
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const t = performance.now();
        const run = await runCorpus(cases, { outRoot: path.join(work, `r${round}-${name.replace(/\W+/g, '-')}`), policyFiles: [], ...variants[name]! }, io());
        wallMs[name]!.push(performance.now() - t);
        for (const e of run.batch.entries) {
          const got = `${e.verdict}/${e.exitCode}`;
          const before = verdicts.get(e.name);
          if (before !== undefined && before !== got) same = false;
          verdicts.set(e.name, got);
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const base = median(wallMs['jobs 1']!);
  const speedup = Object.fromEntries(Object.entries(wallMs).map(([k, v]) => [k, base / median(v)]));
  return { cases: cases.length, rounds: options.rounds, wallMs, speedup, sameVerdicts: same };
}

export function formatBench(b: BatchBench): string {
  const lines = [`seed corpus: ${b.cases} cases, ${b.rounds} round(s), median wall time of the batch`];
  for (const [name, ms] of Object.entries(b.wallMs)) {
    lines.push(
      `  ${name.padEnd(22)} ${(median(ms) / 1000).toFixed(1).padStart(6)} s   ${b.speedup[name]!.toFixed(2)}x   (rounds: ${ms.map((m) => (m / 1000).toFixed(1)).join(', ')} s)`,
    );
  }
  lines.push(`  same verdicts in every variant and round: ${b.sameVerdicts ? 'yes' : 'NO'}`);
  lines.push(`  target: --jobs 2 at least 1.6x --jobs 1: ${b.speedup['jobs 2']! >= 1.6 ? 'met' : 'NOT met'}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
  const b = await benchBatch({ rounds: Number(values.rounds ?? 3) });
  process.stdout.write(formatBench(b) + '\n');
  await mkdir(path.join(PROJECT_ROOT, 'bench', 'out'), { recursive: true });
  await writeFile(path.join(PROJECT_ROOT, 'bench', 'out', 'batch.json'), JSON.stringify(b, null, 2) + '\n');
}
