/**
 * A fileset's payload as changes to an image: what SD's load step writes
 * (directories, files with their modes and owners, symbolic and hard
 * links) and what its remove step takes away, for the runner to apply to
 * the booted tree (a baseline install) or the inactive image (a session).
 * The bytes of regular files are read here, once per package (a tape depot
 * front to back once), and handed over under `source` names.
 */
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import type { TreeOp } from '../contract/session-protocol.js';
import type { Fileset, Package, PayloadEntry } from './package.js';
import { readArchiveMembers } from './payload-data.js';
import { readFile } from 'node:fs/promises';

/** The bytes of every regular payload file of a package, by entry. */
export type PayloadBytes = ReadonlyMap<PayloadEntry, Buffer>;

/** Reads the contents of every regular file of the package's payload (uncompressed). */
export async function readPackagePayload(pkg: Package): Promise<PayloadBytes> {
  const entries = pkg.products.flatMap((p) => p.filesets.flatMap((f) => f.payload)).filter((e) => e.type === 'f' && e.data !== undefined);
  const out = new Map<PayloadEntry, Buffer>();
  const byArchive = new Map<string, PayloadEntry[]>();
  for (const e of entries) {
    const data = e.data!;
    if (data.kind === 'file') out.set(e, await readFile(data.path));
    else byArchive.set(data.archive, [...(byArchive.get(data.archive) ?? []), e]);
  }
  for (const [archive, list] of byArchive) {
    const members = await readArchiveMembers(
      archive,
      list.map((e) => (e.data as { member: string }).member),
    );
    for (const e of list) {
      const bytes = members.get((e.data as { member: string }).member);
      if (bytes === undefined)
        throw new UserError('INPUT_INVALID', `${archive}: the member holding ${e.path} is missing`, { hint: 'the tape depot is incomplete' });
      out.set(e, bytes);
    }
  }
  for (const [e, bytes] of out) out.set(e, uncompressed(e, bytes));
  return out;
}

function uncompressed(e: PayloadEntry, bytes: Buffer): Buffer {
  if (e.compression === undefined) return bytes;
  if (e.compression === 'gzip') return gunzipSync(bytes);
  throw new UserError('INPUT_INVALID', `${e.source.file}: ${e.path} is stored with compression_type ${e.compression}, which drdsafe cannot uncompress`, {
    hint: 'repackage the depot uncompressed (swpackage -x compress_files=false)',
  });
}

export interface LoadOps {
  readonly ops: readonly TreeOp[];
  /** Files to send with the ops: `source` name (relative to the input directory) -> bytes. */
  readonly sources: ReadonlyMap<string, Buffer>;
}

const owner = (e: PayloadEntry) => ({
  ...(e.owner === undefined ? {} : { owner: e.owner }),
  ...(e.uid === undefined ? {} : { uid: e.uid }),
  ...(e.group === undefined ? {} : { group: e.group }),
  ...(e.gid === undefined ? {} : { gid: e.gid }),
});

/**
 * The load of one fileset: its directories, then its files, then its links.
 * `sourceDir` is where the runner finds the sent files (`/drdsafe/in/...`).
 */
export function loadOps(fileset: Fileset, bytes: PayloadBytes, sourceDir: string, sourcePrefix: string): LoadOps {
  const ops: TreeOp[] = [];
  const sources = new Map<string, Buffer>();
  const order = (t: PayloadEntry['type']) => (t === 'd' ? 0 : t === 'f' ? 1 : 2);
  const entries = [...fileset.payload].sort((a, b) => order(a.type) - order(b.type) || (a.type === 'd' ? a.path.length - b.path.length : 0));
  entries.forEach((e, i) => {
    switch (e.type) {
      case 'd':
        ops.push({ op: 'dir', path: e.path, mode: e.mode ?? 0o755, ...owner(e) });
        break;
      case 'f': {
        const name = `${sourcePrefix}/${i}`;
        sources.set(name, bytes.get(e) ?? Buffer.alloc(0));
        ops.push({ op: 'file', path: e.path, source: `${sourceDir}/${name}`, mode: e.mode ?? 0o644, ...owner(e) });
        break;
      }
      case 's':
        ops.push({ op: 'symlink', path: e.path, target: e.linkSource ?? '' });
        break;
      case 'h':
        ops.push({ op: 'hardlink', path: e.path, target: e.linkSource ?? '' });
        break;
      default:
        // Fifos and device files: swpackage refuses them in a source tree ("Unsupported file type"); a depot's INFO may still name one.
        break;
    }
  });
  return { ops, sources };
}

/** The removal of one fileset's files: files and links, then its directories deepest first, each only once empty. */
export function removeOps(fileset: Fileset): TreeOp[] {
  const files = fileset.payload.filter((e) => e.type !== 'd').map((e): TreeOp => ({ op: 'remove', path: e.path }));
  const dirs = fileset.payload
    .filter((e) => e.type === 'd')
    .sort((a, b) => b.path.length - a.path.length)
    .map((e): TreeOp => ({ op: 'remove', path: e.path }));
  return [...files, ...dirs];
}
