/**
 * "The set of control scripts executed during a particular phase ... are
 * always executed in prerequisite order" (SD Administration Guide 11i, p388):
 * a fileset runs after the filesets it has a `prerequisite` on, and a product
 * after the products its filesets need. Ties keep package order; a cycle
 * keeps package order for the filesets in it and is noted.
 */
import type { Fileset, Package, Product } from './package.js';
import { filesetKey } from './package.js';
import { resolveDependency, type SelectedFileset } from './software-selection.js';

export interface Ordered {
  /** Products, each with its selected filesets, in prerequisite order. */
  readonly products: readonly { readonly product: Product; readonly filesets: readonly Fileset[] }[];
  readonly notes: readonly string[];
}

export function prerequisiteOrder(pkg: Package, selected: readonly SelectedFileset[]): Ordered {
  const notes: string[] = [];
  const keys = new Set(selected.map((s) => filesetKey(s.product, s.fileset)));
  // before.get(x) = keys that must come before x.
  const before = new Map<string, Set<string>>();
  for (const s of selected) {
    const deps = new Set<string>();
    for (const dep of s.fileset.dependencies) {
      if (dep.kind !== 'prerequisite') continue;
      for (const t of resolveDependency(pkg, dep, s.product)) {
        const k = filesetKey(t.product, t.fileset);
        if (keys.has(k) && k !== filesetKey(s.product, s.fileset)) deps.add(k);
      }
    }
    before.set(filesetKey(s.product, s.fileset), deps);
  }
  const productsInOrder = pkg.products.filter((p) => selected.some((s) => s.product === p));
  const productBefore = new Map<string, Set<string>>(productsInOrder.map((p) => [p.tag, new Set<string>()]));
  for (const s of selected) {
    for (const k of before.get(filesetKey(s.product, s.fileset)) ?? []) {
      const other = k.split('.')[0]!;
      if (other !== s.product.tag) productBefore.get(s.product.tag)?.add(other);
    }
  }
  const productOrder = topoSort(
    productsInOrder.map((p) => p.tag),
    productBefore,
    (cycle) => notes.push(`products ${cycle.join(', ')} are prerequisites of each other; they keep package order`),
  );
  const products = productOrder.map((tag) => {
    const product = productsInOrder.find((p) => p.tag === tag)!;
    const mine = selected.filter((s) => s.product === product).map((s) => filesetKey(product, s.fileset));
    const order = topoSort(mine, before, (cycle) => notes.push(`filesets ${cycle.join(', ')} are prerequisites of each other; they keep package order`));
    return { product, filesets: order.map((k) => selected.find((s) => filesetKey(s.product, s.fileset) === k)!.fileset) };
  });
  return { products, notes };
}

/** Kahn's algorithm, always taking the earliest ready node in `nodes` order. */
function topoSort(nodes: readonly string[], before: ReadonlyMap<string, ReadonlySet<string>>, onCycle: (cycle: string[]) => void): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const inScope = new Set(nodes);
  while (out.length < nodes.length) {
    const ready = nodes.find((n) => !done.has(n) && [...(before.get(n) ?? [])].every((d) => done.has(d) || !inScope.has(d)));
    if (ready === undefined) {
      const rest = nodes.filter((n) => !done.has(n));
      onCycle(rest);
      for (const n of rest) {
        done.add(n);
        out.push(n);
      }
      break;
    }
    done.add(ready);
    out.push(ready);
  }
  return out;
}
