import t from 'tap';
import type { ModelEvent } from '../../harness/model/model-event.js';
import { createMatchCompiler } from '../../harness/policy/compile-match.js';
import type { MatchNode, Operator, PolicyList, PolicyMacro, TestValue } from '../../harness/policy/policy.js';
import { endpoint, execEvent, processTarget, signalEvent, socketEvent } from '../fixtures/policy/model-events.js';

const lists = new Map<string, PolicyList>([
  ['verbs', { name: 'verbs', items: ['start', 'stop'] }],
  ['paths', { name: 'paths', items: ['**/init.d/*'] }],
  ['ports', { name: 'ports', items: ['21', '2121'] }],
]);
const macros = new Map<string, PolicyMacro>([
  ['is-exec', { name: 'is-exec', match: { kind: 'test', field: 'class', op: 'eq', value: 'exec' } }],
  ['outer', { name: 'outer', match: { kind: 'macro', name: 'is-exec' } }],
]);
const compiler = createMatchCompiler(lists, macros);
const test = (field: string, op: Operator, value: TestValue): MatchNode => ({ kind: 'test', field, op, value });
const holds = (node: MatchNode, event: ModelEvent): boolean => compiler.compile(node)(event);

const kill9 = signalEvent(9, processTarget('booted'));
const start = execEvent('/sbin/init.d/comsec', ['/sbin/init.d/comsec', 'start']);
const tcp = socketEvent('connect', endpoint({ family: 'inet', address: '127.0.0.1', port: 2121 }));

t.test('scalar operators', async (t) => {
  t.ok(holds(test('signal.number', 'eq', 9), kill9));
  t.notOk(holds(test('signal.number', 'eq', 0), kill9));
  t.ok(holds(test('signal.number', 'ne', 0), kill9));
  t.ok(holds(test('signal.number', 'gt', 0), kill9));
  t.ok(holds(test('signal.number', 'ge', 9), kill9));
  t.notOk(holds(test('signal.number', 'lt', 9), kill9));
  t.ok(holds(test('signal.number', 'le', 9), kill9));
  t.ok(holds(test('ok', 'eq', true), kill9));
  t.ok(holds(test('ok', 'ne', false), kill9));
  t.ok(holds(test('process.origin', 'in', ['runcmd', 'booted']), kill9));
  t.ok(holds(test('socket.port', 'in', { list: 'ports' }), tcp), 'numeric list items compare as numbers');
  t.ok(holds(test('target.name', 'glob', ['com*']), kill9));
  t.ok(holds(test('target.name', 'regex', ['^c.m']), kill9));
  t.notOk(holds(test('target.name', 'regex', ['^sec']), kill9), 'regexes are not anchored for you, but this one is');
});

t.test('absent fields: every operator is false but exists: false', async (t) => {
  for (const op of ['eq', 'ne', 'lt', 'gt', 'in', 'glob', 'regex'] as const) {
    const value: TestValue = op === 'in' ? [1] : op === 'glob' ? ['*'] : op === 'regex' ? ['.'] : 1;
    t.notOk(holds(test('signal.number', op, value), start), `${op} on an exec event`);
  }
  t.notOk(holds(test('signal.number', 'exists', true), start));
  t.ok(holds(test('signal.number', 'exists', false), start));
  t.ok(holds({ kind: 'not', of: test('signal.number', 'eq', 9) }, start), '`not` of an absent field holds');
});

t.test('list fields hold when any element does; in/glob lists expand', async (t) => {
  t.ok(holds(test('exec.args', 'in', { list: 'verbs' }), start));
  t.ok(holds(test('exec.args', 'in', ['verbs']), start), 'an array item naming a list is expanded');
  t.ok(holds(test('exec.args', 'eq', 'start'), start));
  t.notOk(holds(test('exec.args', 'eq', '/sbin/init.d/comsec'), start), 'args exclude argv[0]');
  t.ok(holds(test('exec.argv', 'eq', '/sbin/init.d/comsec'), start));
  t.ok(holds(test('exec.path', 'glob', ['paths']), start));
  t.ok(holds(test('exec.cmdline', 'regex', ['comsec start$']), start));
  t.ok(holds(test('exec.args', 'exists', true), start));
  t.notOk(holds(test('exec.args', 'exists', true), execEvent('/bin/true', ['true'])), 'an empty list does not exist');
});

t.test('combinators and macros', async (t) => {
  const execOrKill: MatchNode = { kind: 'any', of: [{ kind: 'macro', name: 'outer' }, test('syscall', 'eq', 'kill')] };
  t.ok(holds(execOrKill, start));
  t.ok(holds(execOrKill, kill9));
  t.notOk(holds(execOrKill, tcp));
  const both: MatchNode = { kind: 'all', of: [test('exec.args', 'in', ['verbs']), { kind: 'macro', name: 'is-exec' }, test('ok', 'eq', true)] };
  t.ok(holds(both, start));
  t.notOk(holds(both, { ...start, ok: false }));
  t.notOk(holds({ kind: 'all', of: [test('class', 'eq', 'exec'), test('class', 'eq', 'signal')] }, start));
  t.ok(holds({ kind: 'any', of: [test('class', 'eq', 'socket'), test('class', 'eq', 'exec')] }, start));
  t.equal(compiler.compile({ kind: 'macro', name: 'is-exec' }), compiler.compile({ kind: 'macro', name: 'is-exec' }), 'one closure per macro');
});

t.test('unknown macros and fields are bugs, not silent misses', async (t) => {
  t.throws(() => compiler.compile({ kind: 'macro', name: 'nope' }), { code: 'INTERNAL' });
  t.throws(() => compiler.compile(test('no.such.field', 'eq', 1)), { code: 'INTERNAL' });
});

t.test('a call that never returned: tests of its result hold neither way', async (t) => {
  const sure = (node: MatchNode, event: ModelEvent): boolean => compiler.compileUnfinished(node)(event);
  const entered = { ...kill9, unfinished: true as const };
  t.ok(sure(test('signal.number', 'eq', 9), entered), 'what the call named is known');
  t.notOk(sure(test('ok', 'eq', true), entered), 'ok: true is not known');
  t.notOk(sure(test('ok', 'eq', false), entered), 'nor ok: false');
  t.notOk(sure({ kind: 'not', of: test('ok', 'eq', true) }, entered), 'nor its negation');
  t.notOk(sure(test('errno', 'exists', false), entered), 'nor whether it has an errno');
  t.ok(sure({ kind: 'any', of: [test('ok', 'eq', true), test('signal.number', 'eq', 9)] }, entered), 'an any that holds without the result');
  t.notOk(sure({ kind: 'all', of: [test('ok', 'eq', true), test('signal.number', 'eq', 9)] }, entered), 'an all that needs it');
  t.ok(
    sure({ kind: 'not', of: { kind: 'all', of: [test('ok', 'eq', true), test('signal.number', 'eq', 0)] } }, entered),
    'not of what cannot hold, whatever the result',
  );
  t.notOk(sure({ kind: 'not', of: { kind: 'any', of: [test('ok', 'eq', true), test('signal.number', 'eq', 0)] } }, entered), 'not of what may hold');
  t.ok(sure({ kind: 'macro', name: 'outer' }, { ...start, unfinished: true }), 'macros are followed');
  t.equal(
    compiler.compileUnfinished({ kind: 'macro', name: 'is-exec' }),
    compiler.compileUnfinished({ kind: 'macro', name: 'is-exec' }),
    'one closure per macro',
  );
  t.throws(() => compiler.compileUnfinished({ kind: 'macro', name: 'nope' }), { code: 'INTERNAL' });
});

t.test('command: a path names that command; a bare name each command of that base name', async (t) => {
  const commands = new Map<string, PolicyList>([['cmds', { name: 'cmds', items: ['/usr/bin/crontab', '/usr/sbin/useradd', 'pwget'] }]]);
  const c = createMatchCompiler(commands, new Map());
  const named = (path: string, value: TestValue = { list: 'cmds' }) => c.compile(test('exec.path', 'command', value))(execEvent(path, [path]));
  t.ok(named('/usr/bin/crontab'));
  t.ok(named('crontab'), 'a bare name, as ksh93 looks it up in PATH');
  t.notOk(named('/usr/sbin/crontab'), 'another directory is another program');
  t.notOk(named('./crontab'), 'a relative path is a path');
  t.ok(named('pwget'), 'an item without a directory is a bare name');
  t.notOk(named('/usr/bin/pwget'), '...and matches no path');
  t.notOk(named('cron'));
  t.ok(named('useradd', ['/usr/sbin/useradd']), 'an array of items');
  t.ok(named('crontab', ['cmds']), 'an array item naming a list');
});
