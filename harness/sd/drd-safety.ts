/**
 * Whether `drd runcmd` lets SD manage a fileset: "If any fileset is selected
 * for management ... and that fileset does not have is_drd_safe set to true,
 * that fileset will be excluded from the list of software to be managed in a
 * runcmd environment. This includes any filesets selected due to
 * dependencies." The default is false, except for HP-UX 11i v2 patches,
 * which DRD treats as DRD-safe (DRD-Safe Concepts 6.1; DRD Administrator's
 * Guide p19). The drd_unsafe_patch_list of the inactive image is not
 * modelled.
 */
import type { Fileset, Product } from './package.js';

export interface DrdSafety {
  readonly safe: boolean;
  readonly why: string;
}

export function drdSafety(product: Product, fileset: Fileset): DrdSafety {
  const assumed = fileset.assumed.includes('is_drd_safe') ? ' (assumed: the input carries no attributes)' : '';
  if (fileset.isDrdSafe === true) return { safe: true, why: `is_drd_safe is true${assumed}` };
  if (fileset.isDrdSafe === false) return { safe: false, why: 'is_drd_safe is false: drd runcmd excludes the fileset from the session' };
  if ((fileset.isPatch || product.isPatch) && isElevenTwo(product, fileset)) {
    return { safe: true, why: 'an HP-UX 11i v2 patch without is_drd_safe: DRD treats 11i v2 patches as DRD-safe' };
  }
  return { safe: false, why: 'is_drd_safe is not set (its default is false): drd runcmd excludes the fileset from the session' };
}

/** Whether the software is for HP-UX 11i v2 (B.11.23), by `os_release` or `architecture`. */
function isElevenTwo(product: Product, fileset: Fileset): boolean {
  const values = [
    fileset.attributes.get('os_release'),
    product.attributes.get('os_release'),
    [fileset.architecture ?? ''],
    [product.architecture ?? ''],
  ].flat();
  return values.some((v) => v !== undefined && /11\.23/.test(v));
}
