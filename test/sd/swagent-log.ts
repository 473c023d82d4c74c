import t from 'tap';
import { planSession } from '../../harness/sd/session-plan.js';
import { interpretExitCode } from '../../harness/sd/session-run.js';
import { agentLine, message, scriptOutput, scriptResult, scriptRunning, sessionBegin } from '../../harness/sd/swagent-log.js';
import type { ScriptStep } from '../../harness/sd/session-plan.js';
import { psfPackage, scripts } from '../fixtures/sd/psf-package.js';

const PSF = `product\ntag P\n${scripts('checkinstall')}\nfileset\ntag F\nis_drd_safe true\n${scripts('preinstall', 'checkinstall')}\n`;

t.test("a script run in SD's form: the agent line, its output, the result line", async (t) => {
  const plan = planSession(await psfPackage(t, PSF), 'install');
  const step = plan.steps.find((s) => s.id === 'load:preinstall:P.F') as ScriptStep;
  const product = plan.steps.find((s) => s.id === 'analysis:checkinstall:P') as ScriptStep;
  t.same(scriptRunning(step), ['       * Running "preinstall" script for fileset "P.F".']);
  t.same(scriptRunning(product), ['       * Running "checkinstall" script for product "P".']);
  t.same(scriptResult(step, 0, interpretExitCode('preinstall', 'fileset', 0), '/var/adm/sw/products/P/F/preinstall'), []);
  const lines = scriptResult(step, 1, interpretExitCode('preinstall', 'fileset', 1), '/var/adm/sw/products/P/F/preinstall');
  t.ok(
    lines.every((l) => l.length <= 72),
    'wrapped at 72 columns',
  );
  // The text as one line, as a reader of the log reads it.
  const failed = lines.map((l) => l.trim()).join(' ');
  t.match(failed, /^ERROR: {3}The "preinstall" script for "P\.F" failed \(exit code "1"\)\./);
  t.match(
    failed,
    /The script location was "\/var\/adm\/sw\/products\/P\/F\/preinstall"\. \* This script had errors but the execution of this product will still proceed/,
  );
  const warned = scriptResult(step, 2, interpretExitCode('preinstall', 'fileset', 2), 'x').join('\n');
  t.match(warned, /^WARNING: The "preinstall" script for "P\.F" failed \(exit code "2"\)/);
  t.match(warned, /had warnings/);
  const check = plan.steps.find((s) => s.id === 'analysis:checkinstall:P.F') as ScriptStep;
  t.match(scriptResult(check, 1, interpretExitCode('checkinstall', 'fileset', 1), 'x').join(' '), /The fileset "P\.F" will not be\s+installed/);
  t.match(scriptResult(check, 3, interpretExitCode('checkinstall', 'fileset', 3), 'x').join('\n'), /^NOTE: {4}The "checkinstall" script for "P\.F" excluded/);
});

t.test('messages: keyword in column 1, text from column 10, wrapped at 72', async (t) => {
  const lines = message('WARNING', 'word '.repeat(40).trim());
  t.ok(
    lines.every((l) => l.length <= 72),
    'no line longer than 72 columns',
  );
  t.match(lines[0], /^WARNING: word/);
  t.ok(
    lines.slice(1).every((l) => l.startsWith('         w')),
    'continuations start in column 10',
  );
  t.same(agentLine('short'), ['       * short']);
  t.same(scriptOutput('NOTE:    one\n\n two  \n'), ['NOTE:    one', ' two'], 'no blank lines, no trailing blanks');
  t.match(sessionBegin('remove', new Date(Date.UTC(2024, 3, 2, 10, 12, 41)), 'hpux1')[0], /^======= {2}04\/02\/24 10:12:41 UTC {2}BEGIN remove AGENT SESSION/);
});
