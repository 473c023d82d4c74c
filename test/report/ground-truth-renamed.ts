/**
 * Ground truth picks its evidence by the event's class (or a rule's
 * `confirm:`), never by a rule id: the built-in policy with every rule
 * renamed confirms exactly what the built-in one does on the recorded golden
 * runs, and a user-written rule gets the evidence its `confirm:` names.
 */
import t from 'tap';
import type { Test } from 'tap';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { readExpect } from '../../harness/corpus/load-corpus.js';
import { runCli } from '../fixtures/cli/capture-io.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

interface Judged {
  summary: { verdict: string };
  findings: { rule: string }[];
  groundTruth?: { confirmations: { finding: number; rule: string; evidence: string }[]; unexplained: { kind: string; detail: string }[] };
}

let reports = 0;
async function judge(t: Test, dir: string, run: string, policy?: string): Promise<Judged> {
  const r = await runCli(
    ['analyze', run, ...(policy ? ['--policy', policy] : []), '--format', 'json', '--report', path.join(dir, `${++reports}.json`)],
    PROJECT_ROOT,
  );
  t.ok(r.code === 0 || r.code === 1 || r.code === 3, `${path.basename(run)}: analysed (${r.stderr.trim()})`);
  return JSON.parse(r.stdout) as Judged;
}

/** policies/drd-safe.yaml with every rule id prefixed `site-` (and its list file named from where the copy is). */
async function renamedPolicy(dir: string): Promise<{ file: string; ids: string[] }> {
  const text = await readFile(path.join(PROJECT_ROOT, 'policies', 'drd-safe.yaml'), 'utf8');
  const ids = [...text.matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1] as string);
  const renamed = text
    .replace(/^ {2}- id: (\S+)$/gm, '  - id: site-$1')
    .replace(/^( {2}name: )drd-safe$/m, '$1site')
    .replace('file: ../images/hpux-commands.yaml', `file: ${JSON.stringify(path.join(PROJECT_ROOT, 'images', 'hpux-commands.yaml'))}`);
  const file = path.join(dir, 'site.yaml');
  await writeFile(file, renamed);
  return { file, ids };
}

t.test('every built-in rule renamed: the same confirmations and unexplained evidence on every golden run that has any', async (t) => {
  const dir = t.testdir({});
  const { file, ids } = await renamedPolicy(dir);
  t.ok(ids.length >= 15, `${ids.length} rules renamed`);
  let confirmed = 0;
  const rulesConfirmed = new Set<string>();
  for (const name of (await readdir(GOLDEN, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const expect = await readExpect(path.join(GOLDEN, name));
    // Only runs with a finding can have a confirmation; safe runs without any are judged the same by any name.
    if ((expect.exactly ?? []).length === 0) continue;
    const builtin = await judge(t, dir, path.join(GOLDEN, name));
    const site = await judge(t, dir, path.join(GOLDEN, name), file);
    t.same(
      site.findings.map((f) => f.rule),
      builtin.findings.map((f) => `site-${f.rule}`),
      `${name}: the same findings under the new names`,
    );
    t.same(
      site.groundTruth?.confirmations,
      builtin.groundTruth?.confirmations.map((c) => ({ ...c, rule: `site-${c.rule}` })),
      `${name}: the same confirmations`,
    );
    t.same(site.groundTruth?.unexplained, builtin.groundTruth?.unexplained, `${name}: the same unexplained evidence`);
    t.equal(site.summary.verdict, builtin.summary.verdict, `${name}: the same verdict`);
    confirmed += builtin.groundTruth?.confirmations.length ?? 0;
    for (const c of builtin.groundTruth?.confirmations ?? []) rulesConfirmed.add(c.rule);
  }
  // The file diff, the witness and the leftovers each confirm something in the goldens.
  t.ok(confirmed >= 10, `${confirmed} confirmations compared`);
  t.same(
    [...rulesConfirmed].sort(),
    ['illegal-ipc', 'illegal-kill', 'illegal-request', 'illegal-restart', 'shared-write', 'unterminated-process'],
    'rules confirmed by each kind of evidence are among them',
  );
});

t.test('a user-written rule gets the evidence its `confirm:` names', async (t) => {
  const dir = t.testdir({
    // A kill rule of its own that asks for no confirmation: the daemon's witness is then unexplained.
    'unconfirmed.yaml': `extends: drd-safe
disable: [illegal-kill]
rules:
  - id: my-kill
    severity: error
    title: My kill
    confirm: none
    match:
      class: signal
      signal.number: {ne: 0}
      macro: outside-signal-target
`,
    // A file read by the subshell a script left running (`sleep 300 &` opens
    // /dev/null for its stdin): a file event, confirmed by the sandbox's leftovers.
    'left.yaml': `extends: drd-safe
rules:
  - id: reads-null
    severity: info
    title: Read /dev/null
    confirm: leftovers
    match:
      class: fs-read
      path.jail: /dev/null
`,
  });
  const kill = path.join(GOLDEN, 's01-kill-9-pid');
  const builtin = await judge(t, dir, kill);
  t.match(builtin.groundTruth?.confirmations, [{ rule: 'illegal-kill', evidence: /^comsec is no longer running$/ }]);
  t.same(builtin.groundTruth?.unexplained, []);
  const unconfirmed = await judge(t, dir, kill, path.join(dir, 'unconfirmed.yaml'));
  t.same(
    unconfirmed.findings.map((f) => f.rule),
    ['my-kill'],
  );
  t.same(unconfirmed.groundTruth?.confirmations, [], '`confirm: none`');
  t.match(unconfirmed.groundTruth?.unexplained, [{ kind: 'daemon-died', detail: /^comsec stopped running during the phase and no finding explains it$/ }]);

  const left = await judge(t, dir, path.join(GOLDEN, 'm01-leave-daemon-running'), path.join(dir, 'left.yaml'));
  const fromExec = left.groundTruth?.confirmations.filter((c) => c.rule === 'reads-null') ?? [];
  const fromExit = left.groundTruth?.confirmations.filter((c) => c.rule === 'unterminated-process') ?? [];
  t.ok(fromExec.length >= 1, 'a file-read rule confirmed by the leftovers');
  t.same(
    fromExec.map((c) => c.evidence).filter((e) => fromExit.some((x) => x.evidence === e)),
    fromExec.map((c) => c.evidence),
    'by the same leftover the built-in exit rule is confirmed by',
  );
});
