/**
 * `drdsafe report DIR...`: stored runs rendered again in every format with
 * nothing run; a run directory without report.json analysed first; bad
 * input refused with exit 2 and what is wrong.
 */
import t from 'tap';
import type { Test } from 'tap';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../fixtures/cli/capture-io.js';
import { GOLDEN } from '../fixtures/report/golden-report.js';

const made = new WeakSet<Test>();

/** A golden run copied into the test's folder (made once per test: a second t.testdir would empty it). */
async function runDir(t: Test, golden: string, analysed = true): Promise<string> {
  if (!made.has(t)) {
    t.testdir({});
    made.add(t);
  }
  const dir = path.join(t.testdirName, golden);
  await cp(path.join(GOLDEN, golden), dir, { recursive: true });
  if (analysed) await runCli(['analyze', dir, '--format', 'json'], dir);
  return dir;
}

t.test('every format from a stored report.json, and exit as its verdict', async (t) => {
  const dir = await runDir(t, 's01-kill-9-pid');
  const stored = await readFile(path.join(dir, 'report.json'), 'utf8');
  const json = await runCli(['report', dir, '--format', 'json'], dir);
  t.equal(json.code, 1, 'unsafe: exit 1');
  t.same(JSON.parse(json.stdout), JSON.parse(stored), 'json is report.json as stored');
  const text = await runCli(['report', dir], dir);
  t.match(text.stdout, /\[ERROR\] illegal-kill[\s\S]*Verdict: UNSAFE/, 'text by default');
  const sarif = await runCli(['report', dir, '--format', 'sarif'], dir);
  t.match(
    JSON.parse(sarif.stdout),
    { version: '2.1.0', runs: [{ results: [{ ruleId: 'illegal-kill' }], tool: { driver: { rules: [{ id: String }] } } }] },
    'sarif, with the rules report.json keeps',
  );
  const html = await runCli(['report', dir, '--format', 'html'], dir);
  t.equal(html.stdout, await readFile(path.join(dir, 'report.html'), 'utf8'), 'html is the page report.html holds');
  const junit = await runCli(['report', dir, '--format', 'junit'], dir);
  t.equal(junit.stdout, await readFile(path.join(dir, 'report.junit.xml'), 'utf8'), 'junit is report.junit.xml');
  t.equal(await readFile(path.join(dir, 'report.json'), 'utf8'), stored, 'report.json untouched');
});

t.test('several runs: one document, the worst exit code', async (t) => {
  const unsafe = await runDir(t, 's01-kill-9-pid');
  const safe = await runDir(t, 's06-guarded-kill');
  const junit = await runCli(['report', safe, unsafe, '--format', 'junit'], unsafe);
  t.equal(junit.code, 1, 'unsafe is worse than safe');
  t.equal(XMLValidator.validate(junit.stdout), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.stdout) as { testsuites: { tests: string; failures: string } };
  t.match(doc.testsuites, { tests: '2', failures: '1' }, 'a testsuite each');
  const sarif = JSON.parse((await runCli(['report', safe, unsafe, '--format', 'sarif'], unsafe)).stdout) as { runs: unknown[] };
  t.equal(sarif.runs.length, 2, 'one SARIF log, a run each');
  const json = JSON.parse((await runCli(['report', safe, unsafe, '--format', 'json'], unsafe)).stdout) as unknown[];
  t.equal(json.length, 2, 'a JSON array');
  const html = await runCli(['report', safe, unsafe, '--format', 'html'], unsafe);
  t.match(html, { code: 2, stderr: /--format html renders one run directory/ }, 'html: one at a time');
});

t.test('a run directory without report.json is analysed first', async (t) => {
  const dir = await runDir(t, 's06-guarded-kill', false);
  const r = await runCli(['report', dir, '--format', 'json'], dir);
  t.match(r.stderr, /has no report\.json: analysing its trace/, 'it says so');
  t.equal((JSON.parse(r.stdout) as { summary: { verdict: string } }).summary.verdict, 'safe');
  t.ok(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')), 'and report.json is written');
});

t.test('bad input: exit 2 and what is wrong', async (t) => {
  const dir = await runDir(t, 's01-kill-9-pid');
  const none = await runCli(['report', path.join(dir, 'nope')], dir);
  t.match(none, { code: 2, stderr: /no such run directory/ });
  const file = await runCli(['report', path.join(dir, 'trace.txt')], dir);
  t.match(file, { code: 2, stderr: /not a run directory: .*trace\.txt is a file/ });
  const notes = path.join(t.testdirName, 'notes');
  await cp(path.join(dir, 'stdout.txt'), path.join(notes, 'notes.txt'));
  const empty = await runCli(['report', notes], dir);
  t.match(empty, { code: 2, stderr: /not a run directory: .* has no report\.json, no trace\.txt, no run\.json/ });
  await writeFile(path.join(dir, 'report.json'), '{"schemaVersion": 1, "findings": [');
  const damaged = await runCli(['report', dir], dir);
  t.match(damaged, { code: 2, stderr: /report\.json is not valid JSON/ });
  await rm(path.join(dir, 'report.json'));
  await writeFile(path.join(dir, 'run.json'), '{"schemaVersion": 1}');
  const contract = await runCli(['report', dir], dir);
  t.match(contract, { code: 2, stderr: /run\.json does not match the run contract/ }, 'a damaged run.json, through the contract');
  t.match(await runCli(['report'], dir), { code: 2, stderr: /no run directory given/ });
  t.match(await runCli(['report', dir, '--format', 'pdf'], dir), { code: 2, stderr: /Expected `--format` to be one of/ });
});
