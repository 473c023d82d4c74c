/**
 * Files travel between the host and the sandbox only as tar streams through
 * the engine API (putArchive/getArchive), never through a shared directory, so
 * a remote engine works like the local one.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { UserError } from '../errors.js';

export interface TarFile {
  /** Path inside the archive, `/`-separated, relative. */
  readonly name: string;
  readonly content: string | Buffer;
  /** Default: `0o644`. */
  readonly mode?: number;
}

/** Archives in-memory files, owned by root (uid/gid 0). */
export function packFiles(files: readonly TarFile[]): Readable {
  const pack = tar.pack();
  for (const file of files) {
    pack.entry({ name: file.name, mode: file.mode ?? 0o644, uid: 0, gid: 0, mtime: new Date() }, file.content);
  }
  pack.finalize();
  return toNodeReadable(pack);
}

/** tar-stream 3 streams are streamx streams; callers and dockerode get a plain Node stream. */
function toNodeReadable(pack: tar.Pack): Readable {
  return Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });
}

export interface PackDirectoryOptions {
  /** Prefix of every name in the archive, e.g. `booted`. Default: none (the directory's contents at the top). */
  readonly prefix?: string;
}

/**
 * Archives a directory tree: regular files, directories and symlinks keep their
 * modes and link targets; everything is owned by root, as on the system the
 * tree stands for. Sockets, fifos and devices are refused: a tree holding them
 * is not a file tree the harness can reproduce.
 */
export function packDirectory(dir: string, options: PackDirectoryOptions = {}): Readable {
  const prefix = options.prefix?.replace(/\/+$/, '') ?? '';
  return packPaths([{ name: prefix, path: dir }]);
}

export interface PathEntry {
  /** Name in the archive; `''` puts a directory's contents at the top. */
  readonly name: string;
  /** A file, symlink or directory on disk (directories are archived with everything under them). */
  readonly path: string;
}

/** Archives files and trees from disk under the given names, in the given order. */
export function packPaths(entries: readonly PathEntry[]): Readable {
  const pack = tar.pack();
  const add = async (full: string, name: string): Promise<void> => {
    const st = await lstat(full);
    const common = { mode: st.mode & 0o7777, uid: 0, gid: 0, mtime: st.mtime };
    if (st.isDirectory()) {
      if (name !== '') await entry(pack, { ...common, name: name + '/', type: 'directory' });
      for (const child of (await readdir(full)).sort()) await add(path.join(full, child), name === '' ? child : `${name}/${child}`);
    } else if (st.isSymbolicLink()) {
      await entry(pack, { ...common, name, type: 'symlink', linkname: await readlink(full) });
    } else if (st.isFile()) {
      await fileEntry(pack, { ...common, name, type: 'file', size: st.size }, full);
    } else {
      throw new UserError('INPUT_INVALID', `not a regular file, directory or symlink: ${full}`, {
        hint: 'remove sockets, fifos and device files from the tree, or leave them out of the booted overlay',
      });
    }
  };
  (async () => {
    for (const e of entries) await add(e.path, e.name.replace(/\/+$/, ''));
  })().then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return toNodeReadable(pack);
}

/** Streams one file into the archive, honouring back-pressure. */
async function fileEntry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, file: string): Promise<void> {
  let sink!: ReturnType<tar.Pack['entry']>;
  const written = new Promise<void>((resolve, reject) => {
    sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });
  for await (const chunk of createReadStream(file)) {
    if (!sink.write(chunk as Buffer)) await once(sink as unknown as NodeJS.EventEmitter, 'drain');
  }
  (sink as unknown as NodeJS.WritableStream).end();
  await written;
}

function entry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });
}

export interface ExtractOptions {
  /** Leading path elements to drop from every name (getArchive puts the fetched folder's name first). Default: `0`. */
  readonly strip?: number;
}

export interface ExtractResult {
  /** Regular files written, relative to the destination, `/`-separated. */
  readonly files: readonly string[];
  /** Entries not written (links, devices) with the reason. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Extracts regular files and directories into `dest`. Names that would land
 * outside `dest` (absolute, `..`) and links are refused: the archive comes
 * from a container that ran untrusted scripts.
 */
export async function extractTar(archive: Readable, dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const root = path.resolve(dest);
  await mkdir(root, { recursive: true });
  const files: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const extract = tar.extract();
  archive.on('error', (error: Error) => extract.destroy(error));
  archive.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const item of extract) {
      const { header } = item;
      const parts = header.name
        .split('/')
        .filter((p) => p !== '' && p !== '.')
        .slice(options.strip ?? 0);
      const relative = parts.join('/');
      const target = path.resolve(root, ...parts);
      if (parts.includes('..') || path.isAbsolute(header.name) || (target !== root && !target.startsWith(root + path.sep))) {
        skipped.push({ name: header.name, reason: 'outside the destination' });
        item.resume();
      } else if (header.type === 'directory') {
        await mkdir(target, { recursive: true });
        item.resume();
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        await mkdir(path.dirname(target), { recursive: true });
        // Owner permissions only; never setuid bits from the sandbox.
        await pipeline(Readable.from(item as AsyncIterable<Buffer>), createWriteStream(target, { mode: (header.mode ?? 0o644) & 0o755 }));
        files.push(relative);
      } else {
        skipped.push({ name: header.name, reason: header.type ?? 'unknown type' });
        item.resume();
      }
    }
  } finally {
    archive.unpipe();
    archive.resume();
  }
  return { files, skipped };
}
