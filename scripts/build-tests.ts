/**
 * npm test's build (`pretest`): every TypeScript source the project's
 * tsconfig.json holds (harness, test, bench, scripts) transpiled by esbuild
 * into .test-build/, one JavaScript file per source with its source map, so
 * tap runs plain JavaScript and no test process pays for a TypeScript loader
 * (about 0.5-1.4 CPU-s a file under tsx, 180 files). This is what tsx does
 * per process, done once. Types are not checked here: test/project/typecheck.ts
 * runs tsc over the same sources beside the other tests.
 *
 *     npx tsx scripts/build-tests.ts
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { glob } from 'tinyglobby';
import { PROJECT_ROOT } from '../harness/project-root.js';

export const TEST_BUILD_DIR = path.join(PROJECT_ROOT, '.test-build');

/** The sources tsconfig.json type-checks: its include, less its exclude. */
const SOURCES = ['harness/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];
const LEFT_OUT = ['harness/report/page/**', '**/*.d.ts'];

export async function buildTests(): Promise<number> {
  const entryPoints = await glob(SOURCES, { cwd: PROJECT_ROOT, ignore: LEFT_OUT, absolute: true });
  // A stale copy of a deleted test would still run: start from nothing.
  await rm(TEST_BUILD_DIR, { recursive: true, force: true });
  await build({
    entryPoints,
    outbase: PROJECT_ROOT,
    outdir: TEST_BUILD_DIR,
    absWorkingDir: PROJECT_ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  return entryPoints.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = await buildTests();
  process.stdout.write(`build-tests: ${count} sources into ${path.relative(process.cwd(), TEST_BUILD_DIR) || '.'}\n`);
}
