/**
 * `drdsafe runcmd <command> [args...]`: `drd runcmd` on the sandbox. swinstall,
 * swremove and swverify run as SD sessions on the inactive image
 * (run-package.ts); every other command goes through runcmd's front end
 * inside the jail (images/standins/drd.c), traced, which refuses what is not
 * DRD-safe without running it and runs the rest (`kctune` on a terminal
 * asks its backup question there). The exit code is drd runcmd's: the worst
 * of runcmd and the command, 0 success, 1 error, 2 warning; the DRD-safety
 * verdict is in the report.
 */
import { lstat, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from './io.js';
import { EXIT } from '../exit-codes.js';
import { UserError } from '../errors.js';
import { detectInput } from '../sd/detect-input.js';
import { readPackage } from '../sd/read-package.js';
import { planRuncmd, KCTUNE_HARMLESS_WARNING, type RuncmdPlan } from '../sd/runcmd-command.js';
import { DEFAULT_XTRACE_MARKER } from '../contract/run-metadata.js';
import { runPackage, type RunPackageDeps, type RunPackageOptions } from './run-package.js';
import { runScript } from './run-script.js';

export interface RuncmdOptions extends Pick<
  RunPackageOptions,
  'installed' | 'policyFiles' | 'outDir' | 'format' | 'failOn' | 'timeoutSeconds' | 'shared' | 'bootedDir' | 'bootPhase' | 'traceAll' | 'keep'
> {
  readonly command: string;
  readonly args: readonly string[];
  /** Give the command a terminal (kctune's question). Default: when kctune runs and drdsafe has a terminal. */
  readonly interactive?: boolean;
}

export interface RuncmdOutcome {
  /** drd runcmd's: 0, 1 or 2 (3 when the sandbox failed). */
  readonly exitCode: number;
  /** The run or session directory, when something ran. */
  readonly runDir?: string;
  readonly plan: RuncmdPlan;
}

/** The command as a shell word (for the front end's script). */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** 0/1/2 from a command's exit code (anything else is an error, as drd runcmd reports it). */
function runcmdCode(code: number | null | undefined): number {
  return code === 0 || code === 1 || code === 2 ? code : 1;
}

async function isSymlink(io: CliIo, command: string): Promise<boolean> {
  if (!command.includes('/')) return false;
  return (await lstat(path.resolve(io.cwd, command)).catch(() => undefined))?.isSymbolicLink() === true;
}

/** The package that holds what swremove or swverify names, among those installed before the session. */
async function installedHolding(
  io: CliIo,
  installed: readonly string[],
  selections: readonly string[],
  command: string,
): Promise<{ target: string; rest: string[] }> {
  const wanted = selections.map((s) => s.split(/[.,]/)[0]!);
  for (const file of installed) {
    const pkg = await readPackage(path.resolve(io.cwd, file));
    if (wanted.length === 0 || pkg.products.some((p) => wanted.includes(p.tag))) return { target: file, rest: installed.filter((f) => f !== file) };
  }
  throw new UserError('USAGE', `${command} ${selections.join(' ')}: nothing installed holds it`, {
    hint: 'name the package installed on the system before the command with --installed DEPOT_OR_PSF',
  });
}

export async function runRuncmd(options: RuncmdOptions, deps: RunPackageDeps): Promise<RuncmdOutcome> {
  const { io } = deps;
  const plan = planRuncmd(options.command, options.args, await isSymlink(io, options.command));
  if (plan.kind === 'unsupported')
    throw new UserError('USAGE', `${options.command}: ${plan.why}`, {
      hint: 'drdsafe runcmd emulates swinstall -s SOURCE, swremove and swverify with selections and -x options',
    });
  const common = {
    ...(options.policyFiles ? { policyFiles: options.policyFiles } : {}),
    ...(options.outDir ? { outDir: options.outDir } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.shared ? { shared: options.shared } : {}),
    ...(options.bootedDir ? { bootedDir: options.bootedDir } : {}),
    ...(options.traceAll ? { traceAll: true } : {}),
    ...(options.keep ? { keep: true } : {}),
  };
  if (plan.kind === 'session') {
    for (const note of plan.notes) io.stderr.write(`NOTE:    ${note}\n`);
    let target: string;
    let installed = [...(options.installed ?? [])];
    if (plan.command === 'swinstall') {
      target = plan.source!;
      // "installing from serial depots ... is not supported" (drd runcmd notes).
      if ((await detectInput(path.resolve(io.cwd, target))).kind === 'depot-tape') {
        io.stderr.write(`ERROR:   ${target} is a serial (tape) depot: drd runcmd swinstall installs from directory depots only.\n`);
        return { exitCode: 1, plan };
      }
    } else {
      ({ target, rest: installed } = await installedHolding(io, installed, plan.selections, plan.command));
    }
    const outcome = await runPackage(
      {
        ...common,
        target,
        operation: plan.operation,
        selections: plan.selections,
        installed,
        upgradeInstalled: plan.command === 'swinstall',
        command: [options.command, ...options.args],
        ...(options.bootPhase ? { bootPhase: true } : {}),
      },
      deps,
    );
    return { exitCode: outcome.record.failure !== undefined ? EXIT.indeterminate : outcome.sdExitCode, runDir: outcome.sessionDir, plan };
  }

  // runcmd's front end in the jail: it refuses, or runs the command, and the trace shows which.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drdsafe-runcmd-'));
  try {
    const name = path.basename(options.command).replace(/[^A-Za-z0-9._-]/g, '_') || 'command';
    const script = path.join(dir, name);
    await writeFile(
      script,
      `#!/sbin/sh\n# drd runcmd ${[options.command, ...options.args].join(' ')}, as drdsafe runs it: runcmd's front end decides, and runs the command on the inactive image.\nexec ${plan.argv.map(quote).join(' ')}\n`,
    );
    const kctune = path.basename(options.command) === 'kctune';
    const interactive = options.interactive ?? (kctune && io.interactive && io.stdin !== undefined && plan.refused === undefined);
    const outcome = await runScript(
      {
        ...common,
        scriptPath: script,
        phase: 'runcmd',
        sourceLabel: `drd runcmd ${[options.command, ...options.args].join(' ')}`,
        ...(interactive ? { interactive: true } : {}),
      },
      deps,
    );
    const said = await commandOutput(outcome.runDir, interactive);
    if (said !== '') io.stderr.write(said);
    if (kctune && KCTUNE_HARMLESS_WARNING.test(await readFile(path.join(outcome.runDir, 'stdout.txt'), 'utf8').catch(() => ''))) {
      io.stderr.write(
        "NOTE:    The WARNING about the backup behavior 'yes' is harmless: under drd runcmd kctune uses 'once' instead, and the seeds' drd runcmd notes say it can be ignored.\n",
      );
    }
    return { exitCode: runcmdCode(outcome.result.exitCode), runDir: outcome.runDir, plan };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the command (or runcmd's front end) wrote, without the shell's xtrace lines; stdout only when no terminal showed it. */
async function commandOutput(runDir: string, interactive: boolean): Promise<string> {
  const read = (file: string) => readFile(path.join(runDir, file), 'utf8').catch(() => '');
  const lines = [
    ...(interactive ? [] : (await read('stdout.txt')).split('\n')),
    ...(await read('stderr.txt')).split('\n').filter((l) => !l.startsWith(DEFAULT_XTRACE_MARKER)),
  ];
  const text = lines.filter((l) => l !== '').join('\n');
  return text === '' ? '' : text + '\n';
}
