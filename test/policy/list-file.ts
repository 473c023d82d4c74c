import t from 'tap';
import { listFileItems } from '../../harness/policy/list-file.js';
import { readPolicy } from '../../harness/policy/load-policy.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { execEvent } from '../fixtures/policy/model-events.js';
import { loadFiles, positionOf, problem } from '../fixtures/policy/policy-files.js';

t.test('a list file: one item a line, or a YAML or JSON sequence', async (t) => {
  t.same(listFileItems('# HP-UX commands\n/usr/bin/crontab\n\n  /usr/sbin/useradd   # useradd(1M)\n', 'cmds.txt'), ['/usr/bin/crontab', '/usr/sbin/useradd']);
  t.same(listFileItems('- /usr/bin/crontab\n- 21\n', 'cmds.yaml'), ['/usr/bin/crontab', '21']);
  t.same(listFileItems('["/usr/bin/crontab"]', 'cmds.json'), ['/usr/bin/crontab']);
  t.match(listFileItems('{a: 1}', 'cmds.yml'), /expected a sequence/);
  t.match(listFileItems('[unclosed', 'cmds.json'), /not valid YAML or JSON/);
});

t.test('select: the dotted keys that lead to the items of a YAML or JSON document', async (t) => {
  const doc =
    'commands:\n  - {path: /usr/bin/crontab, sandbox: standin}\n  - {path: /usr/sbin/usermod, sandbox: missing}\nabsent: [{path: /usr/sbin/kmadmin}]\n';
  t.same(listFileItems(doc, 'hpux-commands.yaml', 'commands.path'), ['/usr/bin/crontab', '/usr/sbin/usermod']);
  t.same(listFileItems('{"a": {"b": ["x", "y"]}}', 'l.json', 'a.b'), ['x', 'y']);
  t.match(listFileItems(doc, 'hpux-commands.yaml', 'commands.name'), /no `name` in every item on the way to `commands.name`/);
  t.match(listFileItems(doc, 'hpux-commands.yaml', 'commands'), /expected `commands` to lead to strings or numbers/);
  t.match(listFileItems('/usr/bin/crontab\n', 'cmds.txt', 'commands.path'), /`select` needs a YAML or JSON file/);
});

t.test("the built-in hpux-commands list is read from the image's command list", async (t) => {
  const loaded = await readPolicy([], { cwd: process.cwd() });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const list = loaded.policy.lists.get('hpux-commands');
  t.ok(list, 'hpux-commands is there');
  t.ok(list!.items.includes('/usr/sbin/usermod'), 'a command the sandbox lacks');
  t.ok(list!.items.includes('/usr/bin/uname'), 'a command it stands in for');
  t.notOk(list!.items.includes('/usr/sbin/kmadmin'), 'not a command 11i v3 no longer has');
});

const POLICY = `extends: drd-safe
lists:
  site-commands: {file: lists/site-commands.txt}
append-lists:
  hpux-commands: {file: lists/more-hpux.yaml}
rules:
  - id: site-command
    severity: warning
    title: A site command ran
    match:
      exec.path: {command: site-commands}
`;

t.test('a policy names a list file relative to itself; its items count, its path does not', async (t) => {
  const dir = t.testdir({
    policies: { 'site.yaml': POLICY, lists: { 'site-commands.txt': '/opt/site/bin/rotate\n', 'more-hpux.yaml': '- /usr/sbin/acmeadm\n' } },
    elsewhere: {
      'site.yaml': POLICY,
      lists: { 'site-commands.txt': '# moved, same items\n/opt/site/bin/rotate\n', 'more-hpux.yaml': '["/usr/sbin/acmeadm"]' },
    },
  });
  const loaded = await readPolicy(['policies/site.yaml'], { cwd: dir });
  t.ok(loaded.ok);
  if (!loaded.ok) return;
  t.same(loaded.policy.lists.get('site-commands')?.items, ['/opt/site/bin/rotate']);
  t.equal(loaded.policy.lists.get('site-commands')?.file, undefined, 'the reference is replaced by the items');
  t.ok(loaded.policy.lists.get('hpux-commands')?.items.includes('/usr/sbin/acmeadm'), 'appended to the built-in list');
  const compiled = compilePolicy(loaded.policy);
  t.same(
    compiled.evaluate(execEvent('rotate', ['rotate'], { syscall: 'write' })).map((f) => f.rule),
    ['site-command'],
  );
  t.same(
    compiled.evaluate(execEvent('/usr/sbin/acmeadm', ['acmeadm'], { errno: 'ENOENT' })).map((f) => f.rule),
    ['unknown-program'],
    'an appended HP-UX command',
  );
  const moved = await readPolicy(['elsewhere/site.yaml'], { cwd: dir });
  t.ok(moved.ok && compilePolicy(moved.policy).policyHash === compiled.policyHash, 'the same items from another place: the same hash');
});

t.test('a list file that is missing or holds no list is a problem at the list', async (t) => {
  const source = 'policy: {name: p, version: 1}\nlists:\n  a: {file: none.txt}\n  b: {file: bad.json}\nrules: []\n';
  const { problems } = await loadFiles(t, { 'p.yaml': source, 'bad.json': '{"x": 1}' }, ['p.yaml']);
  t.match(problem(t, problems, /^Cannot read the items of list `a` from `none.txt`: no such file$/), positionOf(source, 'a: {'));
  problem(t, problems, /^The items of list `b` in `bad.json`: expected a sequence of strings or numbers$/);
  const shape = await loadFiles(t, { 'q.yaml': 'policy: {name: p, version: 1}\nlists:\n  a: {path: x.txt}\nrules: []\n' });
  t.ok(shape.problems.length > 0, 'a mapping without `file` is a schema problem');
});
