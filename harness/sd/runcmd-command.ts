/**
 * What `drd runcmd <command> [args...]` does with a command line, decided
 * before anything runs: the DRD-safe commands by base name or full path
 * (drd-runcmd(1M); DRD Quick Start p7 for release 3.3 and later), and for
 * swinstall, swremove and swverify the SD session drdsafe runs for them
 * (their software source, selections and options). Everything else, and
 * what runcmd refuses (a path that is not the command's, fix scripts, depot
 * targets, serial depots), goes to runcmd's own front end in the sandbox,
 * images/standins/drd.c, which prints runcmd's ERROR there without running
 * the command, so the trace shows it did not. Pure.
 */
import type { Operation } from './session-plan.js';

/** The DRD-safe commands and their HP-UX paths. */
export const DRD_SAFE_COMMANDS: Readonly<Record<string, string>> = {
  swinstall: '/usr/sbin/swinstall',
  swremove: '/usr/sbin/swremove',
  swlist: '/usr/sbin/swlist',
  swmodify: '/usr/sbin/swmodify',
  swverify: '/usr/sbin/swverify',
  swjob: '/usr/sbin/swjob',
  kctune: '/usr/sbin/kctune',
  'update-ux': '/usr/sbin/update-ux',
  view: '/usr/bin/view',
};

/** runcmd's front end in the image (images/standins/drd.c). */
export const DRD_COMMAND = '/opt/drd/bin/drd';

export type RuncmdPlan =
  /** An SD session drdsafe runs (swinstall, swremove, swverify). */
  | {
      readonly kind: 'session';
      readonly command: 'swinstall' | 'swremove' | 'swverify';
      readonly operation: Exclude<Operation, 'upgrade'>;
      /** swinstall's `-s`: the package, as a path on this host. */
      readonly source?: string;
      readonly selections: readonly string[];
      /** What runcmd says of the options (`-x autoreboot=true` ignored). */
      readonly notes: readonly string[];
    }
  /** Run in the jail through runcmd's front end: it refuses (`refused` says why) or runs the command. */
  | { readonly kind: 'front-end'; readonly argv: readonly string[]; readonly refused?: string }
  /** A command line drdsafe cannot emulate (an option, no source): a usage error, nothing runs. */
  | { readonly kind: 'unsupported'; readonly why: string };

function base(command: string): string {
  return command.slice(command.lastIndexOf('/') + 1);
}

/** Why runcmd refuses `command` as given (undefined: it is a DRD-safe command, by base name or its own full path). */
export function refusal(command: string, isSymlink: boolean): string | undefined {
  const name = base(command);
  const full = DRD_SAFE_COMMANDS[name];
  if (full === undefined) return `the command "${command}" is not DRD-safe`;
  if (command.includes('/')) {
    if (isSymlink) return `the path "${command}" is a symbolic link: paths that are symlinks to DRD-safe commands are not supported`;
    if (command !== full) return `the path "${command}" is not the DRD-safe command "${full}"`;
  }
  return undefined;
}

/** Splits `-x option=value` and `-xoption=value` forms out of an argument list. */
function xOptions(args: readonly string[]): { options: string[]; rest: string[]; problems: string[] } {
  const options: string[] = [];
  const rest: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-x') {
      const v = args[++i];
      if (v === undefined) problems.push('-x needs option=value');
      else options.push(v);
    } else if (a.startsWith('-x') && a.length > 2) options.push(a.slice(2));
    else rest.push(a);
  }
  return { options, rest, problems };
}

/**
 * The plan for `command args`. `isSymlink` says whether the command path is
 * a symbolic link (the caller looks). What runcmd itself refuses (not a
 * DRD-safe command, a path that is not its own, fix scripts) goes to the
 * front end, which refuses it in the sandbox.
 */
export function planRuncmd(command: string, args: readonly string[], isSymlink = false): RuncmdPlan {
  const argv = [DRD_COMMAND, 'runcmd', command, ...args];
  const refused = refusal(command, isSymlink);
  if (refused !== undefined) return { kind: 'front-end', argv, refused };
  const name = base(command);
  if (name !== 'swinstall' && name !== 'swremove' && name !== 'swverify') return { kind: 'front-end', argv };

  const { options, rest, problems } = xOptions(args);
  const notes: string[] = [];
  let source: string | undefined;
  let fix = false;
  const selections: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-s' && name === 'swinstall') {
      source = rest[++i];
      if (source === undefined) problems.push('-s needs a software source');
    } else if (a === '-F' && name === 'swverify') fix = true;
    else if (a === '@') problems.push('targets (`@ target`) are not supported under drd runcmd: the target is the inactive image');
    else if (a === '-d') problems.push('depot targets (-d) are not supported under drd runcmd');
    else if (a === '-p' || a === '-v') notes.push(`${name} ${a}: accepted, no effect in drdsafe`);
    else if (a.startsWith('-')) problems.push(`${name} option ${a} is not emulated by drdsafe`);
    else selections.push(a);
  }
  for (const o of options) {
    const [key, value = ''] = o.split('=');
    if (key === 'autoreboot') notes.push(`-x ${o} is ignored: drd runcmd suppresses all reboots`);
    else if (key === 'fix' && value === 'true') fix = true;
    else if (key === 'match_target' || key === 'mount_all_filesystems' || key === 'enforce_dependencies' || key === 'autoselect_dependencies') {
      notes.push(`-x ${o}: taken as SD's default`);
    } else notes.push(`-x ${o}: not emulated, SD's default is used`);
  }
  if (name === 'swinstall' && source === undefined) problems.push('swinstall needs -s <depot or PSF>: drdsafe has no default depot');
  if (name === 'swremove' && selections.length === 0) problems.push('swremove needs the software to remove');
  if (problems.length > 0) return { kind: 'unsupported', why: problems.join('; ') };
  // runcmd refuses fix scripts itself (drd-runcmd(1M) 11i v2 p213): its front end says so in the sandbox.
  if (fix) return { kind: 'front-end', argv, refused: 'fix scripts (swverify -F, -x fix=true) are not supported by drd runcmd' };
  const operation = name === 'swinstall' ? 'install' : name === 'swremove' ? 'remove' : 'verify';
  return { kind: 'session', command: name, operation, ...(source === undefined ? {} : { source }), selections, notes };
}

/** The seeds' kctune note: this WARNING after answering `y` "can be ignored". */
export const KCTUNE_HARMLESS_WARNING =
  /WARNING: The backup behavior 'yes' is not supported in alternate\s+root environments\. The behavior 'once' will be used instead\./;
