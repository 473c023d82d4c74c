import path from 'node:path';
import t from 'tap';
import { attributeLine, filesetIndex, filesetInfo, installDate, ipdDirectory, productIndex } from '../../harness/sd/ipd-entry.js';
import { readPackage } from '../../harness/sd/read-package.js';
import { ROOT } from '../fixtures/sd/paths.js';

const EXAMPLES = path.join(ROOT, 'examples', 'packages');
const date = new Date(Date.UTC(2024, 5, 1, 10, 12, 41));
const facts = { date, source: 'localhost:/var/depots/acme', state: 'installed' as const };

t.test("a product and fileset as the IPD records them, in the layout the image's own IPD has", async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'drd-safe', 'acmesafe.psf'));
  const p = pkg.products[0]!;
  const f = p.filesets[0]!;
  t.equal(ipdDirectory(p), '/var/adm/sw/products/ACMESAFE/pfiles');
  t.equal(ipdDirectory(p, f), '/var/adm/sw/products/ACMESAFE/ACMESAFE-RUN');
  const product = productIndex(p, facts).split('\n');
  t.same(product.slice(0, 3), ['product', 'tag ACMESAFE', 'title "Acme safe daemon"']);
  t.ok(product.includes('revision 1.0') && product.includes('directory /opt/acmesafe'), "the package's attributes");
  t.ok(product.includes('install_date 202406011012.41') && product.includes('install_type physical') && product.includes('location /opt/acmesafe'));
  t.notOk(product.includes('category_tag patch'));
  const fileset = filesetIndex(p, f, facts).split('\n');
  t.same(fileset.slice(0, 2), ['fileset', 'tag ACMESAFE-RUN']);
  t.ok(['state installed', 'is_kernel false', 'is_reboot false', 'is_drd_safe true', 'revision 1.0'].every((l) => fileset.includes(l)));
  const info = filesetInfo(f.scripts, f.payload);
  t.match(info, /^control_file\ntag preinstall\npath preinstall\n/);
  t.match(info, /file\npath \/opt\/acmesafe\/bin\/acmesafed\ntype f\nmode 0555\nowner bin\ngroup bin\n/);
  t.equal(installDate(date), '202406011012.41');
  t.equal(attributeLine('title', 'a "b" c'), 'title "a \\"b\\" c"');
  t.equal(attributeLine('tag', 'X'), 'tag X');
});

t.test('a patch fileset: category, patch_state, superseded_by', async (t) => {
  const pkg = await readPackage(path.join(EXAMPLES, 'patch', 'PHCO_39999', 'PHCO_39999.psf'));
  const p = pkg.products[0]!;
  const f = p.filesets[0]!;
  t.match(productIndex(p, facts), /\ncategory_tag patch\n/);
  const text = filesetIndex(p, f, facts, { state: 'superseded', supersededBy: 'PHCO_40001.ACMESAFE-RUN' });
  t.match(text, /\nis_patch true\nis_sparse true\ncategory_tag patch\npatch_state superseded\nsuperseded_by PHCO_40001\.ACMESAFE-RUN\n/);
  t.match(text, /\nancestor ACMESAFE\.ACMESAFE-RUN\n/);
});
