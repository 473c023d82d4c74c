import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { reportRuns } from '../app/report-runs.js';
import { REPORT_FORMATS } from '../report/write-report.js';
import { oneOf, parseOptions } from './parse-options.js';

const USAGE = 'drdsafe report <run-dir>... [--format text|json|sarif|junit|html]';

export const reportCommand: Command = {
  name: 'report',
  summary: 'render stored runs again as text, JSON, SARIF, JUnit or HTML (runs nothing)',
  help: `Usage: ${USAGE}

Prints the report of each run directory in the format asked for, from its
report.json: nothing is run or traced. A run directory without report.json
(its analysis never finished) is analysed first with the built-in policy.
Several run directories make one document: text one after another, a JSON
array, one SARIF log with a run each, one JUnit file with a testsuite each.

Options:
  --format FMT      text (default), json (report.json), sarif (SARIF 2.1.0), junit
                    (JUnit XML: a testsuite per run, a testcase per phase) or html (the
                    self-contained page; one run directory at a time)
  --debug           print stacks on errors

Exit codes: the worst verdict's: 0 safe, 1 unsafe, 3 indeterminate; 2 when a
directory is not a run directory or its report.json is damaged.
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { format: { type: 'string' } }, USAGE);
    if (positionals.length === 0) throw new UserError('USAGE', 'no run directory given', { hint: `usage: ${USAGE}` });
    return reportRuns(positionals, { format: oneOf('format', values.format, REPORT_FORMATS, 'text') }, io);
  },
};
