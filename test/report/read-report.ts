import t from 'tap';
import path from 'node:path';
import { readStoredReport, reportProblems } from '../../harness/report/read-report.js';
import { goldenReport } from '../fixtures/report/golden-report.js';

t.test('a report as analyze writes it reads back whole', async (t) => {
  const report = await goldenReport('s01-kill-9-pid');
  t.same(reportProblems(report), []);
  const dir = t.testdir({ 'report.json': JSON.stringify(report) });
  t.same(await readStoredReport(path.join(dir, 'report.json')), report);
});

t.test('a damaged report is refused with its file and every problem', async (t) => {
  const report = (await goldenReport('s01-kill-9-pid')) as unknown as Record<string, unknown>;
  const dir = t.testdir({
    'cut.json': JSON.stringify(report).slice(0, 300),
    'other.json': JSON.stringify({ ...report, schemaVersion: 2, summary: { verdict: 'fine' }, findings: [{ rule: 1 }] }),
    'array.json': '[]',
  });
  await t.rejects(readStoredReport(path.join(dir, 'cut.json')), { code: 'INPUT_INVALID', exitCode: 2, message: /cut\.json is not valid JSON/ });
  await t.rejects(readStoredReport(path.join(dir, 'other.json')), {
    code: 'INPUT_INVALID',
    message:
      /other\.json is not a report drdsafe can render: schemaVersion: expected 1 .*got 2; summary\.verdict: expected .*got "fine"; .*summary\.reasons: .*findings\[0\]: expected a finding/,
  });
  t.same(reportProblems([]), ['expected a JSON object, got []']);
});
