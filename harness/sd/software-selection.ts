/**
 * Which filesets a session manages: the software selections (`ACME`,
 * `ACME.ACME-RUN`, `ACME,r=B.01.00`, shell patterns), plus the filesets of
 * this package they depend on, as SD's default `autoselect_dependencies=true`
 * adds them (sd(5) options). Dependencies outside the package are noted: SD
 * would look for them on the target.
 */
import { UserError } from '../errors.js';
import type { Dependency, Fileset, Package, Product, SoftwareSpec } from './package.js';
import { filesetKey } from './package.js';
import { globMatch, parseSoftwareSpec, satisfies } from './software-spec.js';

export interface SelectedFileset {
  readonly product: Product;
  readonly fileset: Fileset;
  /** `selected` by a selection, or pulled in as a `dependency` of another. */
  readonly reason: 'selected' | 'dependency';
  /** For dependencies: the fileset that needs it. */
  readonly neededBy?: string;
}

export interface Selection {
  /** In package order. */
  readonly filesets: readonly SelectedFileset[];
  readonly notes: readonly string[];
}

export interface SelectOptions {
  /**
   * Add the filesets the selection depends on (swinstall's default; swremove
   * never removes what it was not asked to). Default: `true`.
   */
  readonly autoselectDependencies?: boolean;
}

/** Selects from `pkg`; no selections means every fileset. Throws `UserError` (USAGE) naming selections that match nothing. */
export function selectSoftware(pkg: Package, selections: readonly string[] = [], options: SelectOptions = {}): Selection {
  const chosen = new Map<string, SelectedFileset>();
  const problems: string[] = [];
  const all = pkg.products.flatMap((product) => product.filesets.map((fileset) => ({ product, fileset })));
  if (selections.length === 0) {
    for (const { product, fileset } of all) chosen.set(filesetKey(product, fileset), { product, fileset, reason: 'selected' });
  }
  for (const text of selections) {
    const parsed = parseSoftwareSpec(text);
    if (!parsed.ok) {
      problems.push(`\`${text}\`: ${parsed.message}`);
      continue;
    }
    const hits = all.filter(({ product, fileset }) => specMatches(parsed.spec, product, fileset, true));
    if (hits.length === 0) problems.push(`\`${text}\` matches no product or fileset in ${pkg.path} (it has ${pkg.products.map((p) => p.tag).join(', ')})`);
    for (const { product, fileset } of hits) chosen.set(filesetKey(product, fileset), { product, fileset, reason: 'selected' });
  }
  if (problems.length > 0)
    throw new UserError('USAGE', `bad software selection: ${problems.join('; ')}`, { hint: 'select `PRODUCT` or `PRODUCT.FILESET` (shell patterns allowed)' });

  const notes: string[] = [];
  const queue = options.autoselectDependencies === false ? [] : [...chosen.values()];
  while (queue.length > 0) {
    const item = queue.shift()!;
    for (const dep of item.fileset.dependencies) {
      if (dep.kind === 'exrequisite') continue;
      const targets = resolveDependency(pkg, dep, item.product);
      if (targets.length === 0) {
        notes.push(`${filesetKey(item.product, item.fileset)} has ${dep.kind} ${dep.spec}, not in this package: SD looks for it on the target`);
        continue;
      }
      for (const { product, fileset } of targets) {
        const key = filesetKey(product, fileset);
        if (chosen.has(key)) continue;
        const added: SelectedFileset = { product, fileset, reason: 'dependency', neededBy: filesetKey(item.product, item.fileset) };
        chosen.set(key, added);
        queue.push(added);
      }
    }
  }
  const filesets = all
    .filter(({ product, fileset }) => chosen.has(filesetKey(product, fileset)))
    .map(({ product, fileset }) => chosen.get(filesetKey(product, fileset))!);
  return { filesets, notes };
}

/**
 * The filesets of `pkg` a dependency names: the first alternative that names
 * something here. `PRODUCT` alone means all its filesets; a bare tag that is
 * no product but a fileset of the depending product means that fileset
 * [inferred: swpackage(4) writes dependencies as `product.fileset`].
 */
export function resolveDependency(pkg: Package, dep: Dependency, from?: Product): { product: Product; fileset: Fileset }[] {
  for (const alt of dep.alternatives) {
    const hits = pkg.products.flatMap((product) =>
      product.filesets.filter((fileset) => specMatches(alt, product, fileset, false)).map((fileset) => ({ product, fileset })),
    );
    if (hits.length > 0) return hits;
    if (alt.fileset === undefined && from !== undefined) {
      const own = from.filesets.find((f) => f.tag === alt.product);
      if (own !== undefined) return [{ product: from, fileset: own }];
    }
  }
  return [];
}

function specMatches(spec: SoftwareSpec, product: Product, fileset: Fileset, patterns: boolean): boolean {
  const match = (pattern: string, tag: string) => (patterns ? globMatch(pattern, tag) : pattern === tag);
  if (!match(spec.product, product.tag)) return false;
  if (spec.fileset !== undefined && !match(spec.fileset, fileset.tag)) return false;
  return spec.qualifiers.every((q) => {
    switch (q.letter) {
      case 'r':
      case 'pr':
        return satisfies(product.revision, q, true);
      case 'fr':
        return satisfies(fileset.revision ?? product.revision, q, true);
      case 'a':
      case 'pa':
        return satisfies(product.architecture, q, false);
      case 'fa':
        return satisfies(fileset.architecture ?? product.architecture, q, false);
      case 'v':
        return satisfies(product.vendorTag, q, false);
      default:
        // l= (location), q= (qualifier) and others say nothing about a package's contents.
        return true;
    }
  });
}
