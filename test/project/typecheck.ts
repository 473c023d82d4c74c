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

// npm test runs the tests as esbuild transpiled them (scripts/build-tests.ts), which strips types
// without checking them: without this, a type error in a test (or in bench/) passes the suite.
t.test('the whole project typechecks: harness, tests and benchmarks (tsconfig.json)', (t) => typecheck(t, 'tsconfig.json'));

// The HTML report's page runs in a browser: it has its own tsconfig (DOM types), left out of the one above.
t.test("the HTML report's page typechecks (harness/report/page/tsconfig.json)", (t) => typecheck(t, 'harness/report/page/tsconfig.json'));
