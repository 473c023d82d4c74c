/**
 * The HTML report in a real browser (Debian's Chromium through
 * playwright-core), opened from file:// as a reviewer would open it: the
 * findings and the process tree are drawn, the filters and a click on a
 * finding work (its process is highlighted), nothing asks the network for
 * anything, and text from the script or the trace holding `<script>` is
 * shown as text. Screenshots go into the run directory.
 */
import t from 'tap';
import type { Test } from 'tap';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { runCli } from '../fixtures/cli/capture-io.js';
import { chromiumSkipReason, launchChromium } from '../fixtures/report/chromium.js';

const skip = await chromiumSkipReason();

/** A golden run copied into a new run directory and analysed there (report.json and report.html written). */
async function analysedCopy(t: Test, golden: string): Promise<string> {
  const dir = path.join(t.testdir({}), golden);
  await cp(path.join(PROJECT_ROOT, 'traces', 'golden', golden), dir, { recursive: true });
  const r = await runCli(['analyze', dir, '--format', 'json'], PROJECT_ROOT);
  t.equal(r.code, 1, `${golden} is unsafe`);
  return dir;
}

/** Opens a page from file:// and waits until its script has drawn it; records every request and error. */
async function open(page: Page, file: string): Promise<{ requests: string[]; errors: string[] }> {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { requests, errors };
}

t.test('an unsafe run: findings, process tree, filters and selection', { skip }, async (t) => {
  const dir = await analysedCopy(t, 'm23-uname-branch-kill');
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as {
    findings: { rule: string; severity: string; process: { pid: number } }[];
  };
  const kill = report.findings.findIndex((f) => f.rule === 'illegal-kill');
  t.ok(kill >= 0 && report.findings.some((f) => f.severity === 'warning'), 'the run has an error and a warning finding');
  await using browser = await launchChromium();
  const page = await browser.context.newPage();
  const seen = await open(page, path.join(dir, 'report.html'));

  t.equal(await page.textContent('#verdict'), 'UNSAFE', 'the verdict on top');
  t.equal(await page.locator('article.finding').count(), report.findings.length, 'one card per finding');
  t.match(
    await page.textContent(`article.finding[data-index="${kill}"]`),
    /illegal-kill[\s\S]*DRD-Safe Concepts 3\.1\.1[\s\S]*trace\.txt:\d+/,
    'a card shows rule, seed section and the syscall line',
  );
  t.match(await page.textContent(`article.finding[data-index="${kill}"] .excerpt .hit`), /kill/, 'and the script line, highlighted in its excerpt');
  t.ok((await page.locator('svg.tree g[data-script]').count()) === 1, 'the tree marks the control script');
  t.ok((await page.locator('svg.tree g.origin-runcmd').count()) >= 2, 'the jail processes are drawn');
  t.ok((await page.locator('svg.tree g.daemon').count()) >= 5, 'and the booted daemons, apart');
  t.ok((await page.locator('svg.tree g.origin-sandbox').count()) >= 1, 'and the launcher');
  await page.screenshot({ path: path.join(dir, 'report-overview.png'), fullPage: true });

  // Filter: errors off leaves the warnings.
  await page.click('#filter-error');
  const visible = await page.locator('article.finding:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
  t.ok(visible.length > 0 && visible.every((s) => s !== 'error'), 'with errors filtered out, no error card shows');
  await page.click('#filter-error');
  await page.selectOption('#filter-rule', 'illegal-kill');
  t.equal(
    await page.locator('article.finding:visible').count(),
    report.findings.filter((f) => f.rule === 'illegal-kill').length,
    'the rule filter shows that rule alone',
  );
  await page.screenshot({ path: path.join(dir, 'report-filtered.png'), fullPage: true });

  // Selecting the finding highlights its process, and the daemon it signalled.
  await page.click(`article.finding[data-index="${kill}"]`);
  t.ok((await page.locator(`article.finding[data-index="${kill}"].selected`).count()) === 1, 'the card is selected');
  const actor = page.locator('svg.tree g.hl-actor');
  t.equal(await actor.count(), 1, 'one process highlighted');
  t.equal(await actor.getAttribute('data-pid'), String(report.findings[kill]?.process.pid), 'the process that sent the signal');
  t.ok((await page.locator('svg.tree g.daemon.hl-target').count()) >= 1, 'the booted daemon it acted on too');
  t.match(await page.textContent('#process-details'), new RegExp(`pid ${report.findings[kill]?.process.pid}`), 'its details, every exec, show below the tree');
  t.ok((await page.locator('.timeline .marker.selected').count()) === 1, 'and its marker on the timeline');
  await page.screenshot({ path: path.join(dir, 'report-selected.png'), fullPage: true });

  t.same(seen.errors, [], 'no script error');
  t.same(
    seen.requests.filter((u) => !u.startsWith('file:')),
    [],
    'no request beyond the file itself',
  );
  for (const shot of ['report-overview.png', 'report-filtered.png', 'report-selected.png'])
    t.ok((await stat(path.join(dir, shot))).size > 10_000, `${shot} saved in the run directory`);
});

t.test('text from the script and the trace is shown as text, never run', { skip }, async (t) => {
  const dir = await analysedCopy(t, 's01-kill-9-pid');
  // The script line and the argv of the finding hold markup; the page is rendered again from report.json.
  const reportPath = path.join(dir, 'report.json');
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Record<string, unknown> & {
    findings: Record<string, unknown>[];
    phases: { scriptText: string }[];
  };
  const evil = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
  const f = report.findings[0] as { location: { source: string; line: number }; process: { argv: string[] }; message: string };
  f.location.source = `kill -9 $PID # ${evil}`;
  f.process.argv = ['/sbin/sh', '-x', evil];
  f.message = `sent SIGKILL ${evil}`;
  const lines = report.phases[0]!.scriptText.split('\n');
  lines[f.location.line - 1] = f.location.source;
  report.phases[0]!.scriptText = lines.join('\n');
  await writeFile(reportPath, JSON.stringify(report));
  const r = await runCli(['report', dir, '--format', 'html'], PROJECT_ROOT);
  t.equal(r.code, 1, 'drdsafe report renders the stored run (exit as its verdict)');
  const page = path.join(dir, 'evil.html');
  await writeFile(page, r.stdout);
  t.notOk(r.stdout.includes(evil), 'the markup is nowhere in the page as markup');

  await using browser = await launchChromium();
  const tab = await browser.context.newPage();
  const seen = await open(tab, page);
  t.equal(await tab.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined, 'nothing from the report ran');
  t.equal(await tab.locator('article.finding img, article.finding script, #processes img').count(), 0, 'no element was made from it');
  t.ok((await tab.textContent('article.finding .excerpt .hit'))?.includes(evil), 'the script line shows the markup as text');
  t.ok((await tab.textContent('article.finding .message'))?.includes(evil), 'and the message');
  t.ok((await tab.textContent('article.finding'))?.includes('<script>window.pwned = 1</script>'), 'and the argv');
  await tab.screenshot({ path: path.join(dir, 'report-escaped.png'), fullPage: true });
  t.same(
    seen.requests.filter((u) => !u.startsWith('file:')),
    [],
    'the <img> asked for nothing',
  );
});
