import t from 'tap';
import { parseScript } from '../../harness/coverage/parse-script.js';
import { placeStaleLine } from '../../harness/coverage/place-stale-lines.js';

const SCRIPT = ['#!/sbin/sh', '. /usr/lbin/sw/control_utils', 'case "$(uname -r)" in', '  B.10.*) /usr/sbin/inetd -c ;;', 'esac', 'uname -s', 'exit 0'].join(
  '\n',
);
const PATH = '/var/adm/sw/products/P/F/preinstall';
const outline = parseScript(SCRIPT);
const lines = SCRIPT.split('\n');

t.test("a case word's substitution traced with the line before is placed on the case", async (t) => {
  const placed = placeStaleLine(outline, lines, PATH, { file: PATH, line: 2, source: lines[1], expanded: 'uname -r' });
  t.match(placed, { line: 3, source: 'case "$(uname -r)" in', expanded: 'uname -r', caveat: /line 2's number; the script has it on line 3/ });
});

t.test('a marker whose line holds the traced command stays', async (t) => {
  t.equal(placeStaleLine(outline, lines, PATH, { file: PATH, line: 6, source: lines[5], expanded: 'uname -s' }), undefined);
  t.equal(placeStaleLine(outline, lines, PATH, { file: PATH, line: 2, source: lines[1], expanded: '. /usr/lbin/sw/control_utils' }), undefined);
});

t.test('another file, a name no case word substitutes, or no traced text: left as it is', async (t) => {
  t.equal(placeStaleLine(outline, lines, PATH, { file: '/usr/lbin/sw/control_utils', line: 2, expanded: 'uname -r' }), undefined);
  t.equal(placeStaleLine(outline, lines, PATH, { file: PATH, line: 2, expanded: 'model' }), undefined);
  t.equal(placeStaleLine(outline, lines, PATH, { file: PATH, line: 2 }), undefined);
});

t.test('an earlier caveat is kept', async (t) => {
  const placed = placeStaleLine(outline, lines, PATH, { file: PATH, line: 2, expanded: 'uname -r', caveat: 'ksh93 stopped tracing' });
  t.match(placed?.caveat, /^ksh93 stopped tracing; ksh93 traced this/);
});
