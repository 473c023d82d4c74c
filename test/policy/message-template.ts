import t from 'tap';
import { compileTemplate, parseTemplate } from '../../harness/policy/message-template.js';
import { execEvent, processTarget, signalEvent } from '../fixtures/policy/model-events.js';

t.test('parsing: fields, literal braces, errors', async (t) => {
  t.same(parseTemplate('{a.b} x {{y}}').parts, [{ field: 'a.b' }, { text: ' x {y}' }]);
  t.same(parseTemplate('{signal.name} {target}').errors, []);
  t.match(parseTemplate('{nope}').errors, [{ field: 'nope', message: /Unknown field `\{nope\}`/ }]);
  t.match(parseTemplate('ok {').errors, [{ message: /Unclosed `\{` at character 4/ }]);
});

t.test('rendering quotes fields; absent ones render as ?', async (t) => {
  const render = compileTemplate('{rule}: {process.argv} sent {signal.name} ({signal.number}, ok={ok}) to {target}; {exec.path} {{done}}');
  const text = render(signalEvent(9, processTarget('booted'), { process: { argv: ['kill', '-9', '5 7'] } }), { rule: 'r', title: 'T', target: 'comsec' });
  t.equal(text, "r: kill -9 '5 7' sent SIGKILL (9, ok=true) to comsec; ? {done}");
  t.equal(compileTemplate('{title} {target}')(execEvent('/x', ['x']), { rule: 'r', title: 'T', target: undefined }), 'T ?');
});
