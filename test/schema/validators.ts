import t from 'tap';
import { readFile } from 'node:fs/promises';
import { projectPath, schemaFileSource, SCHEMA_TARGETS, validatorSource } from '../../scripts/schema-validators.js';

t.test('every generated validator and shipped schema file is that of the schema as it is now', async (t) => {
  for (const target of SCHEMA_TARGETS) {
    t.ok((await readFile(projectPath(target.module), 'utf8')) === validatorSource(target), `${target.module} is current (else: npm run schema:validators)`);
    t.ok(
      (await readFile(projectPath(target.schemaFile), 'utf8')) === schemaFileSource(target),
      `${target.schemaFile} is current (else: npm run schema:validators)`,
    );
    // The module as this test runs it: beside the sources under tsx, compiled under .test-build/ for npm test.
    const generated = (await import(new URL(`../../${target.module.replace(/\.ts$/, '.js')}`, import.meta.url).href)) as Record<string, unknown>;
    t.same(Object.keys(generated), [target.name], `${target.module} exports its validator`);
  }
});
