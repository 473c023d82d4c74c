/**
 * Keywords of SD software definitions, by object (swpackage(4) and sd(4)
 * attribute tables). SD keeps keywords it does not know as vendor-defined
 * attributes, so an unknown keyword is not an error; one within two edits of
 * a known keyword is probably a typo (`is_drd_save`) and gets a warning,
 * because a misspelt `is_drd_safe` silently makes a fileset unsafe to DRD.
 */
import { CONTROL_SCRIPT_TAGS, DATA_CONTROL_TAGS } from './control-tags.js';

export type ObjectKind = 'distribution' | 'vendor' | 'category' | 'bundle' | 'product' | 'subproduct' | 'fileset' | 'media';

/** Keywords that open a software definition. */
export const OBJECT_KEYWORDS: ReadonlySet<string> = new Set([
  'depot',
  'distribution',
  'installed_software',
  'root',
  'media',
  'vendor',
  'category',
  'bundle',
  'product',
  'subproduct',
  'fileset',
  'control_file',
  'file',
  'end',
]);

/** PSF-only keywords that define files and control scripts (swbis sw(5) "EXTENDED DEFINITIONS"). */
export const EXTENDED_KEYWORDS: ReadonlySet<string> = new Set([
  ...CONTROL_SCRIPT_TAGS,
  ...DATA_CONTROL_TAGS,
  'control_file',
  'directory',
  'file',
  'file_permissions',
  'exclude',
  'include',
]);

const COMMON = [
  'tag',
  'title',
  'description',
  'revision',
  'copyright',
  'number',
  'create_time',
  'mod_time',
  'mod_date',
  'size',
  'data_model_revision',
  'instance_id',
];
const UNAME = ['architecture', 'machine_type', 'os_name', 'os_release', 'os_version'];

const ATTRIBUTES: Readonly<Record<ObjectKind, readonly string[]>> = {
  distribution: [...COMMON, 'layout_version', 'uuid', 'dfiles', 'pfiles', 'media_type', 'path_max', 'name_max', 'control_directory', 'architecture'],
  media: ['sequence_number'],
  vendor: ['tag', 'title', 'description', 'qualifier', 'url', 'vendor_tag', 'the_term_vendor_is_misleading'],
  category: ['tag', 'title', 'description', 'revision'],
  bundle: [
    ...COMMON,
    ...UNAME,
    'contents',
    'vendor_tag',
    'category_tag',
    'is_patch',
    'is_locatable',
    'is_reference',
    'directory',
    'qualifier',
    'layout_version',
    'location',
  ],
  product: [
    ...COMMON,
    ...UNAME,
    'vendor_tag',
    'category_tag',
    'directory',
    'is_locatable',
    'is_patch',
    'is_reference',
    'postkernel',
    'readme',
    'layout_version',
    'qualifier',
    'all_filesets',
    'control_directory',
    'share_link',
    'software_spec',
    'location',
    'install_date',
    'install_source',
    'install_type',
  ],
  subproduct: [...COMMON, 'contents', 'category_tag', 'is_patch'],
  fileset: [
    ...COMMON,
    ...UNAME,
    'category_tag',
    'ancestor',
    'supersedes',
    'superseded_by',
    'applied_patches',
    'patch_state',
    'saved_files_directory',
    'is_kernel',
    'is_reboot',
    'is_locatable',
    'is_patch',
    'is_sparse',
    'is_secure',
    'is_reference',
    'is_drd_safe',
    'dynamic_module',
    'control_directory',
    'media_sequence_number',
    'state',
    'location',
    'prerequisite',
    'prerequisites',
    'corequisite',
    'corequisites',
    'exrequisite',
    'exrequisites',
    'install_date',
    'install_source',
  ],
};

const ALL_KNOWN: ReadonlySet<string> = new Set([...OBJECT_KEYWORDS, ...EXTENDED_KEYWORDS, ...Object.values(ATTRIBUTES).flat()]);

export function isKnownKeyword(keyword: string): boolean {
  return ALL_KNOWN.has(keyword);
}

/** A known keyword of `kind` that `keyword` is probably a typo of, if `keyword` is not itself known. */
export function likelyTypo(keyword: string, kind: ObjectKind): string | undefined {
  if (ALL_KNOWN.has(keyword)) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of [...ATTRIBUTES[kind], ...EXTENDED_KEYWORDS]) {
    const d = distance(keyword, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (keywords are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
