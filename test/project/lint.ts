/**
 * The house's lint and format, as part of `npm test` (so `.ci/run`, which
 * runs the README's test command, fails on them): ESLint with
 * typescript-eslint's recommended rules (eslint.config.js) finds no problem,
 * and every TypeScript source and the page's styles are as Prettier writes
 * them (.prettierrc.json). Fix with `npm run lint:fix`.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const SOURCES = ['harness/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

// One ESLint pass: its results, and the file list (with the ignores applied) Prettier checks.
const results = await new ESLint({ cwd: PROJECT_ROOT }).lintFiles(SOURCES);

t.test('eslint finds no problem', async (t) => {
  t.ok(results.length > 300, `${results.length} files linted`);
  const problems = results.flatMap((r) =>
    r.messages.map((m) => `${path.relative(PROJECT_ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`),
  );
  t.same(problems, [], 'no lint problem (npm run lint:fix fixes what it can)');
});

t.test('every source is formatted as Prettier writes it', async (t) => {
  const files = [...results.map((r) => r.filePath), path.join(PROJECT_ROOT, 'harness', 'report', 'page', 'page.css')];
  const unformatted: string[] = [];
  for (const file of files) {
    const options = await prettier.resolveConfig(file);
    const text = await readFile(file, 'utf8');
    if (!(await prettier.check(text, { ...options, filepath: file }))) unformatted.push(path.relative(PROJECT_ROOT, file));
  }
  t.same(unformatted, [], 'formatted (npm run lint:fix)');
});
