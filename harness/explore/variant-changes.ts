/**
 * What making a set of probes true takes, the way a system where the
 * product is installed would have them: a missing `*.pid` file names a
 * process of the booted system (the booted daemon of that name, or a
 * stand-in daemon started under it for this variant, so a signal to it is
 * witnessed); a missing init script is a stand-in init script acting on
 * such a daemon; a missing program is a stand-in that exits 0 (the trace
 * records its arguments); a missing configuration file sets the variables
 * the script tests to turn the feature on; a process search finds a
 * stand-in daemon of that name. Each change says what it makes true and
 * what was done, for the report. Pure: the booted-tree changes are data
 * for run-phase (`BootedVariant`).
 */
import path from 'node:path';
import type { ChangeRecord, ProbeRecord } from '../contract/exploration-record.js';
import type { BootedVariant } from '../contract/run-request.js';
import { daemonName } from './list-probes.js';
import type { Variable } from './config-variables.js';
import { configFile, delegatingInitScript, plainFile, standInDaemonProgram, standInInitScript, standInProgram } from './stand-in-files.js';

export interface ChangeContext {
  /** Names of the daemons the booted system runs (the first run's). */
  readonly bootedDaemons: readonly string[];
  /** What a configuration file sets (config-variables.ts). */
  readonly variables: readonly Variable[];
}

export interface VariantChanges {
  readonly changes: readonly ChangeRecord[];
  readonly booted: BootedVariant;
  /** Jail paths of the stand-in programs (run.json's `standins`). */
  readonly standins: readonly string[];
}

/** HP-UX names a script may use for a daemon the sandbox runs under another. */
const ALIASES: Readonly<Record<string, string>> = { syslog: 'syslogd' };

/** `probes` made true together (plannable ones, in order). */
export function changesFor(probes: readonly ProbeRecord[], ctx: ChangeContext): VariantChanges {
  const builder = new ChangesBuilder(ctx, probes);
  for (const p of probes) if (p.unplannable === undefined) builder.add(p);
  return builder.result();
}

class ChangesBuilder {
  private readonly changes: ChangeRecord[] = [];
  private readonly files: { path: string; content: string; mode: number }[] = [];
  private readonly directories: string[] = [];
  private readonly daemons: { name: string; pidFile: string; program: string }[] = [];
  private readonly pidFiles: { path: string; daemon: string }[] = [];
  private readonly standins: string[] = [];
  private readonly made = new Set<string>();

  constructor(
    private readonly ctx: ChangeContext,
    /** Every probe of the variant: a daemon's pid file comes from its pid-file probe when there is one. */
    private readonly all: readonly ProbeRecord[],
  ) {}

  add(p: ProbeRecord): void {
    const at = p.path;
    if (at !== undefined && (this.made.has(at) || this.underFile(at))) return;
    switch (p.kind) {
      case 'pid-file':
        return this.pidFile(at as string, daemonName('pid-file', at as string) ?? path.posix.basename(at as string, '.pid'));
      case 'init-script':
        return this.initScript(at as string, daemonName('init-script', at as string) ?? path.posix.basename(at as string));
      case 'process':
        return void this.daemon(p.name as string, `a process named ${p.name as string} runs`);
      case 'program':
        this.file(at as string, standInProgram(at as string), 0o755);
        this.standins.push(at as string);
        this.changes.push({
          kind: 'program',
          path: at as string,
          condition: `${at as string} exists`,
          made: 'installed a stand-in there that exits 0 (the trace records its arguments; what the real program does is unknown)',
        });
        return;
      case 'config': {
        const variables = this.ctx.variables;
        this.file(at as string, configFile(at as string, variables), 0o644);
        const set =
          variables.length === 0
            ? 'created it (with no variable: the script tests none it does not set itself)'
            : `created it setting ${variables.map((v) => `${v.name}=${v.value}`).join(', ')}`;
        this.changes.push({ kind: 'config', path: at as string, variables, condition: `${at as string} exists`, made: set });
        return;
      }
      case 'directory':
        this.made.add(at as string);
        this.directories.push(at as string);
        this.changes.push({ kind: 'directory', path: at as string, condition: `${at as string} exists`, made: 'created the directory' });
        return;
      case 'file':
        this.file(at as string, plainFile(at as string), 0o644);
        this.changes.push({ kind: 'file', path: at as string, condition: `${at as string} exists`, made: 'created it (one comment line)' });
        return;
      case 'pid':
        return;
    }
  }

  result(): VariantChanges {
    return {
      changes: this.changes,
      booted: { files: this.files, directories: this.directories, daemons: this.daemons, pidFiles: this.pidFiles },
      standins: this.standins,
    };
  }

  /** A path below one this variant makes a file: it cannot be made too. */
  private underFile(at: string): boolean {
    return this.files.some((f) => at.startsWith(`${f.path}/`));
  }

  private file(at: string, content: string, mode: number): void {
    this.made.add(at);
    this.files.push({ path: at, content, mode });
  }

  private booted(name: string): string | undefined {
    const real = ALIASES[name] ?? name;
    return this.ctx.bootedDaemons.includes(real) ? real : undefined;
  }

  private pidFile(at: string, name: string): void {
    this.made.add(at);
    const booted = this.booted(name);
    if (booted !== undefined) {
      this.pidFiles.push({ path: at, daemon: booted });
      this.changes.push({
        kind: 'pid-file',
        path: at,
        daemon: booted,
        condition: `${at} exists`,
        made: `created it holding the pid of the booted system's ${booted}`,
      });
      return;
    }
    this.daemon(name, `${at} exists`, at);
  }

  /**
   * A stand-in daemon `name` running in the booted system (once per
   * variant): with the pid file the variant's probes name for it, else
   * `/var/run/<name>.pid`.
   */
  private daemon(name: string, condition: string, pidFile?: string): { readonly pidFile: string } {
    const booted = this.booted(name);
    if (booted !== undefined) return { pidFile: `/var/run/${booted}.pid` };
    const known = this.daemons.find((d) => d.name === name);
    if (known !== undefined) return known;
    const probed =
      pidFile ??
      this.all.find((p) => p.kind === 'pid-file' && p.path !== undefined && !this.underFile(p.path) && daemonName('pid-file', p.path) === name)?.path;
    const file = probed ?? `/var/run/${name}.pid`;
    this.made.add(file);
    this.daemons.push({ name, pidFile: file, program: standInDaemonProgram(name) });
    if (probed !== undefined) {
      this.changes.push({
        kind: 'pid-file',
        path: file,
        daemon: name,
        condition: `${file} exists`,
        made: `created it holding the pid of stand-in daemon ${name}, started in the booted system`,
      });
    } else {
      this.changes.push({
        kind: 'daemon',
        path: file,
        daemon: name,
        condition,
        made: `started stand-in daemon ${name} in the booted system (its pid in ${file})`,
      });
    }
    return { pidFile: file };
  }

  private initScript(at: string, name: string): void {
    const booted = this.booted(name);
    if (booted !== undefined) {
      this.file(at, delegatingInitScript(at, booted), 0o755);
      this.changes.push({
        kind: 'init-script',
        path: at,
        daemon: booted,
        condition: `${at} is installed`,
        made: `installed there an init script that hands over to /sbin/init.d/${booted}, the booted ${booted}'s`,
      });
      return;
    }
    const { pidFile } = this.daemon(name, `${name} runs`);
    this.file(at, standInInitScript(at, name, pidFile), 0o755);
    this.changes.push({
      kind: 'init-script',
      path: at,
      daemon: name,
      condition: `${at} is installed`,
      made: `installed there a stand-in init script whose start and stop act on stand-in daemon ${name}`,
    });
  }
}
