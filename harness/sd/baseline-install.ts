/**
 * Software that is on the system before a session starts: for remove,
 * upgrade and verify the product itself (or its earlier revision), and any
 * package named as installed (a patch's base product). As on a real host it
 * was installed earlier, untraced, on the booted system, and configured
 * there: its files, control files and IPD entry (state `configured`, SD
 * Administration Guide 2012 p209) are laid into the booted tree before it
 * boots, so its init script and rc links start its daemons at boot, and its
 * configure scripts run once the system is up, as swinstall runs them on
 * `/` [inferred: a product installed and configured, then the session]. The
 * clone then holds it all, as `drd clone` would copy it. Payload files that
 * are HP-UX binaries get stand-in daemons on the booted system
 * (standin-daemons.ts). Pure: the caller reads the bytes and applies the
 * changes.
 */
import type { BootedScript, StandInDaemon, TreeOp } from '../contract/session-protocol.js';
import { installChange, type FilesetChange } from './fileset-changes.js';
import { controlFileOps } from './ipd-ops.js';
import { ipdDirectory } from './ipd-entry.js';
import type { Package } from './package.js';
import type { PayloadBytes } from './payload-ops.js';
import { planSession } from './session-plan.js';
import { scriptEnvironment } from './script-environment.js';
import { standInDaemons } from './standin-daemons.js';

export interface BaselinePackage {
  readonly pkg: Package;
  readonly bytes: PayloadBytes;
  /** Why it is there (for the report). */
  readonly why: string;
}

export interface BaselineInstall {
  /** Control files, then per fileset its change (whose follow-ups the caller applies after the results). */
  readonly rounds: readonly { readonly ops: readonly TreeOp[]; readonly sources: ReadonlyMap<string, Buffer>; readonly change?: FilesetChange }[];
  readonly configure: readonly BootedScript[];
  readonly standIns: readonly StandInDaemon[];
}

export function baselineInstall(packages: readonly BaselinePackage[], date: Date, sourceDir: string): BaselineInstall {
  const rounds: { ops: readonly TreeOp[]; sources: ReadonlyMap<string, Buffer>; change?: FilesetChange }[] = [];
  const configure: BootedScript[] = [];
  const standIns: StandInDaemon[] = [];
  packages.forEach(({ pkg, bytes }, n) => {
    for (const product of pkg.products) {
      const prefix = `baseline/${n}/${product.controlDirectory}`;
      rounds.push(controlFileOps(product, undefined, sourceDir, `${prefix}/pfiles`));
      for (const fileset of product.filesets) {
        rounds.push(controlFileOps(product, fileset, sourceDir, `${prefix}/${fileset.controlDirectory}/control`));
        const change = installChange(product, fileset, bytes, { date, source: `localhost:${pkg.path}`, state: 'configured' }, {
          date,
          sourceDir,
          sourcePrefix: `${prefix}/${fileset.controlDirectory}/payload`,
        });
        rounds.push({ ops: change.ops, sources: change.sources, change });
      }
    }
    // Its configure scripts, in the order and environment swinstall on / gives them (no runcmd).
    const plan = planSession(pkg, 'install', { runcmd: false });
    for (const step of plan.steps) {
      if (step.kind !== 'script' || step.tag !== 'configure' || step.planned !== 'run') continue;
      configure.push({
        path: `${ipdDirectory(step.product, step.fileset)}/${step.script.path}`,
        env: scriptEnvironment({ plan, step }),
        label: `configure of ${step.fileset === undefined ? step.product.tag : `${step.product.tag}.${step.fileset.tag}`} (${pkg.path})`,
      });
    }
    standIns.push(...standInDaemons(pkg, bytes));
  });
  return { rounds, configure, standIns };
}
