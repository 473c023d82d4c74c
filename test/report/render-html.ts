import t from 'tap';
import { escapeHtml, jsonForScript, renderHtml } from '../../harness/report/render-html.js';
import { PAGE_SCRIPT } from '../../harness/report/page-assets.generated.js';
import { goldenReport } from '../fixtures/report/golden-report.js';
import { makeFinding } from '../fixtures/report/make-finding.js';
import type { Report } from '../../harness/report/report.js';

const EVIL = '</script><script>alert(1)</script><!--';

t.test('escaping: element text, attributes and embedded JSON', async (t) => {
  t.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const json = jsonForScript({ line: EVIL, sep: '\u2028' });
  t.notOk(/[<>&\u2028]/.test(json), 'no character that could end the element');
  t.same(JSON.parse(json), { line: EVIL, sep: '\u2028' }, 'and the same value back');
});

t.test('the page: self-contained, its data whole, its markup from the report escaped', async (t) => {
  const report = await goldenReport('s01-kill-9-pid');
  const base = report.findings[0]!;
  const evil: Report = {
    ...report,
    findings: [{ ...makeFinding('illegal-kill', 'error'), message: `sent ${EVIL}`, location: { file: '/x', line: 1, source: EVIL } }, base],
  };
  const html = renderHtml(evil);
  t.notOk(html.includes(EVIL), 'the markup from the report is nowhere as markup');
  t.equal((html.match(/<script\b/g) ?? []).length, 2, 'two script elements: the data and the page');
  t.notOk(/\b(?:src|href)=["']?(?:https?:)?\/\//i.test(html), 'no reference to anything outside the file');
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1];
  t.same(JSON.parse(data ?? 'null'), JSON.parse(JSON.stringify(evil)), 'report.json whole in the page');
  t.match(
    html,
    /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/,
    'a policy that runs the page script alone and loads nothing',
  );
  t.ok(html.includes(PAGE_SCRIPT), 'the page script inlined');
  t.match(html, /<b>Verdict: UNSAFE<\/b>/, 'a summary without scripts');
});

t.test('size: the page of every golden run is small enough to mail', async (t) => {
  const report = await goldenReport('s09-fstab-vxvm-trace-all');
  const bytes = Buffer.byteLength(renderHtml(report));
  t.ok(bytes < 250_000, `the largest golden trace gives a ${Math.round(bytes / 1024)} kB page`);
});
