/**
 * The outline mvdan/sh gives of HP-UX control scripts: every simple command
 * at the line ksh93's LINENO names, its literal words, and its guards.
 */
import t from 'tap';
import { parseScript, ScriptParseError } from '../../harness/coverage/parse-script.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const SCRIPT = [
  '#!/sbin/sh', // 1
  '. /usr/lbin/sw/control_utils', // 2
  'typeset -i n=3', // 3
  'function stop_it {', // 4
  '  kill -9 $(cat /var/run/x.pid) 2>/dev/null', // 5
  '}', // 6
  'start_it() { /sbin/init.d/acme start; }', // 7
  'if [[ $(uname -r) = B.11.31 ]] && (( n > 1 )); then', // 8
  '  print -u2 "v3"', // 9
  'elif [ -f /etc/x ]; then', // 10
  '  stop_it', // 11
  'else', // 12
  '  start_it', // 13
  'fi', // 14
  'case "$(model)" in', // 15
  '  ia64*) exec 3<>/dev/tcp/127.0.0.1/21 ;;', // 16
  'esac', // 17
  'mod_systemfile /stand/system -a acme \\', // 18
  '  -c "ACME"', // 19
  'daemon |&', // 20
  'x=${v%%.pid}', // 21
].join('\n');

t.test('commands, lines and words', async (t) => {
  const o = parseScript(SCRIPT);
  t.equal(o.dialect, 'mksh');
  const at = (line: number) => o.byLine.get(line)?.map((c) => c.name?.text ?? `${c.assigns.join(',')}=`);
  t.same(at(2), ['.']);
  t.same(at(3), ['typeset']);
  t.same(o.byLine.get(3)?.[0]?.assigns, ['n']);
  t.same(at(5), ['kill', 'cat'], 'a command substitution is a command of its own line');
  t.same(at(8), ['[[', 'uname', '((']);
  t.same(at(18), ['mod_systemfile'], 'a continued command counts at its first line');
  t.notOk(o.byLine.get(19));
  t.same(at(21), ['x=']);
  t.same(o.byLine.get(21)?.[0]?.reads, ['v']);
  const kill = o.byLine.get(5)?.[0];
  t.same(kill?.args, [
    { text: '-9', literal: true },
    { text: '*', literal: false },
  ]);
  t.same(kill?.redirects, [{ op: '>', fd: '2', target: { text: '/dev/null', literal: true } }]);
  t.equal(kill?.source, 'kill -9 $(cat /var/run/x.pid) 2>/dev/null');
  t.same(o.byLine.get(16)?.[0]?.redirects, [{ op: '<>', fd: '3', target: { text: '/dev/tcp/127.0.0.1/21', literal: true } }]);
  t.equal(o.byLine.get(20)?.[0]?.background, true, 'a coprocess runs in the background');
});

t.test('guards and functions', async (t) => {
  const o = parseScript(SCRIPT);
  t.same(
    [...o.functions.values()].map((f) => [f.name, f.line, f.ksh]),
    [
      ['stop_it', 4, true],
      ['start_it', 7, false],
    ],
  );
  const kill = o.byLine.get(5)?.[0];
  t.equal(kill?.inFunction, 'stop_it');
  t.same(
    kill?.guards.map((g) => g.kind),
    ['function'],
  );
  const print = o.byLine.get(9)?.[0];
  t.same(
    print?.guards.map((g) => [g.kind, g.line, g.text]),
    [['then', 8, '[[ $(uname -r) = B.11.31 ]] && (( n > 1 ))']],
  );
  t.same(
    print?.guards[0]?.deciders.map((i) => o.commands[i]?.name?.text),
    ['[[', 'uname', '(('],
  );
  t.same(
    o.byLine.get(11)?.[0]?.guards.map((g) => g.kind),
    ['else', 'then'],
    'elif: the earlier conditions failed, its own held',
  );
  t.same(
    o.byLine.get(13)?.[0]?.guards.map((g) => g.kind),
    ['else'],
  );
  const tcp = o.byLine.get(16)?.[0];
  t.same(
    tcp?.guards.map((g) => [g.kind, g.text, g.detail]),
    [['case', '"$(model)"', 'ia64*']],
  );
  t.equal(o.byLine.get(15)?.[0]?.staleLine, true, "ksh93 traces a case word's substitution with an earlier LINENO");
  const rhs = o.byLine.get(8)?.[2];
  t.same(
    rhs?.guards.map((g) => g.kind),
    ['and'],
    'the right side of && is guarded by its left',
  );
});

t.test('ksh93 syntax mksh lacks falls back to bash; a script neither parses is an error with its place', async (t) => {
  t.equal(parseScript('for ((i = 0; i < 2; i++)); do echo $i; done\n').dialect, 'bash');
  const error = t.throws(() => parseScript('echo ok\nif then\n')) as unknown;
  t.ok(error instanceof ScriptParseError);
  t.match(error, { line: 2, col: 1, reason: /"if" must be followed by a statement list/ });
});

t.test('every bundled example and seed script parses', async (t) => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  for (const group of ['examples/seed-examples', 'examples/more']) {
    for (const name of await readdir(group)) {
      const text = await readFile(join(group, name, 'script'), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      if (text.includes('\0')) {
        // A binary control script (m31) is no shell script: coverage says it could not parse it.
        t.throws(() => parseScript(text), ScriptParseError, `${name}: not a shell script`);
        continue;
      }
      const o = parseScript(text);
      t.ok(o.commands.length > 0, `${name}: ${o.commands.length} commands`);
    }
  }
});

t.test('HP-UX-style control scripts written for ksh93 constructs: the commands and their risk', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const { loadPolicy } = await import('../../harness/policy/load-policy.js');
  const { RiskyCommandMatcher } = await import('../../harness/policy/risky-commands.js');
  const policy = await loadPolicy([], { cwd: t.testdir({}) });
  const matcher = new RiskyCommandMatcher(policy.riskyCommands, policy.lists);
  const risky = async (file: string) => {
    const o = parseScript(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'coverage', 'hpux', file), 'utf8'));
    const out: [number, string][] = [];
    for (const c of o.commands) {
      const entry = matcher.match({ ...(c.name ? { name: c.name.text } : {}), args: c.args, redirects: c.redirects.map((r) => r.target) });
      if (entry) out.push([c.line, entry.name]);
    }
    return { o, out };
  };
  const pre = await risky('preremove');
  t.same(pre.out, [
    [12, 'init-script'],
    [14, 'kill'],
    [20, 'kill'],
    [26, 'network-redirect'],
    [27, 'rc-config'],
    [28, 'swconfig'],
    [29, 'mount'],
    [29, 'mount'],
  ]);
  t.equal(pre.o.functions.get('stop_daemon')?.ksh, false);
  t.equal(pre.o.byLine.get(33)?.[0]?.background, true, 'print |& is a coprocess');
  const post = await risky('postinstall');
  t.same(
    post.out.map(([line]) => line),
    [40, 46, 55],
    'kill -HUP, /sbin/init.d/acmeagt stop, kctune',
  );
  t.equal(post.o.functions.get('log_msg')?.ksh, true);
  t.notOk(post.o.byLine.get(30), 'case $OS_REL: a case word without a substitution is no command');
  t.same(
    post.o.byLine.get(31)?.map((c) => [c.assigns, c.guards.map((g) => `${g.kind}:${g.detail}`)]),
    [[['LIBDIR'], ['case:B.11.31']]],
  );
  t.same(
    post.o.byLine.get(48)?.[0]?.redirects.map((r) => r.op),
    ['>', '<<-'],
    'cat > conf <<-EOF',
  );
  t.ok(post.o.byLine.get(53), 'mod_systemfile ... \\ continued');
  t.notOk(post.o.byLine.get(54), 'its continuation is part of line 53');
});
