/**
 * Software that is on the system before a session starts: for remove,
 * upgrade and verify the product itself (or its earlier revision), and any
 * package named as installed (a patch's base product). As on a real host it
 * was installed earlier with swinstall on `/`, so here it is installed
 * untraced on the running booted system the same way: its control files
 * placed, then the install plan's steps in SD's order without runcmd
 * (checkinstall, preinstall, the load, postinstall, configure: scripts run
 * on the booted system, SW_SESSION_IS_DRD unset), its IPD entry `configured`
 * (SD Administration Guide 2012 p209). Its daemons start as its scripts
 * start them; a payload file that is an HP-UX binary gets a stand-in there
 * first (standin-daemons.ts). The clone then holds it all, as `drd clone`
 * would copy it. Exit codes are not judged here: a script that failed is
 * reported, and what it left is what the session starts from. Pure: the
 * caller reads the bytes and applies the steps.
 */
import type { TreeOp } from '../contract/session-protocol.js';
import { installChange, type FilesetChange } from './fileset-changes.js';
import { controlFileOps } from './ipd-ops.js';
import { ipdDirectory } from './ipd-entry.js';
import { filesetKey, type Package } from './package.js';
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

export type BaselineStep =
  /** Changes to the booted tree; a fileset's load carries its change, whose follow-up depends on the results. */
  | { readonly kind: 'ops'; readonly ops: readonly TreeOp[]; readonly sources: ReadonlyMap<string, Buffer>; readonly change?: FilesetChange }
  /** A control script run on the booted system. */
  | { readonly kind: 'script'; readonly path: string; readonly env: Readonly<Record<string, string>>; readonly label: string };

export function baselineInstall(packages: readonly BaselinePackage[], date: Date, sourceDir: string): BaselineStep[] {
  const steps: BaselineStep[] = [];
  packages.forEach(({ pkg, bytes }, n) => {
    const standIns = standInDaemons(pkg, bytes);
    pkg.products.forEach((product, p) => {
      const prefix = `baseline/${n}/${p}`;
      steps.push({ kind: 'ops', ...controlFileOps(product, undefined, sourceDir, `${prefix}/pfiles`) });
      product.filesets.forEach((fileset, f) => steps.push({ kind: 'ops', ...controlFileOps(product, fileset, sourceDir, `${prefix}/${f}/control`) }));
    });
    const plan = planSession(pkg, 'install', { runcmd: false });
    for (const step of plan.steps) {
      if (step.planned !== 'run') continue;
      if (step.kind === 'script') {
        steps.push({
          kind: 'script',
          path: `${ipdDirectory(step.product, step.fileset)}/${step.script.path}`,
          env: scriptEnvironment({ plan, step }),
          label: `${step.tag} of ${filesetKey(step.product, step.fileset)} (${pkg.path})`,
        });
      } else if (step.kind === 'load-payload') {
        const p = pkg.products.indexOf(step.product);
        const f = step.product.filesets.indexOf(step.fileset);
        const change = installChange(
          step.product,
          step.fileset,
          bytes,
          { date, source: `localhost:${pkg.path}`, state: 'configured' },
          {
            date,
            sourceDir,
            sourcePrefix: `baseline/${n}/${p}/${f}/payload`,
          },
        );
        steps.push({ kind: 'ops', ops: change.ops, sources: change.sources, change });
        const mine = new Set(step.fileset.payload.map((e) => e.path));
        const stands = standIns.filter((s) => mine.has(s.path)).map((s): TreeOp => ({ op: 'stand-in', ...s }));
        if (stands.length > 0) steps.push({ kind: 'ops', ops: stands, sources: new Map() });
      }
    }
  });
  return steps;
}
