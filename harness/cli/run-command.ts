import path from 'node:path';
import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { PHASES } from '../contract/run-metadata.js';
import { FAIL_ON_VALUES } from '../report/verdict.js';
import { DEFAULT_EXPLORE, runScript } from '../app/run-script.js';
import { readWaiverFile } from '../report/waiver-file.js';
import { runPackage } from '../app/run-package.js';
import { detectInput } from '../sd/detect-input.js';
import { OPERATIONS } from '../sd/session-plan.js';
import { oneOf, parseOptions } from './parse-options.js';
import { REPORT_FORMATS } from '../report/write-report.js';
import { BATCH_HELP, BATCH_OPTIONS, BATCH_USAGE } from './batch-options.js';
import { isBatchRun } from '../app/batch-targets.js';
import { runBatchFromArgs } from './run-batch-args.js';
import { exploreOptions } from './explore-options.js';

const USAGE =
  'drdsafe run <script> --phase TAG [--policy FILE]... [--waivers FILE] [--out DIR] [--format text|json|sarif|junit|html] [--fail-on SEV] [--timeout S] [--explore N] [--compare|--no-compare] [--shared PATH]... [--payload PATH]... [--booted-overlay DIR] [--trace-all] [--keep] [--interactive]\n' +
  '       drdsafe run <package> [SELECTION]... [--operation install|remove|upgrade|verify] [--from PACKAGE] [--installed PACKAGE]... [--boot-phase] [the options above but --phase, --payload, --interactive, --explore, --compare]\n' +
  `       drdsafe run <target>... ${BATCH_USAGE} [the options above but --format, --keep, --interactive, --from]`;

/** Options that mean something for a single script only, and for a package only. */
const SCRIPT_ONLY = ['phase', 'payload', 'interactive', 'explore', 'compare', 'no-compare'] as const;
const PACKAGE_ONLY = ['operation', 'from', 'installed', 'boot-phase'] as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a control script, or a whole package as an SD session, in the sandboxed runcmd jail under strace and judge it',
  help: `Usage: ${USAGE}

<script> is one control script; <package> is a folder of control scripts
(named after their tags, with an optional payload/ folder), a PSF, a
directory depot or a tape depot (docs/sd-formats.md). A malformed package
is refused with its file, line and problem (exit 2) before anything runs.

A package runs as the SD session drd runcmd would run: every control script
of the operation in SD's order, each traced, in one sandbox on one clone
(what a script does is there for the next), the payload loaded between
preinstall and postinstall (removed for remove), the IPD and swagent.log of
the inactive image kept; configure is deferred to boot unless --boot-phase.
Remove, upgrade and verify start where the product is installed (installed
untraced on the booted system first). The run directory holds session.json,
one run directory per phase under phases/, and one report for the session.

A single control script runs as the given SD phase inside a sandbox container:
a booted HP-UX-like system with its daemons running, and its clone as the
inactive image on which the script runs chrooted with SW_SESSION_IS_DRD=1,
as \`drd runcmd\` does. The script runs under strace; the run directory gets
trace.txt, the script's output, the daemons' witness log, the booted tree's
diff, result.json and run.json, and then the report (as \`drdsafe analyze\`).
The sandbox image is built on first use (see \`drdsafe image build\`).

Options:
  --phase TAG       the control script's tag: ${PHASES.join(', ')}
  --policy FILE     a policy file (YAML); repeat to layer them. Default: the built-in policy
  --waivers FILE    findings accepted for a time, each with a reason, an owner and an expiry date
                    (docs/waivers.md): shown as waived, not counted toward the verdict. An expired
                    waiver stops the command before the script runs (exit code 2)
  --out DIR         the run directory. Default: traces/runs/<timestamp>-<script>-<phase>/
  --format FMT      text (default), json (report.json), sarif (SARIF 2.1.0, findings on
                    their script lines, for code scanning), junit (JUnit XML, a testcase per
                    phase) or html (the page report.html holds), printed on stdout; report.json,
                    report.html and report.junit.xml are written either way
  --fail-on SEV     lowest severity that makes the exit code 1: error (default), warning, info, never
  --timeout S       seconds the script may run before it is stopped; with exploration, the whole
                    exploration (every further run gets what is left). Default: 60 (600 with --interactive)
  --explore N       branch exploration: after the first run, at most N more runs (variants), each
                    from a fresh clone with some of the probes the script lost made true as on a
                    system where the product is installed (a missing pid file names a running
                    stand-in daemon, a missing init script or program is a stand-in, a missing
                    config file turns the feature on); the report merges them (worst verdict,
                    union coverage), each finding naming its variant. 0 turns it off. Default: ${DEFAULT_EXPLORE}
  --compare         the DRD-guard proof: one more run on the booted system itself with
                    SW_SESSION_IS_DRD unset; a risky line that runs only there is guarded, and its
                    findings are listed as avoided (never counted). Default: on with --explore
  --no-compare      no comparison run
  --shared PATH     a path of the image that is a shared file system (bind-mounted from the
                    booted system into the inactive image, e.g. /var/opt/shared); repeatable
  --payload PATH    a file the package installs (its path on the target, e.g. /opt/acme/bin/acmed);
                    repeatable. The sandbox does not install the package, so a program of the
                    payload the script runs is missing there: the verdict is then indeterminate
  --booted-overlay DIR
                    lay the files of this directory over the built-in booted tree (its
                    commands, libraries and stand-in daemons stay, so the system still boots)
  --trace-all       trace every syscall, not only the policy's set (slower, bigger trace)
  --interactive     give the script a terminal: what you type is its stdin, and what it writes
                    there shows on stderr (and in stdout.txt), as \`drd runcmd kctune\` asks
                    its questions at a terminal; piped input works too. Default: no stdin
  --keep            leave the container behind for inspection, for a day
                    (\`drdsafe gc --all\` removes it sooner)

Packages:
  SELECTION         software selections: PRODUCT, PRODUCT.FILESET, patterns. Default: everything
  --operation OP    install (default), remove, upgrade or verify
  --from PACKAGE    upgrade: the earlier revision, installed first. Default: the package itself
  --installed PACKAGE
                    a package installed on the system before the session (a patch's base
                    product); repeatable, installed in order
  --boot-phase      run the deferred configure scripts after the session, as the booted
                    image would (exempt from the DRD rules)
  --debug           print stacks on errors

Batches (several targets, a quoted glob such as 'pkgs/*.psf', or a folder of packages and
scripts; each target a control script, run as --phase, or a package):
${BATCH_HELP}  --out DIR         the batch's folder: a run directory per target, index.html (every report,
                    sortable by verdict) and batch.json. Default: traces/runs/<timestamp>-batch/
  Progress goes to stderr (a bar on a terminal, plain lines in CI=true or a pipe), a table of
  every target to stdout. Ctrl-C stops the batch, removes its containers, and still writes the
  table and index.html of what finished. The exit code is the worst of the runs'.

Exit codes: 0 safe, 1 unsafe, 2 usage or configuration error, 3 indeterminate or harness failure.
`,
  async run(argv, io) {
    const startedAt = Date.now();
    const { values, positionals } = parseOptions(
      argv,
      {
        phase: { type: 'string' },
        policy: { type: 'string', multiple: true },
        waivers: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        timeout: { type: 'string' },
        shared: { type: 'string', multiple: true },
        payload: { type: 'string', multiple: true },
        'booted-overlay': { type: 'string' },
        'trace-all': { type: 'boolean' },
        keep: { type: 'boolean' },
        interactive: { type: 'boolean', short: 'i' },
        explore: { type: 'string' },
        compare: { type: 'boolean' },
        'no-compare': { type: 'boolean' },
        operation: { type: 'string' },
        from: { type: 'string' },
        installed: { type: 'string', multiple: true },
        'boot-phase': { type: 'boolean' },
        ...BATCH_OPTIONS,
      },
      USAGE,
    );
    if (positionals.length === 0) throw new UserError('USAGE', 'no control script or package given', { hint: `usage: ${USAGE}` });
    const timeoutOf = (): number | undefined => {
      const t = values.timeout === undefined ? undefined : Number(values.timeout);
      if (t !== undefined && !(Number.isFinite(t) && t > 0))
        throw new UserError('USAGE', `Expected \`--timeout\` to be a positive number of seconds, got \`${values.timeout}\``);
      return t;
    };
    if (await isBatchRun(positionals, io.cwd, values.jobs !== undefined || values.engine !== undefined))
      return runBatchFromArgs(values, positionals, timeoutOf(), io);
    const kind = (await detectInput(path.resolve(io.cwd, positionals[0]!))).kind;
    if (kind !== 'script') {
      const misplaced = SCRIPT_ONLY.find((o) => values[o] !== undefined);
      if (misplaced !== undefined)
        throw new UserError('USAGE', `--${misplaced} applies to a single control script, and ${positionals[0]} is a package (${kind})`, {
          hint: "a package runs every script of --operation in SD's order",
        });
      const timeout = timeoutOf();
      const packageWaivers = values.waivers === undefined ? undefined : await readWaiverFile(values.waivers, { cwd: io.cwd });
      const outcome = await runPackage(
        {
          target: positionals[0]!,
          operation: oneOf('operation', values.operation, OPERATIONS, 'install'),
          selections: positionals.slice(1),
          format: oneOf('format', values.format, REPORT_FORMATS, 'text'),
          failOn: oneOf('fail-on', values['fail-on'], FAIL_ON_VALUES, 'error'),
          ...(values.from ? { from: values.from } : {}),
          ...(values.installed ? { installed: values.installed } : {}),
          ...(values['boot-phase'] ? { bootPhase: true } : {}),
          ...(values.policy ? { policyFiles: values.policy } : {}),
          ...(packageWaivers ? { waivers: packageWaivers } : {}),
          ...(values.out ? { outDir: values.out } : {}),
          ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
          ...(values.shared ? { shared: values.shared } : {}),
          ...(values['booted-overlay'] ? { bootedDir: values['booted-overlay'] } : {}),
          ...(values['trace-all'] ? { traceAll: true } : {}),
          ...(values.keep ? { keep: true } : {}),
        },
        { io },
      );
      return outcome.exitCode;
    }
    if (positionals.length !== 1) {
      throw new UserError('USAGE', `one script expected, got ${positionals.length}`, { hint: `usage: ${USAGE}` });
    }
    const misplaced = PACKAGE_ONLY.find((o) => values[o] !== undefined);
    if (misplaced !== undefined)
      throw new UserError('USAGE', `--${misplaced} applies to a package, and ${positionals[0]} is a single control script`, {
        hint: 'give a PSF, a depot or a folder of scripts',
      });
    if (values.phase === undefined) {
      throw new UserError('USAGE', 'no --phase given', { hint: `use --phase with one of: ${PHASES.join(', ')}` });
    }
    const timeout = timeoutOf();
    const explored = exploreOptions(values);
    const relative = (values.payload ?? []).find((p) => !p.startsWith('/'));
    if (relative !== undefined) {
      throw new UserError('USAGE', `Expected \`--payload\` to be an absolute path on the target system, got \`${relative}\``, {
        hint: 'name each installed file by its path on the target, e.g. --payload /opt/acme/bin/acmed',
      });
    }
    const waivers = values.waivers === undefined ? undefined : await readWaiverFile(values.waivers, { cwd: io.cwd });
    const outcome = await runScript(
      {
        scriptPath: positionals[0]!,
        phase: values.phase,
        format: oneOf('format', values.format, REPORT_FORMATS, 'text'),
        failOn: oneOf('fail-on', values['fail-on'], FAIL_ON_VALUES, 'error'),
        ...(values.policy ? { policyFiles: values.policy } : {}),
        ...(waivers ? { waivers } : {}),
        ...(values.out ? { outDir: values.out } : {}),
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        ...(values.shared ? { shared: values.shared } : {}),
        ...(values.payload ? { payload: values.payload } : {}),
        ...(values['booted-overlay'] ? { bootedDir: values['booted-overlay'] } : {}),
        ...(values['trace-all'] ? { traceAll: true } : {}),
        ...(values.keep ? { keep: true } : {}),
        ...(values.interactive ? { interactive: true } : {}),
        ...explored,
      },
      { io, startedAt },
    );
    return outcome.exitCode;
  },
};
