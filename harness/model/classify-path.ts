/**
 * Which tree a real path (as strace sees it, outside any chroot) belongs to.
 */
import type { SharedMount, Tree, TreeLayout } from '../contract/run-metadata.js';

/** `path` is `prefix` or lies below it; `/images/booted2` is not under `/images/booted`. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '/') return path.startsWith('/');
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 0x2f;
}

/** Drop trailing slashes (but keep `/`). */
export function trimSlash(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end === path.length ? path : path.slice(0, end);
}

interface Root {
  readonly prefix: string;
  readonly tree: Tree;
}

/**
 * A layout compiled once for many lookups. Shared mounts win (a write through
 * one reaches the booted image); then the longest matching tree root, so a
 * tree nested in another (an inactive image mounted under a booted `/`) is
 * found; on equal length inactive beats booted beats sandbox.
 */
export class PathClassifier {
  private readonly shared: readonly SharedMount[];
  private readonly roots: readonly Root[];

  constructor(layout: TreeLayout) {
    this.shared = layout.shared.map((m) => ({
      jailPath: trimSlash(m.jailPath),
      inactivePath: trimSlash(m.inactivePath),
      bootedPath: trimSlash(m.bootedPath),
    }));
    const roots: Root[] = [
      { prefix: trimSlash(layout.inactive), tree: 'inactive' },
      { prefix: trimSlash(layout.booted), tree: 'booted' },
      ...layout.sandbox.map((p): Root => ({ prefix: trimSlash(p), tree: 'sandbox' })),
    ];
    // Stable sort keeps the inactive > booted > sandbox order among equal lengths.
    this.roots = roots.filter((r) => r.prefix !== '').sort((a, b) => b.prefix.length - a.prefix.length);
  }

  classify(real: string): Tree {
    for (const m of this.shared) if (isUnder(real, m.inactivePath)) return 'shared';
    for (const r of this.roots) if (isUnder(real, r.prefix)) return r.tree;
    return 'other';
  }

  /**
   * The tree a directory entry named by `real` lies in (for mkdir, rmdir,
   * unlink, rename, link, symlink, mknod): the tree of the directory that
   * holds it. That is `classify(real)` except at a shared mount point, whose
   * name is an entry of the file system it is mounted on: `mkdir -p
   * /var/opt/shared` meets EEXIST there and changes nothing shared.
   */
  classifyEntry(real: string): Tree {
    for (const m of this.shared) {
      if (real === m.inactivePath) {
        const cut = real.lastIndexOf('/');
        return this.classify(cut <= 0 ? '/' : real.slice(0, cut));
      }
    }
    return this.classify(real);
  }

  /** The booted-tree path a shared-mount path is bound from; other paths unchanged. */
  throughShared(real: string): string {
    for (const m of this.shared) {
      if (isUnder(real, m.inactivePath)) return m.bootedPath + real.slice(m.inactivePath.length);
    }
    return real;
  }
}

/** Classify one real path. For many lookups build a `PathClassifier` once. */
export function classifyPath(real: string, layout: TreeLayout): Tree {
  return new PathClassifier(layout).classify(real);
}
