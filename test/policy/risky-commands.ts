/**
 * `risky-commands` in policy files: validated like the rest (every problem
 * with file:line:col, did-you-mean), merged over layers, and matched against
 * the commands of a script's parse.
 */
import t from 'tap';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import { RiskyCommandMatcher, type RiskyCandidate } from '../../harness/policy/risky-commands.js';
import { BASE, loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';

const word = (text: string) => ({ text, literal: !text.includes('*') });
const command = (name: string, args: string[] = [], redirects: string[] = []): RiskyCandidate => ({
  name,
  args: args.map(word),
  redirects: redirects.map((text) => ({ text })),
});

t.test('the built-in entries', async (t) => {
  const policy = await loadPolicy([], { cwd: t.testdir({}) });
  const m = new RiskyCommandMatcher(policy.riskyCommands, policy.lists);
  const risk = (c: RiskyCandidate) => m.match(c)?.name;
  t.equal(risk(command('kill', ['-9', '*'])), 'kill');
  t.equal(risk(command('/usr/bin/kill', ['-HUP', '1'])), 'kill', 'by base name too');
  t.equal(risk(command('kill_named_procs', ['comsec'])), 'kill');
  t.equal(risk(command('/sbin/init.d/comsec', ['*'])), 'init-script', 'an init script whatever its verb');
  t.equal(risk(command('/sbin/rc2.d/S900acme', ['start'])), 'init-script');
  t.equal(risk(command('vxdctl', ['stop'])), 'control-verb', 'a command given a control verb');
  t.equal(risk(command('echo', ['stop'])), undefined, 'echo stop stops nothing');
  t.equal(risk(command('/usr/bin/echo', ['stop'])), undefined);
  t.equal(risk(command('mycmd', ['*'])), undefined, 'an argument made at run time matches no verb');
  t.equal(risk(command('init', ['q'])), 'init');
  t.equal(risk(command('inetd', ['-c'])), 'inetd-reconfigure');
  t.equal(risk(command('inetd', ['-l'])), undefined);
  t.equal(risk(command('exec', [], ['/dev/tcp/127.0.0.1/2121'])), 'network-redirect');
  t.equal(risk(command('exec', [], ['/dev/udp/*/69'])), 'network-redirect', 'a target partly made at run time');
  for (const name of ['vxdctl', 'setup_tftp', 'reboot', 'shutdown', 'kctune', 'kmtune', 'mount', 'umount', 'swapon', 'ch_rc', 'swconfig', 'ipcrm']) {
    t.ok(risk(command(name, ['-x'])), `${name} is risky`);
  }
  t.equal(risk(command('cat', ['/var/run/comsec.pid'])), undefined);
  t.equal(risk({ args: [], redirects: [] }), undefined, 'an assignment alone');
});

t.test('a layer adds entries; a name defined twice is a problem at the second', async (t) => {
  const site = `extends: drd-safe
policy: {name: site, version: 1}
lists:
  site-tools: [acmectl]
risky-commands:
  - name: acme-control
    reference: Site 4
    commands: [site-tools]
    args: [reload]
`;
  const dir = t.testdir({ 'site.yaml': site });
  const policy = await loadPolicy(['site.yaml'], { cwd: dir });
  const m = new RiskyCommandMatcher(policy.riskyCommands, policy.lists);
  t.match(m.match(command('/opt/acme/bin/acmectl', ['reload'])), { name: 'acme-control', reference: 'Site 4' });
  t.equal(m.match(command('acmectl', ['status'])), undefined);
  t.equal(m.match(command('kill', ['1']))?.name, 'kill', 'the built-in entries stay');

  const twice = `extends: drd-safe
policy: {name: site, version: 1}
risky-commands:
  - name: kill
    commands: [kill]
`;
  const { problems } = await loadFiles(t, { 'site.yaml': twice });
  const p = problem(t, problems, /Risky command `kill` is already defined at policies\/drd-safe\.yaml:\d+:\d+/);
  t.match(p, { file: 'site.yaml', ...positionOf(twice, 'name: kill') });
});

t.test('every problem at once, each at its place, with a did-you-mean', async (t) => {
  const source = `${BASE}risky-commands:
  - name: Bad_Name
    commands: [kill]
  - name: no-match
    description: names nothing to match
  - name: typo
    comands: [kill]
  - name: bad-glob
    commands: ["[a-"]
  - name: args-not-array
    commands: [x]
    args: stop
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /Unknown key `comands`.*did you mean `commands`/), { ...positionOf(source, 'comands') });
  t.match(problem(t, problems, /risky-commands\[0\]\.name|kebab-case/), { line: positionOf(source, 'Bad_Name').line });
  t.match(problem(t, problems, /Expected `args` to be an array/), { line: positionOf(source, 'args: stop').line });
  t.ok(problems.length >= 3, problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
});

t.test('cross-checks after the merge: an entry that names nothing, a glob that does not compile', async (t) => {
  const source = `${BASE}risky-commands:
  - name: no-match
    description: names nothing to match
  - name: bad-glob
    commands: ["[a-"]
`;
  const { problems } = await loadFiles(t, { 'p.yaml': source });
  t.match(problem(t, problems, /risky command `no-match` to have `commands` or `redirects`/), {
    file: 'p.yaml',
    line: positionOf(source, 'name: no-match').line,
  });
  t.match(problem(t, problems, /Expected `commands` items to be valid globs or list names, got `\[a-`/), {
    file: 'p.yaml',
    line: positionOf(source, 'name: bad-glob').line,
  });
});

t.test('the policy hash covers the entries', async (t) => {
  const { compilePolicy } = await import('../../harness/policy/compile-policy.js');
  const base = await loadPolicy([], { cwd: t.testdir({}) });
  const dir = t.testdir({ 'site.yaml': 'extends: drd-safe\nrisky-commands:\n  - name: acme\n    commands: [acmectl]\n' });
  const more = await loadPolicy(['site.yaml'], { cwd: dir });
  t.not(compilePolicy(base).policyHash, compilePolicy(more).policyHash);
});
