/**
 * The Installed Products Database (IPD) entries SD writes for installed
 * software, as text: each product's `pfiles/INDEX`, each fileset's `INDEX`
 * and `INFO` under `/var/adm/sw/products` (sd(4) "INSTALLED PRODUCTS
 * DATABASE"; the layout the image's own IPD and its `swlist` stand-in read,
 * images/README.md). The attributes are the package's own, as the depot
 * catalog carries them, plus what the install adds: `install_date`,
 * `install_source`, `install_type`, `location` for the product (public IPD
 * parsers, sd-drd-facts.md 6.2), `state` for the fileset, and for patches
 * `category_tag patch` and `patch_state` (Patch Management User Guide p17).
 * Pure: the runner writes the text into the image.
 */
import type { Attributes, ControlScript, Fileset, PayloadEntry, Product } from './package.js';
import { SW_CATALOG } from './script-environment.js';

/** What an install records beside the package's attributes. */
export interface InstallFacts {
  readonly date: Date;
  /** `host:/path` of the depot, as SD records it (`install_source`). */
  readonly source: string;
  /** `installed` until configure has run, then `configured` (SD Administration Guide 2012 p209). */
  readonly state: 'installed' | 'configured';
}

/** A patch fileset's place in its supersession chain. */
export interface PatchState {
  readonly state: 'applied' | 'superseded' | 'committed';
  /** For `superseded`: the patch fileset that superseded it (`PHCO_40001.ACMESAFE-RUN`). */
  readonly supersededBy?: string;
}

/** The IPD directory of a product (`pfiles`) or fileset, without the trailing slash. */
export function ipdDirectory(product: Product, fileset?: Fileset): string {
  return `/${SW_CATALOG}/${product.controlDirectory}/${fileset === undefined ? 'pfiles' : fileset.controlDirectory}`;
}

/** `YYYYMMDDhhmm.ss`, SD's `install_date` (the image's IPD: `201409151012.41`), in UTC. */
export function installDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}.${p(date.getUTCSeconds())}`;
}

/** One `keyword value` line; values with blanks, quotes or `#` are quoted as sd(4) writes them. */
export function attributeLine(keyword: string, value: string): string {
  if (value !== '' && !/[\s"#\\]/.test(value)) return `${keyword} ${value}`;
  return `${keyword} "${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Keywords the install writes itself: a package's own value for them is not copied. */
const PRODUCT_OWN = new Set(['install_date', 'install_source', 'install_type', 'location', 'category_tag']);
const FILESET_OWN = new Set([
  'state',
  'install_date',
  'patch_state',
  'superseded_by',
  'category_tag',
  'is_kernel',
  'is_reboot',
  'is_drd_safe',
  'is_patch',
  'is_sparse',
]);

function copied(attributes: Attributes, own: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const [keyword, values] of attributes) {
    if (own.has(keyword) || keyword === 'tag') continue;
    for (const v of values) lines.push(attributeLine(keyword, v));
  }
  return lines;
}

export function productIndex(product: Product, facts: InstallFacts): string {
  const isPatch = product.isPatch || product.filesets.some((f) => f.isPatch);
  const lines = [
    'product',
    attributeLine('tag', product.tag),
    ...copied(product.attributes, PRODUCT_OWN),
    ...(product.attributes.has('directory') ? [] : [attributeLine('directory', product.directory)]),
    ...(isPatch ? ['category_tag patch'] : []),
    attributeLine('install_date', installDate(facts.date)),
    attributeLine('install_source', facts.source),
    'install_type physical',
    attributeLine('location', product.directory),
  ];
  return lines.join('\n') + '\n';
}

export function filesetIndex(product: Product, fileset: Fileset, facts: InstallFacts, patch?: PatchState): string {
  const isPatch = fileset.isPatch || product.isPatch;
  const lines = [
    'fileset',
    attributeLine('tag', fileset.tag),
    ...copied(fileset.attributes, FILESET_OWN),
    ...(fileset.attributes.has('revision') || product.revision === undefined ? [] : [attributeLine('revision', product.revision)]),
    `state ${facts.state}`,
    `is_kernel ${String(fileset.isKernel)}`,
    `is_reboot ${String(fileset.isReboot)}`,
    // As the package says; absent stays absent (DRD reads absent as false, drdSafety).
    ...(fileset.isDrdSafe === undefined ? [] : [`is_drd_safe ${String(fileset.isDrdSafe)}`]),
    ...(isPatch ? ['is_patch true', `is_sparse ${String(fileset.isSparse)}`, 'category_tag patch', `patch_state ${patch?.state ?? 'applied'}`] : []),
    ...(patch?.supersededBy === undefined ? [] : [attributeLine('superseded_by', patch.supersededBy)]),
    attributeLine('install_date', installDate(facts.date)),
  ];
  return lines.join('\n') + '\n';
}

/** The fileset's INFO: its control files, then its files (sd(4) INFO FORMAT). */
export function filesetInfo(scripts: readonly ControlScript[], payload: readonly PayloadEntry[]): string {
  const lines: string[] = [];
  const paths = new Set<string>();
  for (const s of scripts) {
    lines.push('control_file', attributeLine('tag', s.tag), attributeLine('path', s.path));
    if (s.interpreter !== undefined) lines.push(attributeLine('interpreter', s.interpreter));
    paths.add(s.path);
  }
  for (const e of payload) {
    lines.push('file', attributeLine('path', e.path), `type ${e.type}`);
    if (e.mode !== undefined) lines.push(`mode 0${e.mode.toString(8)}`);
    if (e.owner !== undefined) lines.push(attributeLine('owner', e.owner));
    if (e.group !== undefined) lines.push(attributeLine('group', e.group));
    if (e.uid !== undefined) lines.push(`uid ${e.uid}`);
    if (e.gid !== undefined) lines.push(`gid ${e.gid}`);
    if (e.linkSource !== undefined) lines.push(attributeLine('link_source', e.linkSource));
    if (e.size !== undefined) lines.push(`size ${e.size}`);
    if (e.isVolatile) lines.push('is_volatile true');
  }
  return lines.join('\n') + '\n';
}

/** The control files of a product (`pfiles`) or fileset, one per file name (one file may serve several tags). */
export function controlFiles(scripts: readonly ControlScript[]): ControlScript[] {
  const byPath = new Map<string, ControlScript>();
  for (const s of scripts) if (!byPath.has(s.path)) byPath.set(s.path, s);
  return [...byPath.values()];
}
