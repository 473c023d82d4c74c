import t from 'tap';
import type { Test } from 'tap';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readRunDir, runFile } from '../../harness/contract/read-run-dir.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { runCli } from '../fixtures/cli/capture-io.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden', 's01-kill-9-pid');

/** A copy of a recorded run directory, with one file replaced. */
async function damaged(t: Test, file: string, text: string): Promise<string> {
  const dir = path.join(t.testdir({}), 'run');
  await cp(GOLDEN, dir, { recursive: true });
  await writeFile(path.join(dir, file), text);
  return dir;
}

t.test('a recorded run directory: every file read and checked', async (t) => {
  const run = await readRunDir(GOLDEN);
  t.equal(run.dir, GOLDEN);
  t.equal(run.tracePath, runFile(GOLDEN, 'trace'));
  t.equal(run.traceBytes, (await readFile(run.tracePath)).length);
  t.equal(run.metadata?.script?.phase, 'preinstall');
  t.equal(run.result?.scriptJailPath, run.metadata?.script?.jailPath);
  t.ok(run.witness && run.witness.events.length > 0 && run.witness.issues.length === 0);
  t.same(run.bootedDiff, { added: [], modified: [], deleted: [] });
});

t.test('a run that got less far has fewer files: each absent one is undefined, never a default', async (t) => {
  const dir = t.testdir({ 'trace.txt': '' });
  const run = await readRunDir(dir);
  t.same(run, { dir: path.resolve(dir), tracePath: path.join(path.resolve(dir), 'trace.txt'), traceBytes: 0 });
});

t.test('a damaged file stops the reader with its name, the field and the problem', async (t) => {
  const result = JSON.parse(await readFile(path.join(GOLDEN, 'result.json'), 'utf8')) as Record<string, unknown>;
  const cases: [file: string, text: string, message: RegExp][] = [
    ['result.json', JSON.stringify({ ...result, finished: 'yes' }), /result\.json does not match the run contract: finished: expected boolean, got "yes"$/],
    ['result.json', '{"schemaVersion":1,', /result\.json does not match the run contract: not valid JSON/],
    ['run.json', '{"schemaVersion":1,"daemons":[]}', /run\.json does not match the run contract: trees: missing$/],
    [
      'run.json',
      '{"schemaVersion":1,"daemons":[{"name":"comsec"}],"trees":{"booted":"/b","inactive":"/i","shared":[],"sandbox":[]}}',
      /run\.json .*: daemons\[0\]\.pid: missing; daemons\[0\]\.endpoints: missing$/,
    ],
    ['booted-diff.json', '{"added":[],"modified":[]}', /booted-diff\.json does not match the run contract: deleted: missing$/],
  ];
  for (const [file, text, message] of cases) {
    const dir = await damaged(t, file, text);
    await t.rejects(readRunDir(dir), { code: 'INPUT_INVALID', file: path.join(dir, file), message }, file);
  }
});

t.test('analyze of a run directory with a damaged file: exit 2 and the problem named, nothing judged', async (t) => {
  const dir = await damaged(t, 'result.json', '{"schemaVersion":1}');
  const r = await runCli(['analyze', dir], dir);
  t.equal(r.code, 2);
  t.equal(r.stdout, '', 'no report printed');
  t.match(r.stderr, /^drdsafe analyze: .*result\.json does not match the run contract: phase: missing; .*phaseWallMs: missing/);
  t.match(r.stderr, /-> the run directory is damaged or was written by another version of drdsafe; run the script again/);
});

t.test('a witness line that breaks the contract leaves the run indeterminate, the line named', async (t) => {
  const witness = await readFile(path.join(GOLDEN, 'witness.jsonl'), 'utf8');
  const dir = await damaged(t, 'witness.jsonl', `${witness}{"daemon":"comsec","event":"signal","senderPid":"x"}\n`);
  const run = await readRunDir(dir);
  const line = witness.split('\n').length;
  t.same(run.witness?.issues, [`witness.jsonl:${line}: senderPid: expected integer, got "x"`]);
  const r = await runCli(['analyze', dir, '--format', 'json'], dir);
  const report = JSON.parse(r.stdout) as { summary: { verdict: string; reasons: string[] }; groundTruth: { witnessIssues: string[] } };
  t.equal(report.summary.verdict, 'unsafe', 'its error finding stands');
  t.match(report.summary.reasons.join('\n'), /1 witness line\(s\) could not be read/);
  t.same(report.groundTruth.witnessIssues, run.witness?.issues);
});

t.test('exploration.json is read through the contract, and refused when it breaks it', async (t) => {
  const { readRunDir: read } = await import('../../harness/contract/read-run-dir.js');
  const record = {
    schemaVersion: 1,
    explore: 4,
    compare: true,
    timeoutSeconds: 60,
    probes: [{ kind: 'pid-file', path: '/var/run/acmeagt.pid', call: 'newfstatat', answer: 'ENOENT', traceLine: 9, subject: 'acmeagt', run: 0 }],
    variants: [
      {
        id: 1,
        dir: 'variants/1',
        subjects: ['/var/run/acmeagt.pid'],
        changes: [{ kind: 'pid-file', path: '/var/run/acmeagt.pid', daemon: 'acmeagt', condition: 'c', made: 'm' }],
        ran: true,
      },
    ],
    notExplored: [],
    comparison: { dir: 'compare', ran: false, error: 'the time ran out' },
  };
  const good = t.testdir({ 'exploration.json': JSON.stringify(record) });
  t.same((await read(good)).exploration, record);
  const bad = t.testdir({ 'exploration.json': JSON.stringify({ ...record, variants: [{ ...record.variants[0], dir: '../elsewhere' }] }) });
  await t.rejects(read(bad), { code: 'INPUT_INVALID', message: /exploration\.json.*variants\[0\]\.dir/ });
});
