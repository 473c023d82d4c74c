/**
 * Turns the attribute bags a reader collected into the typed model, with
 * sd(4)'s defaults (`directory` `/`, `control_directory` = tag,
 * `is_locatable` true, the booleans false) and the checks every reader
 * shares: a tag is required and is one SD can address.
 */
import type { AttributeBag } from './attribute-bag.js';
import type { ControlScript, Distribution, Fileset, PayloadEntry, Product, Vendor } from './package.js';
import type { ProblemList } from './sd-input-error.js';

/** Tags separate specs with `.`, `,` and `:` (swbis sw(5) "PSF Basics"); whitespace ends them. */
const TAG = /^[^\s.,:]+$/;

function requireTag(bag: AttributeBag, what: string, problems: ProblemList): string {
  const tag = bag.get('tag');
  if (tag === undefined) {
    problems.add(bag.file, bag.source.line, bag.source.col, `${what} has no \`tag\``);
    return '';
  }
  if (!TAG.test(tag.value)) {
    problems.add(bag.file, tag.line, tag.tokens[0]?.col ?? tag.col, `${what} tag: Expected no whitespace, \`.\`, \`,\` or \`:\`, got \`${tag.value}\``);
  }
  return tag.value;
}

/** A control_directory names one directory in the catalog (sd(4) "Product and Fileset Control Directory Names"). */
function controlDirectory(bag: AttributeBag, tag: string, problems: ProblemList): string {
  const v = bag.get('control_directory');
  if (v === undefined) return tag;
  if (v.value === '' || v.value === '.' || v.value === '..' || v.value.includes('/')) {
    problems.add(bag.file, v.line, v.tokens[0]?.col ?? v.col, `control_directory: Expected a directory name without \`/\`, got \`${v.value}\``);
    return tag;
  }
  return v.value;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export function buildDistribution(bag: AttributeBag | undefined): Distribution {
  if (bag === undefined) return { attributes: new Map() };
  return {
    ...optional('tag', bag.text('tag')),
    ...optional('title', bag.text('title')),
    ...optional('layoutVersion', bag.text('layout_version')),
    attributes: bag.toAttributes(),
    source: bag.source,
  };
}

export function buildVendor(bag: AttributeBag, problems: ProblemList): Vendor {
  return { tag: requireTag(bag, 'vendor', problems), ...optional('title', bag.text('title')), attributes: bag.toAttributes(), source: bag.source };
}

export interface FilesetParts {
  readonly scripts: readonly ControlScript[];
  readonly payload: readonly PayloadEntry[];
  /** Attributes drdsafe supplies for inputs that cannot carry them. Default: none. */
  readonly assumed?: readonly string[];
}

export function buildFileset(bag: AttributeBag, parts: FilesetParts, problems: ProblemList): Fileset {
  const tag = requireTag(bag, 'fileset', problems);
  const isPatch = bag.bool('is_patch', false, problems);
  return {
    tag,
    ...optional('revision', bag.text('revision')),
    ...optional('architecture', bag.text('architecture')),
    ...optional('title', bag.text('title')),
    controlDirectory: controlDirectory(bag, tag, problems),
    isDrdSafe: bag.optionalBool('is_drd_safe', problems),
    assumed: parts.assumed ?? [],
    isKernel: bag.bool('is_kernel', false, problems),
    isReboot: bag.bool('is_reboot', false, problems),
    isPatch,
    // A patch is sparse unless it says otherwise (sd(4) is_sparse).
    isSparse: bag.bool('is_sparse', isPatch, problems),
    ancestors: bag.list('ancestor').map((t) => t.text),
    supersedes: bag.list('supersedes').map((t) => t.text),
    dependencies: bag.dependencies(problems),
    attributes: bag.toAttributes(),
    scripts: parts.scripts,
    payload: parts.payload,
    source: bag.source,
  };
}

export function buildProduct(bag: AttributeBag, scripts: readonly ControlScript[], filesets: readonly Fileset[], problems: ProblemList): Product {
  const tag = requireTag(bag, 'product', problems);
  if (filesets.length === 0)
    problems.add(bag.file, bag.source.line, bag.source.col, `product ${tag || '(untagged)'} has no fileset (swpackage requires at least one)`);
  const seen = new Map<string, Fileset>();
  for (const f of filesets) {
    const first = seen.get(f.tag);
    if (first !== undefined && f.tag !== '') {
      problems.add(
        f.source.file,
        f.source.line,
        f.source.col,
        `product ${tag} has two filesets tagged ${f.tag} (the first at line ${first.source.line ?? '?'})`,
      );
    }
    seen.set(f.tag, f);
  }
  return {
    tag,
    ...optional('revision', bag.text('revision')),
    ...optional('architecture', bag.text('architecture')),
    ...optional('vendorTag', bag.text('vendor_tag')),
    ...optional('title', bag.text('title')),
    directory: bag.text('directory') ?? '/',
    controlDirectory: controlDirectory(bag, tag, problems),
    isLocatable: bag.bool('is_locatable', true, problems),
    isPatch: bag.bool('is_patch', false, problems),
    attributes: bag.toAttributes(),
    scripts,
    filesets,
    source: bag.source,
  };
}

/** Problems for two control files with one tag in one object. */
export function checkScriptTags(scripts: readonly ControlScript[], owner: string, problems: ProblemList): void {
  const seen = new Map<string, ControlScript>();
  for (const s of scripts) {
    const first = seen.get(s.tag);
    if (first !== undefined) {
      problems.add(s.source.file, s.source.line, s.source.col, `${owner} has two \`${s.tag}\` control files (the first at line ${first.source.line ?? '?'})`);
    } else {
      seen.set(s.tag, s);
    }
  }
}
