/**
 * What installing and removing a patch leaves in `/var/adm/sw` besides the
 * IPD, after the HP-UX Patch Program white paper (the seeds, `003_*`) where
 * its conventions still apply on 11i, and the SD guide where they changed:
 *
 * - PATCH.log: "All patch activity is logged in the /var/adm/sw/patch/
 *   PATCH.log file", one line an action: `PHCO_0001 Installed 02/22/95
 *   10:43:34`, `PHCO_0001 Superseded by PHCO_1111 ...`, `PHCO_1111
 *   Un-Superseded ...`, `PHCO_2222 Removed ...` (white paper 1.6).
 * - Superseded patches: "a file named /var/adm/sw/patch/.SUPERSEDED/
 *   PHCO_0001 will contain the text "PHCO_2122"" (white paper 1.6). On 11i
 *   the superseded patch stays in the IPD with `patch_state superseded`
 *   (Patch Management User Guide p17), where the 10.x paper removed it.
 * - Saved originals: 11i saves the files a patch replaces under
 *   /var/adm/sw/save (`patch_save_files=true`, SD Administration Guide 11i
 *   p170); "If you do not wish to retain a copy of the pre-patch files, you
 *   can create an empty file named /var/adm/sw/patch/PATCH_NOSAVE prior to
 *   installing the patch" (white paper 1.4); the warnings for a file not
 *   saved are the white paper's (1.7).
 *
 * Pure: names and lines; the runner changes the image.
 */
import type { Fileset, Product } from './package.js';
import { parseSoftwareSpec } from './software-spec.js';

export const PATCH_DIR = '/var/adm/sw/patch';
export const PATCH_LOG = `${PATCH_DIR}/PATCH.log`;
export const PATCH_NOSAVE = `${PATCH_DIR}/PATCH_NOSAVE`;
export const SUPERSEDED_DIR = `${PATCH_DIR}/.SUPERSEDED`;
export const SAVE_DIR = '/var/adm/sw/save';

/** HP's patch names: `PH` + area (`CO`, `KL`, `NE`, `SS`) + `_` + a number (white paper 1.3). */
const PATCH_NAME = /^PH(CO|KL|NE|SS)_\d{4,5}$/;

/** Whether SD treats the product as a patch: `is_patch` on it or a fileset, or an HP patch name. */
export function isPatchProduct(product: Product): boolean {
  return product.isPatch || product.filesets.some((f) => f.isPatch) || PATCH_NAME.test(product.tag);
}

export type PatchEvent = 'Installed' | 'Removed' | 'Un-Superseded' | { readonly supersededBy: string };

/** `MM/DD/YY HH:MM:SS`, PATCH.log's time (UTC here). */
function logTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${p(date.getUTCFullYear() % 100)} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

export function patchLogLine(patch: string, event: PatchEvent, date: Date): string {
  const what = typeof event === 'string' ? event : `Superseded by ${event.supersededBy}`;
  return `${patch} ${what} ${logTime(date)}`;
}

/** The patch filesets a fileset's `supersedes` names (`PHCO_39999.ACMESAFE-RUN,fr=1.0`), product and fileset tag. */
export function supersededFilesets(fileset: Fileset): { readonly product: string; readonly fileset?: string }[] {
  const out: { product: string; fileset?: string }[] = [];
  for (const spec of fileset.supersedes) {
    const parsed = parseSoftwareSpec(spec);
    if (parsed.ok) out.push({ product: parsed.spec.product, ...(parsed.spec.fileset === undefined ? {} : { fileset: parsed.spec.fileset }) });
  }
  return out;
}

/** Where the original of `path` is kept while the patch is installed. */
export function savedCopy(product: Product, fileset: Fileset, path: string): string {
  return `${SAVE_DIR}/${product.tag}/${fileset.tag}${path}`;
}

/** The white paper's warning when PATCH_NOSAVE kept the originals from being saved (1.7). */
export function noSaveWarning(patch: string): string {
  return `the 'NOSAVE' option (${PATCH_NOSAVE}) was set to true. Therefore, the patch '${patch}' cannot be backed off the system.`;
}

/** The white paper's warning for a file the patch adds, which had no original to save (1.7). */
export function notSavedWarning(path: string): string {
  return `couldn't locate '${path}'. File not backed up.`;
}

/** The white paper's error when a patch cannot be removed because an original was not saved (1.8). */
export function notRestoredError(path: string, patch: string): string {
  return `Couldn't locate the file: '${path}'. Since the file wasn't saved, the patch '${patch}' cannot be backed off of the system.`;
}
