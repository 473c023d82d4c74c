import t from 'tap';
import { readFile } from 'node:fs/promises';
import { CONTRACT_SCHEMAS, GENERATED_FILE, validatorSource } from '../../scripts/contract-validators.js';
import * as validators from '../../harness/contract/validators.generated.js';

t.test('the generated validators are those of the schemas as they are now', async (t) => {
  t.ok((await readFile(GENERATED_FILE, 'utf8')) === validatorSource(), 'validators.generated.ts is current (else: npm run contract:validators)');
  t.same(Object.keys(validators).sort(), Object.keys(CONTRACT_SCHEMAS).sort(), 'one validator for each schema');
});
