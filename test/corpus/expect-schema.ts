import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { isSessionExpectation } from '../../harness/corpus/package-cases.js';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { EXPECT_SCHEMA, EXPECT_SCHEMA_FILE } from '../../harness/corpus/expect-schema.js';
import { newAjv, SCHEMA_TARGETS } from '../../scripts/schema-validators.js';
import { keysWithoutExpected } from '../fixtures/schema/schema-walk.js';

async function expectFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await expectFiles(full)));
    else if (entry.name === 'expect.yaml') out.push(full);
  }
  return out;
}

t.test('every subschema that can refuse a value says what a valid one is', async (t) => {
  t.same(keysWithoutExpected(EXPECT_SCHEMA), []);
});

t.test('the shipped schema file validates every expect.yaml of the repository, none with an old key', async (t) => {
  const target = SCHEMA_TARGETS.find((s) => s.schemaFile === EXPECT_SCHEMA_FILE);
  if (target === undefined) throw new Error('no expect schema target');
  const validate = newAjv(target).compile(JSON.parse(await readFile(path.join(PROJECT_ROOT, EXPECT_SCHEMA_FILE), 'utf8')) as object);
  const files = [...(await expectFiles(path.join(PROJECT_ROOT, 'examples'))), ...(await expectFiles(path.join(PROJECT_ROOT, 'traces', 'golden')))];
  t.ok(files.length >= 90, `${files.length} expect.yaml files`);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    // A package folder's expect.yaml lists SD sessions: package-cases.ts reads it, not this schema.
    if (isSessionExpectation(text)) continue;
    const value = parse(text) as Record<string, unknown>;
    const name = path.relative(PROJECT_ROOT, file);
    t.ok(validate(value), `${name}: ${JSON.stringify(validate.errors)}`);
    t.notOk('rules' in value || 'fires' in value, `${name} says any-of or exactly`);
  }
});
