/**
 * The ordered phases of one SD session on a package, as SD documents them
 * (docs/sd-formats.md "Session order", with sources), planned before anything
 * runs. Pure: no Docker, no file system. The plan lists every control script
 * of the selection the operation concerns, including those that will not run
 * and why (configure deferred to boot under runcmd, filesets DRD refuses,
 * fix refused), so a report can show them all; `SessionRun` then drives the
 * plan through the scripts' exit codes.
 *
 * - install / upgrade: every checkinstall (product, then its filesets) in
 *   prerequisite order; then per product: product preinstall, per fileset
 *   preinstall, load payload, postinstall, then product postinstall;
 *   configure after all loads, deferred under runcmd.
 * - remove: checkremove, unconfigure, then per product preremove scripts,
 *   payload removal, postremove scripts, in reverse prerequisite order.
 * - verify: verify scripts in prerequisite order; fix refused under runcmd.
 */
import type { ControlScriptTag } from './control-tags.js';
import { drdSafety } from './drd-safety.js';
import type { ControlScript, Fileset, Package, Product } from './package.js';
import { filesetKey } from './package.js';
import { prerequisiteOrder } from './prerequisite-order.js';
import { resolveDependency, selectSoftware, type SelectedFileset } from './software-selection.js';

export const OPERATIONS = ['install', 'remove', 'upgrade', 'verify'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface PlanOptions {
  /** Plan the session as `drd runcmd` runs it (SW_SESSION_IS_DRD=1, configure deferred, is_drd_safe enforced). Default: `true`. */
  readonly runcmd?: boolean;
  /** Software selections (`PRODUCT`, `PRODUCT.FILESET`, patterns). Default: everything in the package. */
  readonly selections?: readonly string[];
  /** Run deferred configure scripts after the session, as the inactive image's boot would. Default: `false`. */
  readonly bootPhase?: boolean;
  /** The target is an alternate root, not `/` (configure and unconfigure do not run). Default: `false`. */
  readonly alternateRoot?: boolean;
  /** `swverify -F` / `-x fix=true`. Default: `false`. */
  readonly fix?: boolean;
  /** For upgrade: the earlier revision to install first. Default: the same package. */
  readonly from?: Package;
}

/** Which part of the session a step belongs to. */
export type StepGroup = 'analysis' | 'load' | 'configure' | 'unconfigure' | 'remove' | 'verify' | 'boot';

/**
 * What the plan intends: `run`; `deferred` (configure under runcmd, run when
 * the image boots); `refused` (runcmd refuses it); `not-run` (the operation
 * never runs it in this setting, e.g. recovery scripts).
 */
export type PlannedStatus = 'run' | 'deferred' | 'refused' | 'not-run';

interface StepBase {
  /** Position in the plan, from 0. */
  readonly index: number;
  /** Unique and stable: `load:preinstall:ACME.ACME-RUN`. */
  readonly id: string;
  readonly group: StepGroup;
  readonly product: Product;
  /** Absent for product-level scripts. */
  readonly fileset?: Fileset;
  readonly planned: PlannedStatus;
  /** Why it is not simply run, or what it is for. */
  readonly why?: string;
}

export interface ScriptStep extends StepBase {
  readonly kind: 'script';
  readonly tag: ControlScriptTag;
  readonly script: ControlScript;
}

export interface PayloadStep extends StepBase {
  readonly kind: 'load-payload' | 'remove-payload';
  readonly fileset: Fileset;
}

export type PlanStep = ScriptStep | PayloadStep;

export interface RefusedFileset {
  readonly product: Product;
  readonly fileset: Fileset;
  readonly why: string;
}

export interface SessionPlan {
  readonly operation: Operation;
  readonly runcmd: boolean;
  readonly package: Package;
  /** Filesets the session manages (refused ones excluded), in prerequisite order. */
  readonly selected: readonly SelectedFileset[];
  readonly refused: readonly RefusedFileset[];
  /** What must already be installed on the system before the session (remove, upgrade, verify). */
  readonly baseline?: { readonly package: Package; readonly why: string };
  readonly steps: readonly PlanStep[];
  readonly notes: readonly string[];
}

const DEFERRED_CONFIGURE = 'drd runcmd does not run configure: it runs when the inactive image is booted (DRD-Safe Concepts 2 and 4.4)';
const BOOT_CONFIGURE = 'configure as the booted inactive image runs it (swconfig at startup), after the runcmd session';

export function planSession(pkg: Package, operation: Operation, options: PlanOptions = {}): SessionPlan {
  const runcmd = options.runcmd ?? true;
  const picked = selectSoftware(pkg, options.selections, { autoselectDependencies: operation === 'install' || operation === 'upgrade' });
  const notes = [...picked.notes];
  const selection = operation === 'remove' ? keepDependedOn(pkg, picked.filesets, notes) : picked;

  // Under runcmd, filesets that are not DRD-safe are refused, and so are the ones that
  // need them (their prerequisites would be missing) [inferred from enforce_dependencies=true].
  const refused = new Map<string, RefusedFileset>();
  if (runcmd && operation !== 'verify') {
    for (const s of selection.filesets) {
      const safety = drdSafety(s.product, s.fileset);
      if (!safety.safe) refused.set(filesetKey(s.product, s.fileset), { product: s.product, fileset: s.fileset, why: safety.why });
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const s of selection.filesets) {
        const key = filesetKey(s.product, s.fileset);
        if (refused.has(key)) continue;
        const dep = s.fileset.dependencies.find(
          (d) => d.kind !== 'exrequisite' && resolveDependency(pkg, d, s.product).some((t) => refused.has(filesetKey(t.product, t.fileset))),
        );
        if (dep !== undefined) {
          refused.set(key, { product: s.product, fileset: s.fileset, why: `its ${dep.kind} ${dep.spec} is refused by drd runcmd` });
          changed = true;
        }
      }
    }
  }
  const ordered = prerequisiteOrder(pkg, selection.filesets);
  notes.push(...ordered.notes);

  const steps: PlanStep[] = [];
  const add = (step: Omit<ScriptStep, 'index' | 'id'> | Omit<PayloadStep, 'index' | 'id'>): void => {
    const name = step.kind === 'script' ? step.tag : step.kind;
    const id = `${step.group}:${name}:${filesetKey(step.product, step.fileset)}`;
    steps.push({ ...step, index: steps.length, id } as PlanStep);
  };
  const refusal = (product: Product, fileset?: Fileset): string | undefined => {
    if (fileset !== undefined) return refused.get(filesetKey(product, fileset))?.why;
    const mine = selection.filesets.filter((s) => s.product === product);
    return mine.every((s) => refused.has(filesetKey(product, s.fileset))) ? 'every selected fileset of the product is refused by drd runcmd' : undefined;
  };
  /** One step for `tag` of the product or fileset, if it has that script. */
  const script = (
    group: StepGroup,
    tag: ControlScriptTag,
    product: Product,
    fileset: Fileset | undefined,
    planned: PlannedStatus = 'run',
    why?: string,
  ): void => {
    const found = (fileset ?? product).scripts.find((s) => s.tag === tag);
    if (found === undefined) return;
    const refusedWhy = refusal(product, fileset);
    const status: PlannedStatus = refusedWhy !== undefined && planned !== 'not-run' ? 'refused' : planned;
    const reason = status === 'refused' && planned !== 'refused' ? refusedWhy : why;
    add({
      kind: 'script',
      group,
      tag,
      script: found,
      product,
      ...(fileset === undefined ? {} : { fileset }),
      planned: status,
      ...(reason === undefined ? {} : { why: reason }),
    });
  };
  const payload = (group: StepGroup, kind: PayloadStep['kind'], product: Product, fileset: Fileset): void => {
    const refusedWhy = refusal(product, fileset);
    add({ kind, group, product, fileset, planned: refusedWhy === undefined ? 'run' : 'refused', ...(refusedWhy === undefined ? {} : { why: refusedWhy }) });
  };

  const products = ordered.products;
  const reversed = [...products].reverse().map((p) => ({ product: p.product, filesets: [...p.filesets].reverse() }));
  let baseline: SessionPlan['baseline'];

  switch (operation) {
    case 'install':
    case 'upgrade': {
      if (operation === 'upgrade') {
        baseline = { package: options.from ?? pkg, why: 'the earlier revision is installed before the session, so the new scripts find it installed' };
      }
      for (const { product, filesets } of products) {
        script('analysis', 'checkinstall', product, undefined);
        for (const f of filesets) script('analysis', 'checkinstall', product, f);
      }
      for (const { product, filesets } of products) {
        script('load', 'preinstall', product, undefined);
        for (const f of filesets) {
          script('load', 'preinstall', product, f);
          payload('load', 'load-payload', product, f);
          script('load', 'postinstall', product, f);
        }
        script('load', 'postinstall', product, undefined);
      }
      const configure = options.alternateRoot
        ? { group: 'configure' as const, planned: 'not-run' as const, why: 'configure runs only when SW_ROOT_DIRECTORY is / (later, by swconfig)' }
        : !runcmd
          ? { group: 'configure' as const, planned: 'run' as const, why: undefined }
          : options.bootPhase
            ? { group: 'boot' as const, planned: 'run' as const, why: BOOT_CONFIGURE }
            : { group: 'configure' as const, planned: 'deferred' as const, why: DEFERRED_CONFIGURE };
      for (const { product, filesets } of products) {
        script(configure.group, 'configure', product, undefined, configure.planned, configure.why);
        for (const f of filesets) script(configure.group, 'configure', product, f, configure.planned, configure.why);
      }
      for (const { product, filesets } of products) {
        for (const owner of [undefined, ...filesets]) {
          script('load', 'request', product, owner, 'not-run', 'request scripts run only with -x ask=true, on the controller, before the session');
          script('load', 'unpreinstall', product, owner, 'not-run', 'recovery scripts run only to back out a failed load with autorecover_product=true');
          script('load', 'unpostinstall', product, owner, 'not-run', 'recovery scripts run only to back out a failed load with autorecover_product=true');
        }
      }
      break;
    }
    case 'remove': {
      baseline = { package: pkg, why: 'software is removed from a system where it is installed' };
      for (const { product, filesets } of reversed) {
        script('analysis', 'checkremove', product, undefined);
        for (const f of filesets) script('analysis', 'checkremove', product, f);
      }
      for (const { product, filesets } of reversed) {
        const planned = options.alternateRoot ? 'not-run' : 'run';
        const why = options.alternateRoot ? 'unconfigure runs only for software in / (not an alternate root)' : undefined;
        script('unconfigure', 'unconfigure', product, undefined, planned, why);
        for (const f of filesets) script('unconfigure', 'unconfigure', product, f, planned, why);
      }
      for (const { product, filesets } of reversed) {
        script('remove', 'preremove', product, undefined);
        for (const f of filesets) script('remove', 'preremove', product, f);
        for (const f of filesets) payload('remove', 'remove-payload', product, f);
        for (const f of filesets) script('remove', 'postremove', product, f);
        script('remove', 'postremove', product, undefined);
      }
      break;
    }
    case 'verify': {
      baseline = { package: pkg, why: 'software is verified where it is installed' };
      for (const { product, filesets } of products) {
        for (const owner of [undefined, ...filesets]) {
          if (options.alternateRoot) script('verify', 'verify', product, owner, 'not-run', 'swverify does not run verify scripts for an alternate root (-r)');
          else script('verify', 'verify', product, owner);
          if (options.fix) {
            script(
              'verify',
              'fix',
              product,
              owner,
              runcmd ? 'refused' : 'run',
              runcmd ? 'drd runcmd refuses swverify -F and -x fix=true (fix scripts change the system)' : undefined,
            );
          }
        }
      }
      break;
    }
  }
  if (runcmd && operation !== 'verify' && products.some((p) => p.filesets.some((f) => f.isReboot || f.isKernel))) {
    notes.push('a selected fileset is a kernel or reboot fileset: drd runcmd suppresses the reboot (-x autoreboot is ignored)');
  }
  const selected = products.flatMap(({ product, filesets }) =>
    filesets.filter((f) => !refused.has(filesetKey(product, f))).map((f) => selection.filesets.find((s) => s.product === product && s.fileset === f)!),
  );
  return {
    operation,
    runcmd,
    package: pkg,
    selected,
    refused: [...refused.values()],
    ...(baseline === undefined ? {} : { baseline }),
    steps,
    notes,
  };
}

/**
 * swremove does not remove a fileset that software staying on the system
 * needs ("a fileset that is required by another bundle will not be removed",
 * SD Administration Guide 2013 p84): selected filesets another fileset of the
 * package (installed, not selected) depends on are left out, with a note.
 */
function keepDependedOn(pkg: Package, selected: readonly SelectedFileset[], notes: string[]): { filesets: SelectedFileset[] } {
  const chosen = new Set(selected.map((s) => filesetKey(s.product, s.fileset)));
  const staying = pkg.products.flatMap((product) =>
    product.filesets.filter((f) => !chosen.has(filesetKey(product, f))).map((fileset) => ({ product, fileset })),
  );
  const kept = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const stay of [...staying, ...selected.filter((s) => kept.has(filesetKey(s.product, s.fileset)))]) {
      for (const dep of stay.fileset.dependencies) {
        if (dep.kind === 'exrequisite') continue;
        for (const t of resolveDependency(pkg, dep, stay.product)) {
          const key = filesetKey(t.product, t.fileset);
          if (chosen.has(key) && !kept.has(key)) {
            kept.set(key, filesetKey(stay.product, stay.fileset));
            changed = true;
          }
        }
      }
    }
  }
  for (const [key, by] of kept) notes.push(`${key} is not removed: ${by} needs it and stays installed`);
  return { filesets: selected.filter((s) => !kept.has(filesetKey(s.product, s.fileset))) };
}
