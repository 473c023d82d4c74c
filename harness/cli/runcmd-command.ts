import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { FAIL_ON_VALUES } from '../report/verdict.js';
import { runRuncmd } from '../app/run-runcmd.js';
import { oneOf } from './parse-options.js';
import { REPORT_FORMATS } from '../report/write-report.js';

const USAGE =
  'drdsafe runcmd [--installed PACKAGE]... [--out DIR] [--policy FILE]... [--format FMT] [--fail-on SEV] [--timeout S] [--shared PATH]... [--booted-overlay DIR] [--boot-phase] [--trace-all] [--keep] [-i] <command> [args...]';

/** drdsafe's own options (before the command), and whether each takes a value. */
const OPTIONS: Readonly<Record<string, boolean>> = {
  '--installed': true,
  '--out': true,
  '--policy': true,
  '--format': true,
  '--fail-on': true,
  '--timeout': true,
  '--shared': true,
  '--booted-overlay': true,
  '--boot-phase': false,
  '--trace-all': false,
  '--keep': false,
  '--interactive': false,
  '-i': false,
};

export const runcmdCommand: Command = {
  name: 'runcmd',
  summary: "drd runcmd on the sandbox: swinstall, swremove, swverify as SD sessions; other commands through runcmd's front end",
  help: `Usage: ${USAGE}

Emulates \`drd runcmd <command> [args...]\` on the sandbox's inactive image.
drd runcmd runs only the DRD-safe commands, by base name or full path:
swinstall, swremove, swlist, swmodify, swverify, swjob, kctune, update-ux,
view. Any other command, a path that is not the command's own, and a symlink
to one, get runcmd's ERROR and exit 1 without being run: runcmd's front end
(/opt/drd/bin/drd in the image) decides inside the traced jail, so the trace
shows the command never ran.

  swinstall -s <depot|PSF> [selections]   an install session (an upgrade when --installed
                                          holds the product); -x autoreboot=true is ignored
  swremove <selections>                   a remove session of what --installed installed
  swverify [selections]                   a verify session; -F (fix scripts) is refused
  kctune, swlist, view, ...               run in the jail through runcmd's front end; kctune
                                          asks its backup question on your terminal

Options (before the command):
  --installed PACKAGE  a package installed on the system before the command; repeatable
  --boot-phase         after an install session, run configure as the booted image would
  --out DIR, --policy FILE, --format FMT, --fail-on SEV, --timeout S, --shared PATH,
  --booted-overlay DIR, --trace-all, --keep: as for \`drdsafe run\`
  -i, --interactive    give the command a terminal (default for kctune at a terminal)

Exit codes: drd runcmd's, the worst of runcmd and the command: 0 success, 1 error, 2 warning;
3 when the sandbox failed. The DRD-safety verdict is in the report (and report.json).
`,
  async run(argv, io) {
    const values: Record<string, string[] | boolean> = {};
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const takes = OPTIONS[name];
      if (takes === undefined) break;
      if (!takes) {
        values[name] = true;
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UserError('USAGE', `${name} needs a value`, { hint: `usage: ${USAGE}` });
      values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    }
    const command = argv[i];
    if (command === undefined) throw new UserError('USAGE', 'no command given', { hint: `usage: ${USAGE}` });
    const one = (name: string): string | undefined => (values[name] as string[] | undefined)?.at(-1);
    const many = (name: string): string[] | undefined => values[name] as string[] | undefined;
    const timeout = one('--timeout') === undefined ? undefined : Number(one('--timeout'));
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
      throw new UserError('USAGE', `Expected \`--timeout\` to be a positive number of seconds, got \`${one('--timeout')}\``);
    }
    const outcome = await runRuncmd(
      {
        command,
        args: argv.slice(i + 1),
        format: oneOf('format', one('--format'), REPORT_FORMATS, 'text'),
        failOn: oneOf('fail-on', one('--fail-on'), FAIL_ON_VALUES, 'error'),
        ...(many('--installed') ? { installed: many('--installed')! } : {}),
        ...(many('--policy') ? { policyFiles: many('--policy')! } : {}),
        ...(one('--out') ? { outDir: one('--out')! } : {}),
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        ...(many('--shared') ? { shared: many('--shared')! } : {}),
        ...(one('--booted-overlay') ? { bootedDir: one('--booted-overlay')! } : {}),
        ...(values['--boot-phase'] ? { bootPhase: true } : {}),
        ...(values['--trace-all'] ? { traceAll: true } : {}),
        ...(values['--keep'] ? { keep: true } : {}),
        ...(values['--interactive'] || values['-i'] ? { interactive: true } : {}),
      },
      { io },
    );
    return outcome.exitCode;
  },
};
