import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { analyzeRunDir } from '../app/analyze-run.js';
import { FAIL_ON_VALUES } from '../report/verdict.js';
import { readWaiverFile } from '../report/waiver-file.js';
import { oneOf, parseOptions } from './parse-options.js';
import { REPORT_FORMATS } from '../report/write-report.js';

const USAGE =
  'drdsafe analyze <trace-file | run-dir | -> [--policy FILE]... [--waivers FILE] [--booted DIR] [--inactive DIR] [--shared DIR]... [--format text|json|sarif|junit|html] [--fail-on error|warning|info|never] [--report FILE]';

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'judge a saved trace or run directory against a policy (runs nothing)',
  help: `Usage: ${USAGE}

Reads a trace written by strace (or the run directory \`drdsafe run\` made),
rebuilds the process tree and the real paths every call used, applies the
policy, writes report.json and prints the report. Nothing is executed, so a
stored run can be judged again under a changed policy. \`-\` reads the trace
from standard input (\`strace -f -o '|drdsafe analyze - --booted B --inactive I
--report R' ...\`), and a named pipe is read as strace writes into it; either
way the trace is read line by line, never held whole.

Options:
  --policy FILE     a policy file (YAML); repeat to layer them. A file may
                    \`extends: drd-safe\`. Default: the built-in policies/drd-safe.yaml
  --waivers FILE    findings accepted for a time, each with a reason, an owner and an expiry date
                    (docs/waivers.md): shown as waived, not counted toward the verdict. An expired
                    waiver stops the command (exit code 2)
  --booted DIR      real path of the booted tree as strace saw it (required for a bare trace)
  --inactive DIR    real path of the inactive tree, the jail's root (required for a bare trace)
  --shared DIR      a shared file system, as a path inside the image (e.g. /var/opt/shared); repeatable
  --format FMT      text (default), json (report.json), sarif (SARIF 2.1.0, findings on
                    their script lines, for code scanning), junit (JUnit XML, a testcase per
                    phase) or html (the page report.html holds), printed on stdout; report.json,
                    report.html and report.junit.xml are written either way
  --fail-on SEV     lowest severity that makes the exit code 1: error (default), warning, info, never
  --report FILE     where to write report.json. Default: the run directory, or <trace>.report.json
                    (required with -)
  --debug           print stacks on errors

Exit codes: 0 safe, 1 unsafe, 2 usage or configuration error, 3 indeterminate.
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        policy: { type: 'string', multiple: true },
        waivers: { type: 'string' },
        booted: { type: 'string' },
        inactive: { type: 'string' },
        shared: { type: 'string', multiple: true },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        report: { type: 'string' },
      },
      USAGE,
    );
    if (positionals.length !== 1) {
      throw new UserError('USAGE', positionals.length === 0 ? 'no trace file or run directory given' : `one input expected, got ${positionals.length}`, {
        hint: `usage: ${USAGE}`,
      });
    }
    const waivers = values.waivers === undefined ? undefined : await readWaiverFile(values.waivers, { cwd: io.cwd });
    const outcome = await analyzeRunDir(
      positionals[0]!,
      {
        format: oneOf('format', values.format, REPORT_FORMATS, 'text'),
        failOn: oneOf('fail-on', values['fail-on'], FAIL_ON_VALUES, 'error'),
        ...(values.policy ? { policyFiles: values.policy } : {}),
        ...(waivers ? { waivers } : {}),
        ...(values.booted ? { booted: values.booted } : {}),
        ...(values.inactive ? { inactive: values.inactive } : {}),
        ...(values.shared ? { shared: values.shared } : {}),
        ...(values.report ? { reportPath: values.report } : {}),
      },
      io,
    );
    return outcome.exitCode;
  },
};
