import t from 'tap';
import { Writable } from 'node:stream';
import { clock, createProgress, estimateLeftMs, progressLine, wantsLiveProgress } from '../../harness/batch/batch-progress.js';
import { summaryTable } from '../../harness/batch/summary-table.js';
import { renderBatchIndex, sortByVerdict, writeBatchIndex } from '../../harness/batch/batch-index.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchEntry, TaskResult } from '../../harness/batch/run-batch.js';

const entry = (name: string, verdict: string, exitCode: number, extra: Partial<BatchEntry<TaskResult>> = {}): BatchEntry<TaskResult> => ({
  name,
  verdict,
  exitCode,
  status: 'finished',
  ms: 1500,
  attempts: 1,
  engine: 'unix:///e.sock',
  ...extra,
});

function capture(): { out: Writable; text: () => string } {
  let text = '';
  return { out: new Writable({ write: (c, _e, done) => ((text += String(c)), done()) }), text: () => text };
}

t.test('live only on a terminal, not in CI or on a dumb terminal', async (t) => {
  t.equal(wantsLiveProgress(true, {}), true);
  t.equal(wantsLiveProgress(false, {}), false);
  t.equal(wantsLiveProgress(true, { CI: 'true' }), false);
  t.equal(wantsLiveProgress(true, { TERM: 'dumb' }), false);
});

t.test('the live line: bar, done/total, elapsed, estimate, what runs, cut to the width', async (t) => {
  t.equal(clock(65_000), '1:05');
  t.equal(clock(3_725_000), '1:02:05');
  t.equal(estimateLeftMs(10_000, 0, 4), undefined, 'no estimate before the first run ends');
  t.equal(estimateLeftMs(10_000, 2, 6), 20_000);
  t.equal(
    progressLine({ done: 5, total: 10, running: ['a', 'b'], elapsedMs: 30_000 }, 200),
    '[##########----------] 5/10 | 0:30 elapsed, ~0:30 left | running: a, b',
  );
  const cut = progressLine({ done: 0, total: 10, running: ['x'.repeat(100)], elapsedMs: 0 }, 40);
  t.equal(cut.length, 39);
  t.ok(cut.endsWith('~'));
});

t.test('plain progress: one line a start, retry and end', async (t) => {
  const c = capture();
  const p = createProgress(c.out, { total: 2, live: false });
  p.onEvent({ kind: 'start', name: 'a', engine: 'e1', cpu: 0 });
  p.onEvent({ kind: 'retry', name: 'a', engine: 'e1', error: 'gone' });
  p.onEvent({ kind: 'finish', entry: entry('a', 'unsafe', 1) });
  p.stop();
  t.equal(c.text(), 'batch: start a (e1, cpu 0)\nbatch: retry a on another engine: e1 failed: gone\nbatch: [1/2] a: unsafe in 1.5 s\n');
  t.notMatch(c.text(), /\x1b/, 'no escape sequences in a log');
});

t.test('live progress redraws one line and writes ended runs above it', async (t) => {
  const c = capture();
  let now = 0;
  const p = createProgress(c.out, { total: 2, live: true, columns: 100, now: () => now });
  p.onEvent({ kind: 'start', name: 'a', engine: 'e1', cpu: 0 });
  now = 2000;
  p.onEvent({ kind: 'finish', entry: entry('a', 'safe', 0) });
  p.stop();
  t.match(c.text(), /\r\x1b\[2K\[-{20}\] 0\/2 \| 0:00 elapsed \| running: a/);
  t.match(c.text(), /\r\x1b\[2Kbatch: \[1\/2\] a: safe in 1\.5 s\n\r\x1b\[2K\[#{10}-{10}\] 1\/2 \| 0:02 elapsed, ~0:02 left/);
  t.ok(c.text().endsWith('\r\x1b[2K'), 'stop clears the line');
});

t.test('summary table and totals', async (t) => {
  const table = summaryTable(
    [
      entry('x/a', 'unsafe', 1, { runDir: '/w/out/a' }),
      entry('x/b', 'safe', 0, { runDir: '/w/out/b', attempts: 2 }),
      entry('x/c', 'not run', 3, { status: 'not-run', engine: undefined as never }),
    ],
    { cwd: '/w', wallMs: 4200 },
  );
  t.match(table, /^TARGET\s+VERDICT\s+EXIT\s+TIME\s+ENGINE\s+REPORT$/m);
  t.match(table, /^x\/a\s+unsafe\s+1\s+1\.5 s\s+unix:\/\/\/e\.sock\s+out\/a\/report\.html$/m);
  t.match(table, /^x\/b\s+safe\s+0\s+1\.5 s\s+unix:\/\/\/e\.sock \(retried\)\s+out\/b\/report\.html$/m);
  t.match(table, /^x\/c\s+not run\s+-\s+-\s+-\s+-$/m);
  t.match(table, /3 run\(s\) in 4\.2 s: 1 not run, 1 safe, 1 unsafe; exit code 3\n$/);
});

t.test('index.html: relative links, worst first, escaped, sortable under a CSP', async (t) => {
  const dir = t.testdir({});
  const entries = [
    entry('ok', 'safe', 0, { runDir: path.join(dir, 'ok') }),
    entry('<b>evil</b>', 'unsafe', 1, { runDir: path.join(dir, 'a b') }),
    entry('broke', 'error', 3, { error: 'run-phase failed' }),
  ];
  t.same(
    sortByVerdict(entries).map((e) => e.verdict),
    ['error', 'unsafe', 'safe'],
  );
  const html = renderBatchIndex(entries, { dir, title: 'drdsafe run', wallMs: 1000, startedAt: new Date(0) });
  t.match(html, /<a href="a%20b\/report.html">&lt;b&gt;evil&lt;\/b&gt;<\/a>/);
  t.notMatch(html, /<b>evil/);
  t.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
  t.ok(html.indexOf('broke') < html.indexOf('evil') && html.indexOf('evil') < html.indexOf('>ok<'), 'worst first');
  await writeBatchIndex(entries, { dir, title: 't', wallMs: 1000, startedAt: new Date(0) });
  const json = JSON.parse(await readFile(path.join(dir, 'batch.json'), 'utf8')) as { exitCode: number; runs: { runDir?: string }[] };
  t.equal(json.exitCode, 3);
  t.equal(json.runs[1]!.runDir, 'a b', 'run directories relative to the batch folder');
});
