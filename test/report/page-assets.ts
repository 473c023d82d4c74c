import t from 'tap';
import { readFile } from 'node:fs/promises';
import { GENERATED_FILE, pageAssetsSource } from '../../scripts/report-page.js';

t.test('the bundled page is that of harness/report/page/ as it is now', async (t) => {
  t.ok((await readFile(GENERATED_FILE, 'utf8')) === (await pageAssetsSource()), 'page-assets.generated.ts is current (else: npm run report:page)');
});
