/**
 * A tape (serial) depot: one `.depot` file holding the depot tree as a tar
 * archive, "the entire catalog precedes the depot contents" (sd(4)
 * "Distribution Tape Format"), with `catalog/INDEX` the first regular file
 * (swbis sw(5) "SOFTWARE PACKAGING LAYOUT"; as HP's swpackage writes it).
 * SD also reads cpio tapes; drdsafe reads tar only and says so. The catalog
 * is read into memory in one pass; contents are only located (member name
 * and size) and read later through `readPayloadData`.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readDepot, type DepotFiles } from './depot-reader.js';
import type { Package } from './package.js';
import { tarMembers } from './tar-members.js';
import { ProblemList } from './sd-input-error.js';

/** A catalog larger than this is not a catalog (HP's OS depots have catalogs of a few MB). */
const MAX_CATALOG_BYTES = 256 * 1024 * 1024;

export async function readTapeDepot(file: string): Promise<Package> {
  const problems = new ProblemList();
  const magic = await leadingBytes(file, 6);
  const kind = archiveKind(magic);
  if (kind !== 'tar') {
    problems.add(
      file,
      undefined,
      undefined,
      kind === 'cpio'
        ? 'a cpio tape depot: SD reads cpio tapes, drdsafe reads tar tape depots only (re-create it with swpackage -x media_type=tape, or swcopy it to a directory depot)'
        : kind === 'gzip'
          ? 'a gzip-compressed file: a tape depot is an uncompressed tar archive; gunzip it first'
          : 'not a tar archive (a tape depot is the depot tree as a tar archive, sd(4))',
    );
    problems.throwIfAny(file);
  }
  const scan = await scanArchive(file, problems);
  const abs = path.resolve(file);
  const files: DepotFiles = {
    display: (rel) => `${file}:${rel}`,
    read: async (rel) => scan.catalog.get(rel),
    contents: async (rel) => {
      const size = scan.contents.get(rel);
      return size === undefined ? undefined : { data: { kind: 'archive', archive: abs, member: rel }, size };
    },
  };
  return readDepot(files, 'depot-tape', file, problems);
}

interface Scan {
  readonly catalog: Map<string, Buffer>;
  /** Stored contents: member name -> size. */
  readonly contents: Map<string, number>;
}

async function scanArchive(file: string, problems: ProblemList): Promise<Scan> {
  const catalog = new Map<string, Buffer>();
  const contents = new Map<string, number>();
  let firstRegular: string | undefined;
  let firstContent: string | undefined;
  let catalogBytes = 0;
  const lateCatalog: string[] = [];
  try {
    for await (const member of tarMembers(file)) {
      const { name, regular } = member;
      if (regular && firstRegular === undefined) firstRegular = name;
      const inCatalog = name === 'catalog' || name.startsWith('catalog/');
      if (!inCatalog && name !== '' && firstContent === undefined) firstContent = name;
      if (inCatalog && firstContent !== undefined) lateCatalog.push(name);
      if (!regular || name === '') continue;
      if (inCatalog) {
        catalogBytes += member.size;
        if (catalogBytes > MAX_CATALOG_BYTES) throw new UserError('INPUT_INVALID', `${file}: catalog larger than ${MAX_CATALOG_BYTES} bytes; not an SD depot`);
        catalog.set(name, await member.read());
      } else {
        contents.set(name, member.size);
      }
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    problems.add(file, undefined, undefined, `not a readable tar archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (lateCatalog.length > 0) {
    const more = lateCatalog.length > 1 ? ` (and ${lateCatalog.length - 1} more catalog members)` : '';
    problems.add(
      `${file}:${lateCatalog[0]}`,
      undefined,
      undefined,
      `catalog member after the depot contents (${firstContent})${more}: sd(4) puts the entire catalog first, and SD reads a tape once, front to back`,
    );
  }
  if (firstRegular !== undefined && firstRegular !== 'catalog/INDEX' && catalog.has('catalog/INDEX')) {
    problems.warn(
      `${file}:${firstRegular}`,
      undefined,
      undefined,
      'the first file of a tape depot is catalog/INDEX (swbis sw(5); HP swpackage writes it first); read anyway',
    );
  }
  return { catalog, contents };
}

type ArchiveKind = 'tar' | 'cpio' | 'gzip' | 'other';

function archiveKind(head: { bytes: Buffer; ustar: boolean }): ArchiveKind {
  const b = head.bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  const ascii = b.subarray(0, 6).toString('latin1');
  if (ascii === '070707' || ascii === '070701' || ascii === '070702' || (b[0] === 0xc7 && b[1] === 0x71) || (b[0] === 0x71 && b[1] === 0xc7)) return 'cpio';
  // POSIX ustar (what HP-UX tar and swpackage write) and GNU tar both put "ustar" at offset 257.
  return head.ustar ? 'tar' : 'other';
}

async function leadingBytes(file: string, n: number): Promise<{ bytes: Buffer; ustar: boolean }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (error) {
    throw new UserError('INPUT_NOT_FOUND', `cannot read tape depot ${file}`, { cause: error, hint: 'check the path' });
  }
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    return { bytes: buf.subarray(0, Math.min(n, bytesRead)), ustar: bytesRead >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar' };
  } finally {
    await fh.close();
  }
}

/** Whether a file starts like a tar archive (for `detectInput`). */
export async function looksLikeArchive(file: string): Promise<'tar' | 'cpio' | 'gzip' | undefined> {
  const kind = archiveKind(await leadingBytes(file, 6));
  return kind === 'other' ? undefined : kind;
}
