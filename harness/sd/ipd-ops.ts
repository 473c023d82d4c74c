/**
 * The IPD side of an install or removal as changes to an image: the control
 * files placed in their control directories (where SW_CONTROL_DIRECTORY
 * points, docs/sd-formats.md "Script environment"), the product's and
 * fileset's INDEX and INFO once the fileset is loaded, and their removal.
 * The text comes from ipd-entry.ts; this module only says where it goes.
 */
import type { TreeOp } from '../contract/session-protocol.js';
import type { Fileset, Product } from './package.js';
import { controlFiles, filesetIndex, filesetInfo, ipdDirectory, productIndex, type InstallFacts, type PatchState } from './ipd-entry.js';

export interface ControlFileOps {
  readonly ops: readonly TreeOp[];
  readonly sources: ReadonlyMap<string, Buffer>;
}

/** The control files of the product (`pfiles`) or fileset, written into its control directory (mode 0755: SD runs them). */
export function controlFileOps(product: Product, fileset: Fileset | undefined, sourceDir: string, sourcePrefix: string): ControlFileOps {
  const dir = ipdDirectory(product, fileset);
  const ops: TreeOp[] = [{ op: 'dir', path: dir, mode: 0o755 }];
  const sources = new Map<string, Buffer>();
  controlFiles((fileset ?? product).scripts).forEach((s, i) => {
    const name = `${sourcePrefix}/${i}`;
    sources.set(name, s.content);
    ops.push({ op: 'file', path: `${dir}/${s.path}`, source: `${sourceDir}/${name}`, mode: 0o755 });
  });
  return { ops, sources };
}

/** The product's and fileset's entries once the fileset is loaded: `pfiles/INDEX` (and `pfiles/INFO` for product control files), the fileset's INDEX and INFO. */
export function registerOps(product: Product, fileset: Fileset, facts: InstallFacts, patch?: PatchState): TreeOp[] {
  const pfiles = ipdDirectory(product);
  const dir = ipdDirectory(product, fileset);
  return [
    { op: 'text', path: `${pfiles}/INDEX`, text: productIndex(product, facts) },
    ...(product.scripts.length > 0 ? [{ op: 'text' as const, path: `${pfiles}/INFO`, text: filesetInfo(product.scripts, []) }] : []),
    { op: 'text', path: `${dir}/INDEX`, text: filesetIndex(product, fileset, facts, patch) },
    { op: 'text', path: `${dir}/INFO`, text: filesetInfo(fileset.scripts, fileset.payload) },
  ];
}

/** The fileset's entry removed, and the product's once no fileset of it is left. */
export function unregisterOps(product: Product, fileset: Fileset): TreeOp[] {
  return [{ op: 'remove-tree', path: ipdDirectory(product, fileset) }, productGoneOp(product)];
}

/** The product's directory removed when it holds nothing but `pfiles`: no fileset of it is installed. */
export function productGoneOp(product: Product): TreeOp {
  return { op: 'remove-tree', path: `/var/adm/sw/products/${product.controlDirectory}`, ifOnly: ['pfiles'] };
}

/** The fileset's `state` after configure ran at boot (`installed` -> `configured`). */
export function configuredOps(product: Product, fileset: Fileset): TreeOp[] {
  return [{ op: 'set-attributes', path: `${ipdDirectory(product, fileset)}/INDEX`, set: { state: 'configured' } }];
}
