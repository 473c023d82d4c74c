import t from 'tap';
import { PolicyError, UserError } from '../../harness/errors.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { loadPolicy, readPolicy } from '../../harness/policy/load-policy.js';
import { BASE, loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';
import { execEvent, processTarget, signalEvent } from '../fixtures/policy/model-events.js';

t.test('no files: the built-in drd-safe policy, wherever the cwd is', async (t) => {
  const policy = await loadPolicy([], { cwd: t.testdir({}) });
  t.equal(policy.name, 'drd-safe');
  t.same(policy.layers, [{ name: 'drd-safe', version: '1.0.0', file: 'policies/drd-safe.yaml' }]);
  t.ok(policy.rules.some((r) => r.id === 'illegal-kill'));
});

t.test('a user policy extends drd-safe: add, disable, override, append, except', async (t) => {
  const site = `extends: drd-safe
policy: {name: site, version: 2}
lists:
  site-daemons: [mydaemon]
append-lists:
  text-tools: [logger-dry-run]
  daemon-control-verbs: [graceful]
disable: [booted-read]
overrides:
  signal-probe:
    severity: info
  illegal-kill:
    exceptions:
      - name: own-helper
        description: the package's helper daemon, started by this script's package on the booted system too
        match:
          target.name: helper
rules:
  - id: site-daemon-exec
    severity: warning
    title: Site daemon run
    reference: Site policy 1
    match:
      class: exec
      exec.name: {in: site-daemons}
`;
  const dir = t.testdir({ 'site.yaml': site });
  const policy = await loadPolicy(['site.yaml'], { cwd: dir });
  t.equal(policy.name, 'drd-safe+site');
  t.equal(policy.version, '1.0.0', 'the base version');
  t.same(
    policy.layers.map((l) => l.file),
    ['policies/drd-safe.yaml', 'site.yaml'],
  );
  const rule = (id: string) => policy.rules.find((r) => r.id === id);
  t.equal(rule('booted-read')?.enabled, false);
  t.equal(rule('signal-probe')?.severity, 'info');
  t.same(
    rule('illegal-kill')?.exceptions.map((e) => e.name),
    ['own-helper'],
  );
  t.equal(rule('site-daemon-exec')?.severity, 'warning');
  t.ok(policy.lists.get('text-tools')?.items.includes('logger-dry-run'));
  t.ok(policy.lists.get('text-tools')?.items.includes('echo'), 'appended, not replaced');

  const compiled = compilePolicy(policy);
  const ids = (e: Parameters<typeof compiled.evaluate>[0]) => compiled.evaluate(e).map((f) => f.rule);
  t.same(ids(signalEvent(9, processTarget('booted', { name: 'helper' }))), [], 'the added exception holds');
  t.same(ids(signalEvent(9, processTarget('booted'))), ['illegal-kill'], 'other targets still fire');
  t.same(ids(execEvent('/usr/sbin/apachectl', ['apachectl', 'graceful'])), ['illegal-restart'], 'appended verb');
  t.same(ids(execEvent('/opt/site/bin/mydaemon', ['mydaemon'])), ['site-daemon-exec']);
  t.same(compiled.evaluate(signalEvent(0, processTarget('booted')))[0]?.severity, 'info');
  t.not(compiled.policyHash, compilePolicy(await loadPolicy([])).policyHash, 'the hash tells the policies apart');
});

t.test('extends by path, relative to the extending file; files merge in order, each once', async (t) => {
  const dir = t.testdir({
    'base.yaml': BASE,
    sub: {
      'a.yaml': 'extends: ../base.yaml\ndisable: [any-kill]\n',
      'b.yaml': 'extends: ../base.yaml\noverrides: {any-kill: {enabled: true, severity: info}}\n',
    },
  });
  const policy = await loadPolicy(['sub/a.yaml', 'sub/b.yaml'], { cwd: dir });
  t.same(
    policy.layers.map((l) => l.file),
    ['base.yaml', 'sub/a.yaml', 'sub/b.yaml'],
  );
  t.equal(policy.name, 'base+a+b');
  t.match(policy.rules, [{ id: 'any-kill', enabled: true, severity: 'info' }]);
  const reversed = await loadPolicy(['sub/b.yaml', 'sub/a.yaml'], { cwd: dir });
  t.match(reversed.rules, [{ id: 'any-kill', enabled: false, severity: 'info' }], 'later layers win');
});

t.test('a missing policy file is a UserError INPUT_NOT_FOUND naming it', async (t) => {
  const dir = t.testdir({});
  const error = await loadPolicy(['nope.yaml'], { cwd: dir }).catch((e: unknown) => e);
  t.type(error, UserError);
  t.equal((error as UserError).code, 'INPUT_NOT_FOUND');
  t.match((error as UserError).message, /nope\.yaml/);
  t.notMatch((error as UserError).message, new RegExp(dir), 'named as the user wrote it');
  const directory = await loadPolicy(['.'], { cwd: dir }).catch((e: unknown) => e);
  t.equal((directory as UserError).code, 'INPUT_INVALID');
});

t.test('extends problems: a missing base, an unknown built-in, a cycle', async (t) => {
  const missing = 'extends: ./gone.yaml\n';
  const unknown = 'extends: drd-saf\n';
  const { problems } = await loadFiles(t, {
    'missing.yaml': missing,
    'unknown.yaml': unknown,
    'a.yaml': 'extends: b.yaml\n',
    'b.yaml': 'extends: ./a.yaml\n',
  });
  t.match(problem(t, problems, /Cannot read extended policy `gone.yaml`: no such file/), { file: 'missing.yaml', ...positionOf(missing, './gone') });
  t.match(problem(t, problems, /Unknown built-in policy `drd-saf`; did you mean `drd-safe`\?/), { file: 'unknown.yaml', line: 1, col: 10 });
  t.match(problem(t, problems, /Extends cycle: a.yaml -> b.yaml -> a.yaml/), { file: 'b.yaml', line: 1 });
});

t.test('loadPolicy throws one PolicyError with every problem of every file', async (t) => {
  const dir = t.testdir({
    'one.yaml': 'extends: drd-safe\ndisable: [illegal-kil]\noverrides: {nope: {severity: info}}\n',
    'two.yaml': 'extends: drd-safe\nrules:\n  - id: x\n    severity: loud\n    title: X\n    match: {class: exec}\n',
  });
  const error = await loadPolicy(['one.yaml', 'two.yaml'], { cwd: dir }).catch((e: unknown) => e);
  t.type(error, PolicyError);
  const problems = (error as PolicyError).problems;
  t.equal((error as PolicyError).code, 'POLICY_INVALID');
  t.same(
    problems.map((p) => p.file),
    ['two.yaml'],
    'a schema problem stops before the merge, whose problems would be echoes',
  );

  const result = await readPolicy(['one.yaml'], { cwd: dir });
  t.equal(result.ok, false);
  if (!result.ok) {
    t.same(
      result.problems.map((p) => [p.file, p.line]),
      [
        ['one.yaml', 2],
        ['one.yaml', 3],
      ],
    );
    t.match(result.problems[0]?.message, /did you mean `illegal-kill`/);
  }
});

t.test('merge problems and cross-check problems come back together', async (t) => {
  const { problems } = await loadFiles(t, {
    'p.yaml': 'extends: drd-safe\ndisable: [nope]\nrules:\n  - id: x\n    severity: info\n    title: X\n    match: {macro: missing-macro}\n',
  });
  t.same(
    problems.map((p) => p.line),
    [2, 7],
  );
  t.match(problems, [{ message: /Cannot disable unknown rule `nope`/ }, { message: /Unknown macro `missing-macro`/ }]);
});
