import t from 'tap';
import { mergeLayers } from '../../harness/policy/merge-layers.js';
import { parsePolicyFile } from '../../harness/policy/parse-policy-file.js';
import type { PolicyLayer } from '../../harness/policy/normalize-layer.js';
import { BASE, loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';

const layer = (source: string, file: string): PolicyLayer => {
  const parsed = parsePolicyFile(source, file);
  if (parsed.layer === undefined) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.layer;
};

t.test('redefinitions and unknown targets are problems where they were written', async (t) => {
  const user = `extends: base.yaml
lists:
  verbs: [reload]
macros:
  runcmd-signal: {class: exec}
append-lists:
  verb: [x]
disable: [any-kil]
overrides:
  no-such-rule: {severity: info}
rules:
  - id: any-kill
    severity: info
    title: again
    match: {class: exec}
`;
  const { problems } = await loadFiles(t, { 'base.yaml': BASE, 'user.yaml': user }, ['user.yaml']);
  const at = (pattern: RegExp, needle: string, after?: string): void => {
    const p = problem(t, problems, pattern);
    t.match(p, { file: 'user.yaml', ...positionOf(user, needle, after) }, String(pattern));
  };
  at(/^List `verbs` is already defined at base\.yaml:5:3; add items with `append-lists`$/, 'verbs');
  at(/^Macro `runcmd-signal` is already defined at base\.yaml:7:3$/, 'runcmd-signal');
  at(/^Cannot append to unknown list `verb`; did you mean `verbs`\?$/, 'verb:', 'append-lists');
  at(/^Cannot disable unknown rule `any-kil`; did you mean `any-kill`\?$/, 'any-kil');
  at(/^Cannot override unknown rule `no-such-rule`$/, 'no-such-rule');
  at(/^Duplicate rule id `any-kill` \(first defined at base\.yaml:10:5\)$/, 'id: any-kill');
  t.equal(problems.length, 6);
});

t.test('duplicate exception names within a rule, across layers', async (t) => {
  const base = `${BASE}    exceptions:\n      - name: e1\n        match: {target.origin: runcmd}\n`;
  const user = 'extends: base.yaml\noverrides:\n  any-kill:\n    exceptions:\n      - name: e1\n        match: {ok: false}\n';
  const { problems } = await loadFiles(t, { 'base.yaml': base, 'user.yaml': user }, ['user.yaml']);
  t.match(problem(t, problems, /^Duplicate exception `e1` in rule `any-kill` \(first defined at base\.yaml:16:9\)$/), { file: 'user.yaml', line: 5, col: 9 });
});

t.test('a base without a header is a problem', async (t) => {
  const merged = mergeLayers([layer('rules: []\n', 'headless.yaml')]);
  t.match(merged.problems, [{ file: 'headless.yaml', line: 1, message: /policy` header/ }]);
});

t.test('merging fills name, version and layers; later layers modify earlier rules', async (t) => {
  const merged = mergeLayers([
    layer(BASE, 'base.yaml'),
    layer('extends: base.yaml\nappend-lists: {verbs: [stop, reload]}\noverrides: {any-kill: {severity: warning, enabled: false}}\n', 'dir/user.yml'),
  ]);
  t.same(merged.problems, []);
  t.equal(merged.policy.name, 'base+user');
  t.equal(merged.policy.version, '1');
  t.same(merged.policy.lists.get('verbs')?.items, ['start', 'stop', 'reload'], 'appended without duplicates');
  t.match(merged.policy.rules, [{ id: 'any-kill', severity: 'warning', enabled: false }]);
  t.same(merged.policy.layers, [
    { name: 'base', version: '1', file: 'base.yaml' },
    { name: 'user', file: 'dir/user.yml' },
  ]);
});
