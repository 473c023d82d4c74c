import t from 'tap';
import { loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';

const HEAD = 'policy: {name: p, version: 1}\n';

t.test('unknown macros and lists, with a did-you-mean, at the reference', async (t) => {
  const source = `${HEAD}lists:
  verbs: [start]
macros:
  is-exec: {class: exec}
rules:
  - id: r
    severity: error
    title: T
    match:
      macro: is-exe
      exec.args: {in: verb}
    exceptions:
      - name: e
        match: {macro: nothing-like-it}
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /^Unknown macro `is-exe`; did you mean `is-exec`\?$/), positionOf(source, 'is-exe', 'macro:'));
  t.match(problem(t, problems, /^Unknown list `verb`; did you mean `verbs`\?$/), positionOf(source, 'verb}'));
  t.match(problem(t, problems, /^Unknown macro `nothing-like-it`$/), positionOf(source, 'nothing-like-it'));
  t.equal(problems.length, 3);
});

t.test('macro cycles', async (t) => {
  const source = `${HEAD}macros:
  a: {macro: b}
  b:
    any:
      - macro: a
      - class: exec
  self: {not: {macro: self}}
rules:
  - id: r
    severity: error
    title: T
    match: {macro: a}
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /^Macro cycle: `a` -> `b` -> `a`$/), positionOf(source, 'a:', 'macros:'));
  t.match(problem(t, problems, /^Macro cycle: `self` -> `self`$/), positionOf(source, 'self'));
});

t.test('message templates name fields that exist', async (t) => {
  const source = `${HEAD}rules:
  - id: r
    severity: error
    title: T
    match: {class: signal}
    message: "{proces.argv} sent {signal.name} to {target} {oops"
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /^Unknown field `\{proces.argv\}` in the message; did you mean `process.argv`\?$/), { path: 'rules[0].message', line: 3 });
  problem(t, problems, /^Unclosed `\{` at character 46 of the message/);
});

t.test('list items are checked against the field they test', async (t) => {
  const source = `${HEAD}lists:
  origins: [runcmd, boted]
  ports: [21, x]
  patterns: ["(", "/sbin/[x"]
rules:
  - id: r
    severity: error
    title: T
    match:
      target.origin: {in: origins}
      socket.port: {in: ports}
      process.origin: [runcmd, not-a-list]
      signal.number: [9, nolist]
      target.name: {regex: [patterns]}
      exec.path: {glob: [patterns]}
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  problem(t, problems, /^Expected `target.origin` to be one of .*got `boted` \(string\) \(from list `origins`\); did you mean `booted`\?$/);
  problem(t, problems, /^Expected `socket.port` values to be numbers, got `x` \(string\) \(from list `ports`\)$/);
  t.match(problem(t, problems, /^Expected `process.origin` to be one of .* or a list name, got `not-a-list`/), positionOf(source, '[runcmd, not-a-list]'));
  problem(t, problems, /^Unknown list `nolist`/);
  problem(t, problems, /^Expected `regex` items to be valid patterns, got `\(` \(from list `patterns`\): Invalid regular expression/);
  problem(t, problems, /^Expected `glob` items to be valid patterns, got `\/sbin\/\[x` \(from list `patterns`\): unclosed/);
  problem(t, problems, /^Expected `regex` items to be valid patterns, got `\/sbin\/\[x`/);
  t.equal(problems.length, 7, '`(` is a valid glob');
});

t.test('warnings: a test no event of the rule can carry', async (t) => {
  const source = `${HEAD}rules:
  - id: r
    severity: error
    title: T
    match:
      class: exec
      not: {signal.number: 9}
  - id: never
    severity: error
    title: T
    match:
      all:
        - class: exec
        - class: signal
`;
  const { problems, warnings } = await loadFiles(t, { 'p.yaml': source });
  t.same(problems, []);
  t.match(warnings, [
    {
      path: 'rules[0].match.not.signal.number',
      line: 8,
      message: /^`signal.number` is only set on signal events, which rule `r` never matches; this test never holds$/,
    },
    { message: /Rule `never` can never match/ },
  ]);
});

t.test('command: a list it names must exist', async (t) => {
  const source = `${HEAD}lists:
  hpux-commands: [/usr/bin/crontab]
rules:
  - id: r
    severity: error
    title: T
    match:
      exec.path: {command: hpux-command}
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /^Unknown list `hpux-command`; did you mean `hpux-commands`\?$/), positionOf(source, 'hpux-command}'));
});
