import t from 'tap';
import type { ModelEvent } from '../../harness/model/model-event.js';
import type { Finding } from '../../harness/policy/finding.js';
import { compilePolicy } from '../../harness/policy/compile-policy.js';
import { policyFromSource } from '../fixtures/policy/policy-files.js';
import { execEvent, exitEvent, processTarget, signalEvent } from '../fixtures/policy/model-events.js';

const SOURCE = `policy: {name: p, version: 3}
rules:
  - id: nine
    severity: error
    title: Signal nine
    reference: Spec 1
    match: {signal.number: 9}
    exceptions:
      - name: to-runcmd
        match: {target.origin: runcmd}
    message: "{rule}/{title}: {process.argv0} -> {target} ({signal.name}, {location.line})"
  - id: failed
    severity: info
    title: Anything failed
    phases: all
    match: {ok: false}
  - id: booted-side
    severity: warning
    title: A booted daemon exec'd
    origins: [booted]
    phases: [postinstall]
    match: {class: exec}
  - id: off
    severity: error
    title: Disabled
    enabled: false
    match: {class: exec}
`;

const compiled = compilePolicy(policyFromSource(SOURCE));
const ids = (e: ModelEvent): string[] => compiled.evaluate(e).map((f) => f.rule);

t.test('rules fire with their exceptions, origins, phases and enabled flag', async (t) => {
  t.same(ids(signalEvent(9, processTarget('booted'))), ['nine']);
  t.same(ids(signalEvent(9, processTarget('runcmd'))), [], 'exception');
  t.same(ids(signalEvent(9, processTarget('booted'), { errno: 'ESRCH' })), ['nine', 'failed']);
  t.same(ids(signalEvent(9, processTarget('booted'), { phase: 'configure' })), [], 'configure exempt by default');
  t.same(ids(signalEvent(9, processTarget('booted'), { phase: 'configure', errno: 'ESRCH' })), ['failed'], '`phases: all` includes configure');
  t.same(ids(execEvent('/bin/x', ['x'])), [], 'origin booted only, and `off` is disabled');
  t.same(ids(execEvent('/bin/x', ['x'], { origin: 'booted', phase: 'postinstall' })), ['booted-side']);
  t.same(ids(execEvent('/bin/x', ['x'], { origin: 'booted', phase: 'preinstall' })), [], 'phase not listed');
  t.same(ids(execEvent('/bin/x', ['x'], { origin: 'booted', phase: null })), ['booted-side'], 'unknown phase: applies');
});

t.test('messages and findings', async (t) => {
  const [finding] = compiled.evaluate(signalEvent(9, processTarget('booted')));
  t.equal(finding?.message, 'nine/Signal nine: kill -> comsec (pid 57, booted daemon) (SIGKILL, 5)');
  t.equal(finding?.reference, 'Spec 1');
  const [missing] = compiled.evaluate(execEvent('/bin/x', ['x'], { errno: 'ENOENT' }));
  t.equal(missing?.message, 'Anything failed: /bin/x', 'the default message is `{title}: {target}`');
  t.equal(missing?.event?.errno, 'ENOENT');
});

t.test('evaluateInto hands findings to a sink; evaluate shares one empty result', async (t) => {
  const seen: Finding[] = [];
  t.equal(
    compiled.evaluateInto(signalEvent(9, processTarget('booted'), { errno: 'EPERM' }), (f) => seen.push(f)),
    2,
  );
  t.same(
    seen.map((f) => f.rule),
    ['nine', 'failed'],
  );
  const a = compiled.evaluate(exitEvent(false));
  t.same(a, []);
  t.equal(a, compiled.evaluate(execEvent('/bin/true', ['true'])), 'no allocation per quiet event');
  t.ok(Object.isFrozen(a));
});

t.test('an event meets only the rules its class can match', async (t) => {
  // `nine` reads event.signal; an exec event must never reach it.
  const exec = execEvent('/bin/true', ['true']);
  const trap = Object.defineProperty({ ...exec }, 'signal', {
    get() {
      throw new Error('a signal rule evaluated an exec event');
    },
  }) as ModelEvent;
  t.same(ids(trap), []);
  // `failed` has no class: it meets every class, including one the model may add later.
  t.same(ids({ ...exec, class: 'future-class' as ModelEvent['class'], ok: false }), ['failed']);
});

t.test('identity, rules, syscalls and a stable hash', async (t) => {
  t.same(compiled.identity, { name: 'p', version: '3' });
  t.same(
    compiled.rules.map((r) => [r.id, r.enabled]),
    [
      ['nine', true],
      ['failed', true],
      ['booted-side', true],
      ['off', false],
    ],
  );
  t.ok(compiled.syscalls.includes('kill'), 'a signal rule needs the signal syscalls');
  t.ok(compiled.syscalls.includes('fork'), "a rule on every class (`ok: false`) needs every class's syscalls");

  const reformatted = SOURCE.replace('{signal.number: 9}', '\n      signal.number: 9').replace(
    'severity: error\n    title: Signal nine',
    'title: Signal nine\n    severity: error',
  );
  t.equal(compilePolicy(policyFromSource(reformatted, 'elsewhere/other.yaml')).policyHash, compiled.policyHash, 'layout and file do not change the hash');
  const changed = SOURCE.replace('severity: info', 'severity: warning');
  t.not(compilePolicy(policyFromSource(changed)).policyHash, compiled.policyHash, 'a severity does');
});

t.test('symbolic comparison operators load as their words', async (t) => {
  const words = SOURCE.replace('{signal.number: 9}', '{signal.number: {ge: 9, le: 9}}');
  const symbols = SOURCE.replace('{signal.number: 9}', '{signal.number: {">=": 9, "<=": 9}}');
  const a = compilePolicy(policyFromSource(words));
  const b = compilePolicy(policyFromSource(symbols));
  t.equal(a.policyHash, b.policyHash);
  t.same(
    b.evaluate(signalEvent(9, processTarget('booted'))).map((f) => f.rule),
    ['nine'],
  );
  t.same(b.evaluate(signalEvent(15, processTarget('booted'))), []);
});

t.test('interest: the classes and path trees the enabled rules can fire on', async (t) => {
  const narrow = compilePolicy(
    policyFromSource(`policy: {name: p, version: 1}
rules:
  - id: booted-read
    severity: warning
    title: Booted read
    match: {class: fs-read, path.tree: booted}
  - id: shared-read
    severity: warning
    title: Shared read
    match: {class: fs-read, path.tree: [shared]}
  - id: execs
    severity: info
    title: Execs
    match: {class: exec}
  - id: writes
    severity: error
    title: Writes
    match: {class: fs-write}
  - id: off
    severity: error
    title: Disabled
    enabled: false
    match: {class: signal}
`),
  );
  const classes = narrow.interest.classes;
  t.same([...((classes.get('fs-read') as ReadonlySet<string>) ?? [])].sort(), ['booted', 'shared']);
  const loose = compilePolicy(
    policyFromSource(`policy: {name: p, version: 1}
rules:
  - id: read-or-exec
    severity: info
    title: Read or exec
    match:
      any:
        - {class: fs-read, path.tree: booted}
        - {class: exec}
`),
  );
  t.equal(loose.interest.classes.get('fs-read'), 'all', 'one branch without a tree test widens the whole rule (never narrower than the truth)');
  t.equal(classes.get('fs-write'), 'all');
  t.equal(classes.get('exec'), 'all', 'a rule without a tree test wants every event of its classes');
  t.notOk(classes.has('signal'), 'a disabled rule wants nothing');
  t.notOk(classes.has('process-start'));
  t.equal(narrow.interest.otherClasses, false);
  t.equal(compiled.interest.otherClasses, true, 'a rule on every class (`ok: false`) wants classes the policy does not know');
  t.equal(compiled.interest.classes.get('fs-read'), 'all');
});

t.test('a call that never returned fires the rules that do not need its result', async (t) => {
  const policy = compilePolicy(
    policyFromSource(`policy: {name: p, version: 1}
rules:
  - id: nine
    severity: error
    title: Signal nine
    match: {signal.number: 9}
    exceptions:
      - name: failed-ones
        match: {ok: false}
      - name: to-runcmd
        match: {target.origin: runcmd}
  - id: nine-that-worked
    severity: error
    title: Signal nine that worked
    match: {signal.number: 9, ok: true}
`),
  );
  const entered = { ...signalEvent(9, processTarget('booted')), unfinished: true as const };
  t.same(
    policy.evaluate(entered).map((f) => f.rule),
    ['nine'],
    'an exception on the result does not excuse it; a rule on the result does not fire',
  );
  t.same(
    policy.evaluate({ ...signalEvent(9, processTarget('runcmd')), unfinished: true as const }).map((f) => f.rule),
    [],
    'an exception that holds whatever the result excuses it',
  );
  t.same(
    policy.evaluate(signalEvent(9, processTarget('booted'))).map((f) => f.rule),
    ['nine', 'nine-that-worked'],
    'a returned call as before',
  );
  t.match(policy.evaluate(entered)[0]?.event, { unfinished: true }, 'the finding says the result is unknown');
});
