/**
 * What a package session costs against its scripts run one by one: the
 * wall time of the bundled unsafe package's install session (`drdsafe run
 * examples/packages/unsafe/acmebad.psf`: one container, one boot, one
 * clone, its scripts traced in turn, every phase analysed, the session
 * report written) against the sum of `drdsafe run <script> --phase <tag>`
 * for each script that session runs (a container, a boot and a clone each).
 * Both through the real paths (runPackage, runScript), in this process,
 * image already ensured, alternating within every repetition so drift on
 * this machine falls on both alike. Target: under 0.5x.
 */
import path from 'node:path';
import { quietIo } from '../harness/app/io.js';
import { runPackage } from '../harness/app/run-package.js';
import { runScript } from '../harness/app/run-script.js';
import { DockerContainerClient } from '../harness/engine/docker-container-client.js';
import { newSession } from '../harness/engine/labels.js';
import { ensureSandboxImage } from '../harness/image/ensure-sandbox-image.js';
import { PROJECT_ROOT } from '../harness/project-root.js';
import { readPackage } from '../harness/sd/read-package.js';
import { planSession } from '../harness/sd/session-plan.js';

export const SESSION_PACKAGE = path.join(PROJECT_ROOT, 'examples', 'packages', 'unsafe', 'acmebad.psf');

export interface SessionBenchResult {
  readonly package: string;
  readonly reps: number;
  /** The scripts the install session runs, each run alone in the comparison. */
  readonly scripts: readonly string[];
  readonly sessionMs: { readonly median: number; readonly all: readonly number[] };
  readonly oneByOneMs: { readonly median: number; readonly all: readonly number[] };
  /** Median session / median sum of the single runs. */
  readonly ratio: number;
  /** Containers the session created, and the single runs together. */
  readonly containers: { readonly session: number; readonly oneByOne: number };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchSession(
  options: { readonly reps?: number; readonly outDir?: string; readonly log?: (line: string) => void } = {},
): Promise<SessionBenchResult> {
  const reps = options.reps ?? 5;
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const outDir = options.outDir ?? path.join(PROJECT_ROOT, 'bench', 'out', 'session');
  const real = new DockerContainerClient();
  let created = 0;
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'createContainer') return (...args: Parameters<DockerContainerClient['createContainer']>) => (created++, target.createContainer(...args));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const session = newSession();
  const image = await ensureSandboxImage(real, { imagesDir: path.join(PROJECT_ROOT, 'images'), session, signal: new AbortController().signal, log });
  const pkg = await readPackage(SESSION_PACKAGE);
  const scripts = planSession(pkg, 'install').steps.flatMap((s) => (s.kind === 'script' && s.planned === 'run' ? [s] : []));
  const sessionMs: number[] = [];
  const oneByOneMs: number[] = [];
  const containers = { session: 0, oneByOne: 0 };
  for (let rep = 0; rep < reps; rep++) {
    // Alternate which goes first: a slow moment of the machine falls on both.
    const order = rep % 2 === 0 ? (['session', 'single'] as const) : (['single', 'session'] as const);
    for (const which of order) {
      const before = created;
      const started = performance.now();
      if (which === 'session') {
        await runPackage(
          { target: SESSION_PACKAGE, format: 'json', outDir: path.join(outDir, `session-${rep}`) },
          { io: quietIo(PROJECT_ROOT), client, session, image, log: () => undefined },
        );
        sessionMs.push(performance.now() - started);
        containers.session = created - before;
      } else {
        for (const s of scripts) {
          await runScript(
            { scriptPath: s.script.origin, phase: s.tag, format: 'json', outDir: path.join(outDir, `single-${rep}-${s.tag}`) },
            { io: quietIo(PROJECT_ROOT), client, session, image, log: () => undefined },
          );
        }
        oneByOneMs.push(performance.now() - started);
        containers.oneByOne = created - before;
      }
    }
    log(`bench: session ${Math.round(sessionMs.at(-1)!)} ms, one by one ${Math.round(oneByOneMs.at(-1)!)} ms (${scripts.length} scripts)`);
  }
  const round = (n: number) => Math.round(n);
  return {
    package: path.relative(PROJECT_ROOT, SESSION_PACKAGE),
    reps,
    scripts: scripts.map((s) => s.tag),
    sessionMs: { median: round(median(sessionMs)), all: sessionMs.map(round) },
    oneByOneMs: { median: round(median(oneByOneMs)), all: oneByOneMs.map(round) },
    ratio: Math.round((median(sessionMs) / median(oneByOneMs)) * 100) / 100,
    containers,
  };
}

export function formatSessionBench(r: SessionBenchResult): string {
  return [
    `install session of ${r.package} (${r.scripts.join(', ')}; median of ${r.reps}, alternating):`,
    `  one session, one container:     ${r.sessionMs.median} ms  (${r.sessionMs.all.join(', ')})  containers: ${r.containers.session}`,
    `  each script alone (drdsafe run): ${r.oneByOneMs.median} ms  (${r.oneByOneMs.all.join(', ')})  containers: ${r.containers.oneByOne}`,
    `  session / one by one: ${r.ratio}x (target: under 0.5x)`,
  ].join('\n');
}
