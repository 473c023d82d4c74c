/**
 * A directory depot (sd(4) "DEPOT (DISTRIBUTION) FORMAT"): the depot's files
 * straight from disk. Paths that would leave the depot (`..`) read as absent.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readDepot, type DepotFiles } from './depot-reader.js';
import type { Package } from './package.js';

export function directoryDepotFiles(root: string, displayRoot: string = root): DepotFiles {
  const abs = path.resolve(root);
  const inside = (rel: string): string | undefined => {
    const full = path.resolve(abs, rel);
    return full.startsWith(abs + path.sep) ? full : undefined;
  };
  return {
    display: (rel) => path.join(displayRoot, rel),
    async read(rel) {
      const full = inside(rel);
      if (full === undefined) return undefined;
      try {
        return await readFile(full);
      } catch {
        return undefined;
      }
    },
    async contents(rel) {
      const full = inside(rel);
      if (full === undefined) return undefined;
      try {
        const st = await stat(full);
        return st.isFile() ? { data: { kind: 'file', path: full }, size: st.size } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function readDirectoryDepot(dir: string): Promise<Package> {
  return readDepot(directoryDepotFiles(dir), 'depot-dir', dir);
}
