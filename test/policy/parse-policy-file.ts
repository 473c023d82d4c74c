import t from 'tap';
import { parsePolicyFile } from '../../harness/policy/parse-policy-file.js';
import { BASE, loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';

const rule = (body: string): string => `policy: {name: p, version: 1}
rules:
  - id: r
    severity: error
    title: T
${body}`;

t.test('a valid file becomes a layer with defaults filled in', async (t) => {
  const parsed = parsePolicyFile(BASE, 'base.yaml');
  t.same(parsed.problems, []);
  const layerRule = parsed.layer?.rules[0];
  t.match(layerRule, { id: 'any-kill', enabled: true, origins: ['runcmd'], message: '{title}: {target}', exceptions: [] });
  t.notOk(layerRule?.phases.includes('configure'), 'configure is exempt by default');
  t.match(layerRule?.at, { file: 'base.yaml', path: 'rules[0]', line: 10, col: 5 });
});

t.test('YAML syntax errors come with line and column', async (t) => {
  const source = 'policy: {name: p, version: 1}\nlists:\n  verbs: [start, stop\nrules: []\n';
  const { problems } = await loadFiles(t, { 'bad.yaml': source });
  t.ok(problems.length >= 1);
  const first = problems[0];
  t.equal(first?.file, 'bad.yaml');
  t.ok(first?.line !== undefined && first.line >= 3, 'points at or after the unclosed flow sequence');
  t.ok(first?.col !== undefined);
  t.notMatch(first?.message, /\n/, 'one line, without the source excerpt');
});

t.test('a duplicate key is a syntax problem at the second key', async (t) => {
  const source = rule('    severity: warning\n    match: {class: signal}\n');
  const { problems } = await loadFiles(t, { 'dup.yaml': source });
  const p = problem(t, problems, /DUPLICATE_KEY/);
  t.same([p.line, p.col], [6, 5]);
});

t.test('schema problems: every kind, with the line and column of the offending key or value', async (t) => {
  const source = `policy: {name: p, version: 1}
lists:
  Bad_Name: [a]
rules:
  - id: r1
    sevrity: error
    title: T
    phases: [preinstall, confgure]
    match:
      signal.nmber: 9
      signal.number: {neq: 0}
      signal.name: {lt: 3}
      exit.code: nine
      process.origin: runcmdd
      syscall: kil
      process.argv0: {regex: "("}
      exec.path: {glob: "/sbin/[init"}
  - id: r2
    severity: fatal
    title: T
    match: class-signal
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  const at = (pattern: RegExp, needle: string, after?: string): void => {
    const p = problem(t, problems, pattern);
    t.same({ line: p.line, col: p.col }, positionOf(source, needle, after), `${pattern} at ${needle}`);
    t.equal(p.file, 'p.yaml');
  };
  at(/^Unknown key `sevrity`; did you mean `severity`\?$/, 'sevrity');
  at(/^Missing required key `severity`/, 'id: r1');
  at(/^Expected `Bad_Name` to be a lower-case kebab-case name/, 'Bad_Name');
  at(/^Expected `phases\[1\]` to be one of .*got `confgure` \(string\); did you mean `configure`\?$/, 'confgure');
  at(/^Unknown field `signal.nmber`; did you mean `signal.number`\?$/, 'signal.nmber');
  at(/^Unknown operator `neq`; did you mean `ne`\?$/, 'neq');
  at(/^Operator `lt` does not apply to `signal.name` \(a string field\)/, 'lt');
  at(/^Expected `exit.code` to be a number .*got `nine` \(string\)$/, 'nine');
  at(/^Expected `process.origin` to be one of `runcmd`, `booted`, `sandbox`, `outside`, got `runcmdd` \(string\); did you mean `runcmd`\?$/, 'runcmdd');
  at(/^Expected `syscall` to be a known `syscall` value, got `kil` \(string\); did you mean `kill`\?$/, 'kil', 'syscall:');
  at(/^Expected `regex` to be a valid regular expression, got `\(` \(string\): /, '"("');
  at(/^Expected `glob` to be a valid glob, got `\/sbin\/\[init` \(string\): unclosed `\[`/, '"/sbin/[init"');
  at(/^Expected `severity` to be one of `error`, `warning`, `info`, got `fatal` \(string\)$/, 'fatal');
  at(/^Expected `match` to be a mapping of field tests/, 'class-signal');
  t.equal(problems.length, 14, 'every problem at once, nothing else');
});

t.test('shapes: the document, lists, exceptions, overrides', async (t) => {
  const empty = await loadFiles(t, { 'empty.yaml': '' });
  t.match(problem(t, empty.problems, /Expected `document` to be a mapping/), { line: undefined });

  const noRules = await loadFiles(t, { 'x.yaml': 'lists: {a: [b]}\n' });
  problem(t, noRules.problems, /to have `policy` and `rules`, or `extends`/);

  const source = `extends: drd-safe
lists:
  empty-ok: []
  nested: [[a]]
overrides:
  illegal-kill:
    severity: loud
    exceptions:
      - name: e
disable: illegal-kill
`;
  const { problems } = await loadFiles(t, { 'u.yaml': source });
  const nested = problem(t, problems, /Expected `nested\[0\]` to be a string or a number/);
  t.same({ line: nested.line, col: nested.col }, positionOf(source, '[a]'));
  problem(t, problems, /Expected `severity` to be one of/);
  t.same(problem(t, problems, /Missing required key `match`/).line, positionOf(source, 'name: e').line);
  t.same(problem(t, problems, /Expected `disable` to be an array of names/).line, 10);
});

t.test('in: takes a list name or a non-empty array; exists takes a boolean', async (t) => {
  const source = rule('    match:\n      exec.args: {in: []}\n      exec.path: {exists: yes}\n      syscall: {in: "not a name"}\n');
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  problem(t, problems, /Expected `in` to be a list name or a non-empty array of values, got `\[\]`/);
  problem(t, problems, /Expected `exists` to be `true` or `false`, got `yes` \(string\)/);
  problem(t, problems, /Expected `in` to be a list name or an array of values, got `not a name`/);
});

t.test('command: takes a list name or a non-empty array of command paths, on string fields; gap: a boolean', async (t) => {
  const bad = rule('    gap: maybe\n    match:\n      exec.path: {command: []}\n      exec.name: {command: [3]}\n      exec.args: {command: x}\n');
  const { problems } = await loadFiles(t, { 'p.yaml': bad });
  problem(t, problems, /Expected `command` to be a list name or a non-empty array of command paths \(strings\), got `\[\]`/);
  // A bad item is named, and pointed at, by itself.
  t.same(
    positionOf(bad, '3]'),
    (({ line, col }) => ({ line, col }))(problem(t, problems, /Expected `command\[0\]` to be a command path \(a non-empty string\), got `3` \(number\)/)),
  );
  problem(t, problems, /Operator `command` does not apply to `exec.args` \(a strings field\)/);
  problem(t, problems, /Expected `gap` to be `true` or `false`/);
  const good = parsePolicyFile(rule('    gap: true\n    match:\n      exec.path: {command: [/usr/bin/crontab]}\n'), 'g.yaml');
  t.same(good.problems, []);
  t.match(good.layer?.rules[0], { gap: true, match: { kind: 'test', field: 'exec.path', op: 'command', value: ['/usr/bin/crontab'] } });
  t.match(parsePolicyFile(BASE, 'base.yaml').layer?.rules[0], { gap: false }, 'gap defaults to false');
});

t.test('confirm: one of the evidence kinds, pointed at where it is written; absent by default', async (t) => {
  const bad = rule('    confirm: witnes\n    match:\n      class: exec\n');
  const { problems } = await loadFiles(t, { 'c.yaml': bad });
  const p = problem(t, problems, /Expected `confirm` to be one of `class`, `booted-diff`, `witness`, `leftovers`(,| or) `none`, got `witnes`/);
  t.equal(p.file, 'c.yaml');
  t.same({ line: p.line, col: p.col }, positionOf(bad, 'witnes'));
  const good = parsePolicyFile(rule('    confirm: booted-diff\n    match:\n      class: exec\n'), 'g.yaml');
  t.same(good.problems, []);
  t.match(good.layer?.rules[0], { confirm: 'booted-diff' });
  t.equal(parsePolicyFile(BASE, 'base.yaml').layer?.rules[0]?.confirm, undefined, 'by default the event class decides');
  t.equal(parsePolicyFile(rule('    confirm: class\n    match:\n      class: exec\n'), 'k.yaml').layer?.rules[0]?.confirm, undefined, '`class` says so');
});

t.test('YAML warnings are returned as warnings', async (t) => {
  const parsed = parsePolicyFile(`%FOO bar\n---\n${BASE}`, 'w.yaml');
  t.same(parsed.problems, []);
  t.ok(parsed.warnings.length > 0);
  t.equal(parsed.warnings[0]?.line, 1);
});
