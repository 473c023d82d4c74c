/**
 * drdsafe's SARIF against the SARIF 2.1.0 JSON Schema of the OASIS
 * committee, vendored in test/fixtures/report/sarif/ (README there: source
 * and commit): every golden run's log, a log of several runs, and one with a
 * coverage finding. A log the schema refuses is refused here too.
 */
import t from 'tap';
import type { Test } from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { renderSarif } from '../../harness/report/render-sarif.js';
import { renderReports } from '../../harness/report/render-reports.js';
import { GOLDEN, goldenReport } from '../fixtures/report/golden-report.js';
import { applyWaivers } from '../../harness/report/apply-waivers.js';

const SCHEMA = path.join(PROJECT_ROOT, 'test', 'fixtures', 'report', 'sarif', 'sarif-schema-2.1.0.json');

/** The schema's `language` patterns open with `(?i)`, which JavaScript spells as the `i` flag. */
function regExp(pattern: string, flags: string): RegExp {
  const caseless = pattern.startsWith('^(?i)');
  return new RegExp(caseless ? `^${pattern.slice('^(?i)'.length)}` : pattern, caseless ? `${flags}i` : flags);
}
regExp.code = 'new RegExp';

// A CommonJS module whose `default` is the function again: TypeScript sees the namespace.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true, code: { regExp } });
addFormats(ajv);
/**
 * The schema as its committee publishes it, with its one defect mended in memory: `region`
 * lists its `anyOf` among its properties, which the JSON Schema meta-schema refuses
 * (the Committee Specification's copy has no such entry); it is moved to where it means something.
 */
function mended(schema: { definitions: { region: { properties: Record<string, unknown>; anyOf?: unknown } } }): object {
  const region = schema.definitions.region;
  const { anyOf, ...properties } = region.properties;
  schema.definitions.region = { ...region, properties, ...(anyOf !== undefined ? { anyOf } : {}) };
  return schema;
}
const validate = ajv.compile(mended(JSON.parse(await readFile(SCHEMA, 'utf8')) as Parameters<typeof mended>[0]));

function check(t: Test, sarif: string, what: string): void {
  const ok = validate(JSON.parse(sarif));
  t.ok(ok, `${what}: valid SARIF 2.1.0${ok ? '' : `: ${ajv.errorsText(validate.errors)}`}`);
}

t.test('every golden run gives SARIF the schema accepts', async (t) => {
  const names = (await readdir(GOLDEN, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  t.ok(names.length > 40, `${names.length} golden runs`);
  for (const name of names) {
    const report = await goldenReport(name);
    check(t, renderSarif(report, report.policy.rules ?? [], PROJECT_ROOT), name);
  }
});

t.test('several runs in one log, coverage findings, indeterminate runs', async (t) => {
  const runs = await Promise.all(
    ['s01-kill-9-pid', 'm35-not-exercised-branch', 's08-lvlnboot-truncated'].map(async (name) => ({ name, report: await goldenReport(name) })),
  );
  t.ok(
    runs[1]?.report.findings.some((f) => f.rule === 'not-exercised'),
    'a coverage finding among them',
  );
  t.equal(runs[2]?.report.summary.verdict, 'indeterminate', 'and an indeterminate run');
  const log = renderReports(runs, 'sarif', PROJECT_ROOT);
  t.equal((JSON.parse(log) as { runs: unknown[] }).runs.length, 3);
  check(t, log, 'three runs');
});

t.test('waived findings (suppressions) and a stale waiver (a notification) in a valid log', async (t) => {
  const report = await goldenReport('s01-kill-9-pid');
  const errors = report.findings.filter((f) => f.severity === 'error');
  const waiver = (rule: string, fingerprint: string, line: number) => ({
    rule,
    fingerprint,
    reason: 'accepted',
    owner: 'qa@example.com',
    expires: '2099-01-01',
    file: 'waivers.yaml',
    line,
  });
  const set = { file: 'waivers.yaml', waivers: [waiver(errors[0]!.rule, errors[0]!.fingerprint!, 2), waiver('booted-write', '0123456789abcdef', 8)] };
  const { report: waived } = applyWaivers(report, set);
  const sarif = renderSarif(waived, waived.policy.rules ?? [], PROJECT_ROOT);
  const log = JSON.parse(sarif) as { runs: { results: { suppressions?: unknown[] }[]; invocations?: { toolExecutionNotifications?: unknown[] }[] }[] };
  t.ok(
    log.runs[0]?.results.some((r) => (r.suppressions ?? []).length > 0),
    'a result with a suppression',
  );
  t.ok((log.runs[0]?.invocations?.[0]?.toolExecutionNotifications ?? []).length > 0, 'the stale waiver as a notification');
  check(t, sarif, 'a log with waivers');
});

t.test('the schema check can fail: a log it refuses is refused', async (t) => {
  const report = await goldenReport('s01-kill-9-pid');
  const sarif = JSON.parse(renderSarif(report, report.policy.rules ?? [], PROJECT_ROOT)) as { runs: { results: { level: string }[] }[] };
  sarif.runs[0]!.results[0]!.level = 'fatal';
  t.notOk(validate(sarif), 'a result level SARIF does not have');
  t.notOk(validate({ version: '2.1.0' }), 'a log without runs');
  t.ok(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, language: 'EN-us' }] }), 'the (?i) pattern read case-blind, as its schema means');
});
