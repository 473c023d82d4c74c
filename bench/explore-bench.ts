/**
 * What branch exploration and the DRD-guard proof cost a `drdsafe run`:
 * the wall time of `runScript` (command start to report printed) on every
 * seed example, once as a single run (`--explore 0 --no-compare`) and once
 * with exploration and the comparison run (`--explore 4 --compare`, the
 * CLI's default), side by side: the two alternate within every repetition,
 * in this process, with the image already ensured. The ratio is the median
 * of each script's explored time over its single time, summed over the
 * corpus (and the geometric mean of the per-script ratios beside it).
 *
 * Target: at most 2x a single run; one container for every run of an
 * exploration (the image check and the container start paid once).
 * Run: `npx tsx bench/explore-bench.ts [--reps N]`; JSON lands in bench/out/.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietIo } from '../harness/app/io.js';
import { DEFAULT_EXPLORE, runScript } from '../harness/app/run-script.js';
import { DockerContainerClient } from '../harness/engine/docker-container-client.js';
import { newSession } from '../harness/engine/labels.js';
import { ensureSandboxImage } from '../harness/image/ensure-sandbox-image.js';
import { PROJECT_ROOT } from '../harness/project-root.js';

export interface ExploreBenchResult {
  readonly image: string;
  readonly reps: number;
  /** Per seed example: median ms of a single run and of an explored one, and how many variants it ran. */
  readonly scripts: Readonly<
    Record<string, { readonly singleMs: number; readonly exploredMs: number; readonly variants: number; readonly comparison: boolean }>
  >;
  readonly singleMs: number;
  readonly exploredMs: number;
  /** exploredMs / singleMs (sums of the per-script medians). */
  readonly ratio: number;
  /** Geometric mean of the per-script ratios. */
  readonly geomean: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchExplore(options: { readonly reps?: number; readonly log?: (line: string) => void } = {}): Promise<ExploreBenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const reps = options.reps ?? 3;
  const client = new DockerContainerClient();
  const session = newSession();
  const signal = new AbortController().signal;
  const image = await ensureSandboxImage(client, { imagesDir: path.join(PROJECT_ROOT, 'images'), session, signal, log });
  const corpus = path.join(PROJECT_ROOT, 'examples', 'seed-examples');
  const seeds: { name: string; phase: string; file: string }[] = [];
  for (const name of (await readdir(corpus, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const phase = /^phase:\s*(\S+)/m.exec(await readFile(path.join(corpus, name, 'expect.yaml'), 'utf8'))?.[1] ?? 'preinstall';
    seeds.push({ name, phase, file: path.join(corpus, name, 'script') });
  }
  const runsDir = path.join(PROJECT_ROOT, 'bench', 'out', 'explore-runs');
  const times: Record<string, { single: number[]; explored: number[]; variants: number; comparison: boolean }> = {};
  for (let rep = 0; rep < reps; rep++) {
    log(`bench: exploration, repetition ${rep + 1} of ${reps}`);
    for (const seed of seeds) {
      const entry = (times[seed.name] ??= { single: [], explored: [], variants: 0, comparison: false });
      // Alternate which goes first, so drift within a repetition hits both alike.
      const order = rep % 2 === 0 ? (['single', 'explored'] as const) : (['explored', 'single'] as const);
      for (const kind of order) {
        const outDir = path.join(runsDir, `${seed.name}-${kind}`);
        await rm(outDir, { recursive: true, force: true });
        const started = Date.now();
        const outcome = await runScript(
          {
            scriptPath: seed.file,
            phase: seed.phase,
            outDir,
            format: 'json',
            ...(kind === 'single' ? { explore: 0, compare: false } : { explore: DEFAULT_EXPLORE, compare: true }),
          },
          { io: quietIo(process.cwd(), { signal }), client, session, image, startedAt: started, log: () => undefined },
        );
        const ms = Date.now() - started;
        entry[kind].push(ms);
        if (kind === 'explored') {
          entry.variants = outcome.report?.exploration?.variants.filter((v) => v.ran).length ?? 0;
          entry.comparison = outcome.report?.comparison?.ran === true;
        }
      }
    }
  }
  const scripts = Object.fromEntries(
    Object.entries(times).map(([name, t]) => [
      name,
      { singleMs: median(t.single), exploredMs: median(t.explored), variants: t.variants, comparison: t.comparison },
    ]),
  );
  const values = Object.values(scripts);
  const singleMs = values.reduce((s, v) => s + v.singleMs, 0);
  const exploredMs = values.reduce((s, v) => s + v.exploredMs, 0);
  const geomean = Math.exp(values.reduce((s, v) => s + Math.log(v.exploredMs / v.singleMs), 0) / values.length);
  return { image: image.ref, reps, scripts, singleMs, exploredMs, ratio: round(exploredMs / singleMs), geomean: round(geomean) };
}

export function formatExploreBench(r: ExploreBenchResult): string {
  const lines = [
    `exploration bench: ${r.image}, ${r.reps} repetitions, seed corpus (${Object.keys(r.scripts).length} scripts), median wall time of drdsafe run`,
    '',
    `${'script'.padEnd(30)} ${'single'.padStart(10)} ${`--explore ${DEFAULT_EXPLORE} --compare`.padStart(22)} ${'ratio'.padStart(7)}  variants`,
  ];
  for (const [name, s] of Object.entries(r.scripts)) {
    lines.push(
      `${name.padEnd(30)} ${`${s.singleMs} ms`.padStart(10)} ${`${s.exploredMs} ms`.padStart(22)} ${`${round(s.exploredMs / s.singleMs)}x`.padStart(7)}  ${s.variants}${s.comparison ? ' + comparison' : ''}`,
    );
  }
  lines.push(
    '',
    `corpus: single ${r.singleMs} ms, explored ${r.exploredMs} ms: ${r.ratio}x (geomean of the per-script ratios ${r.geomean}x)`,
    'target: at most 2x a single run',
  );
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const repsArg = process.argv.indexOf('--reps');
  const result = await benchExplore(repsArg > 0 ? { reps: Number(process.argv[repsArg + 1]) } : {});
  process.stdout.write(formatExploreBench(result) + '\n');
  const out = path.join(PROJECT_ROOT, 'bench', 'out');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'explore-bench.json'), JSON.stringify(result, null, 2) + '\n');
}
