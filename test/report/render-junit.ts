/**
 * JUnit XML parsed back with a real XML parser (fast-xml-parser, after its
 * validator): one testsuite per run, one testcase per phase, a failure per
 * unsafe run carrying its error findings with script:line, an error for an
 * indeterminate run, and text a script could print made legal XML.
 */
import t from 'tap';
import type { Test } from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'yaml';
import { renderJunit, xmlSafe } from '../../harness/report/render-junit.js';
import type { Report } from '../../harness/report/report.js';
import { GOLDEN, goldenReport } from '../fixtures/report/golden-report.js';
import { makeFinding } from '../fixtures/report/make-finding.js';
import { applyWaivers } from '../../harness/report/apply-waivers.js';
import { findingFingerprint } from '../../harness/report/finding-fingerprint.js';

interface Case {
  name: string;
  classname: string;
  file?: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  testcase: Case[];
}

function parseJunit(t: Test, xml: string): Suite[] {
  t.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml) as { testsuites: { testsuite: Suite[] } };
  return doc.testsuites.testsuite;
}

t.test('the seed corpus: one failure per unsafe case, each with its error findings at script:line', async (t) => {
  const seeds = (await readdir(GOLDEN)).filter((n) => /^s\d\d-[a-z0-9-]+$/.test(n) && !n.endsWith('-layout') && !n.endsWith('-truncated')).sort();
  t.ok(seeds.length >= 13, `${seeds.length} seed cases`);
  const reports: Report[] = [];
  let unsafe = 0;
  for (const name of seeds) {
    const expect = parse(await readFile(path.join(GOLDEN, name, 'expect.yaml'), 'utf8')) as { verdict: string };
    if (expect.verdict === 'unsafe') unsafe++;
    reports.push(await goldenReport(name));
  }
  const suites = parseJunit(t, renderJunit(reports));
  t.equal(suites.length, seeds.length, 'one testsuite per run');
  t.equal(
    suites.reduce((n, s) => n + s.failures, 0),
    unsafe,
    `${unsafe} failures: one per unsafe case`,
  );
  suites.forEach((suite, i) => {
    const report = reports[i]!;
    t.equal(suite.testcase.length, 1, `${seeds[i]}: one testcase, its phase`);
    const test = suite.testcase[0]!;
    t.equal(test.name, report.phases[0]?.phase);
    if (report.summary.verdict !== 'unsafe') return t.notOk(test.failure, `${seeds[i]}: ${report.summary.verdict} is no failure`);
    for (const f of report.findings.filter((x) => x.severity === 'error')) {
      const at = `${report.phases[0]?.scriptSource}:${f.location?.line}`;
      t.ok(test.failure?.message.includes(`${f.rule} at ${at}`), `${seeds[i]}: the failure names ${f.rule} at ${at}`);
      t.ok(test.failure?.['#text'].includes(f.event?.raw ?? '?'), `${seeds[i]}: with its syscall line`);
    }
  });
});

t.test('an indeterminate run is an error, not a pass', async (t) => {
  const report = await goldenReport('s08-lvlnboot-truncated');
  t.equal(report.summary.verdict, 'indeterminate');
  const [suite] = parseJunit(t, renderJunit([report]));
  t.match(suite, { errors: 1, failures: 0, testcase: [{ error: { type: 'indeterminate', message: /^indeterminate: / } }] });
});

t.test('warnings go to system-out; what a script printed is made legal XML', async (t) => {
  const base = await goldenReport('s06-guarded-kill');
  const warn = { ...makeFinding('booted-identity', 'warning'), message: 'uname -r \u0001\u001b[0m ]]> </failure> \uD800' };
  const kill = { ...makeFinding('illegal-kill', 'error'), message: 'kill ]]> & <b>' };
  const report: Report = { ...base, findings: [warn, kill], summary: { ...base.summary, verdict: 'unsafe', exitCode: 1 } };
  const [suite] = parseJunit(t, renderJunit([report]));
  const test = suite?.testcase[0];
  t.match(test?.['system-out'], /booted-identity/, 'the warning in system-out');
  t.match(test?.['system-out'], /uname -r \\x01\\x1b\[0m \]\] > <\/failure> \\xd800/, 'control characters and lone surrogates spelled out, ]]> split');
  t.match(test?.failure?.['#text'], /kill \]\] > & <b>/, 'the failure body keeps its text');
  t.equal(xmlSafe('a\tb\nc'), 'a\tb\nc', 'tabs and newlines stay');
});

t.test('a waived finding fails nothing: it is in system-out, marked WAIVED with its waiver', async (t) => {
  const report = await goldenReport('s01-kill-9-pid');
  const errors = report.findings.filter((f) => f.severity === 'error');
  t.ok(errors.length > 0, 'the golden run has error findings');
  const set = {
    file: 'waivers.yaml',
    waivers: [...new Set(errors.map((f) => f.rule))].map((rule, i) => ({
      rule,
      fingerprint:
        errors.find((f) => f.rule === rule)!.fingerprint ??
        findingFingerprint(
          errors.find((f) => f.rule === rule)!,
          report.phases[0]?.script,
        ),
      reason: 'accepted for the test',
      owner: 'qa',
      expires: '2099-01-01',
      file: 'waivers.yaml',
      line: 1 + i,
    })),
  };
  const waived = applyWaivers(report, set).report;
  t.ok(
    waived.findings.filter((f) => f.severity === 'error').every((f) => f.waived !== undefined),
    'every error finding waived',
  );
  const [suite] = parseJunit(t, renderJunit([waived]));
  t.equal(suite?.failures, 0, 'no failure');
  const out = suite?.testcase[0]?.['system-out'] ?? '';
  t.match(out, /\[ERROR, WAIVED\] /);
  t.match(out, /waived {4}until 2099-01-01, owner qa \(waivers\.yaml:1\): accepted for the test/);
  t.match(out, /fingerprint [0-9a-f]{16}/);
});
