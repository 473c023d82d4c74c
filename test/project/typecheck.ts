import t from 'tap';
import type { Test } from 'tap';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runProcess } from '../../harness/process/run-process.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';

/** Runs tsc on one tsconfig and fails with the errors it lists. */
async function typecheck(t: Test, tsconfig: string): Promise<void> {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  // tsc lists its errors on stdout, which a failed run's message leaves out.
  const listed: string[] = [];
  const result = await runProcess(process.execPath, [tsc, '-p', path.join(PROJECT_ROOT, tsconfig), '--noEmit', '--pretty', 'false'], {
    timeoutMs: 300_000,
    signal: new AbortController().signal,
    cwd: PROJECT_ROOT,
    onStdoutLine: (line) => listed.push(line),
    hint: 'fix the type errors tsc lists (npm run typecheck)',
  }).catch((error: unknown) => error);
  t.notOk(result instanceof Error, result instanceof Error ? `${result.message}\n${listed.join('\n')}` : 'tsc found no error');
}

// The project itself (harness, tests, benchmarks, scripts) is type-checked by npm test's build step
// (`tsc -p tsconfig.test.json`, which compiles what tap runs and fails the run on a type error).
// The HTML report's page runs in a browser: it has its own tsconfig (DOM types), left out of that one.
t.test("the HTML report's page typechecks (harness/report/page/tsconfig.json)", (t) => typecheck(t, 'harness/report/page/tsconfig.json'));
