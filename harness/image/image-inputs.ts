/**
 * What the sandbox image is made from, and a content hash of it. The image tag
 * and label carry the hash, so an image is rebuilt exactly when one of its
 * inputs changed: a file under `images/` (the Dockerfile, the booted-tree
 * template, the runtime, the stand-in sources) or the root file system recipe.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export interface InputFile {
  /** `/`-separated path relative to the images folder. */
  readonly name: string;
  readonly absolutePath: string;
  readonly type: 'file' | 'symlink';
  readonly executable: boolean;
}

/** Paths under `images/` that never go into the image: build output, documentation, Python's byte-code caches. */
export function isImageInput(relativePath: string): boolean {
  const parts = relativePath.split('/');
  // A host run of the runtime's unit tests may leave __pycache__ beside the package; the image compiles its own.
  if (parts.some((p) => p.startsWith('.') || p === '__pycache__')) return false;
  const base = parts.at(-1) ?? '';
  return !/\.md$/i.test(base) && !base.endsWith('~');
}

/** Every input file under `imagesDir`, sorted by name. */
export async function listImageInputs(imagesDir: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of (await readdir(path.join(imagesDir, relative), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (!isImageInput(rel)) continue;
      const abs = path.join(imagesDir, rel);
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isSymbolicLink()) out.push({ name: rel, absolutePath: abs, type: 'symlink', executable: false });
      else if (entry.isFile()) out.push({ name: rel, absolutePath: abs, type: 'file', executable: ((await lstat(abs)).mode & 0o111) !== 0 });
    }
  };
  await walk('');
  return out;
}

/** sha256 over names, types, exec bits and contents (and `extra` strings), in a fixed order. */
export async function hashInputs(files: readonly InputFile[], extra: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256');
  for (const item of extra) hash.update(`extra\0${item}\n`);
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const content = file.type === 'symlink' ? Buffer.from(await readlink(file.absolutePath)) : await readFile(file.absolutePath);
    const digest = createHash('sha256').update(content).digest('hex');
    hash.update(`${file.type}\0${file.name}\0${file.executable ? 'x' : '-'}\0${digest}\n`);
  }
  return hash.digest('hex');
}

export interface ImageHashes {
  /** Hash of the root file system recipe (`rootfs/**` and the settings it reads). */
  readonly rootfs: string;
  /** Hash of everything the sandbox image is made from, the rootfs hash included. */
  readonly sandbox: string;
  readonly inputs: readonly InputFile[];
}

/** The settings of `rootfs/make-rootfs.sh` that change what it makes. */
export function rootfsSettings(env: NodeJS.ProcessEnv): string[] {
  return [`suite=${env.DRDSAFE_SUITE ?? 'bookworm'}`, `arch=${env.DRDSAFE_ARCH ?? 'amd64'}`];
}

export async function imageHashes(imagesDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ImageHashes> {
  const inputs = await listImageInputs(imagesDir);
  const rootfs = await hashInputs(
    inputs.filter((f) => f.name.startsWith('rootfs/')),
    rootfsSettings(env),
  );
  const sandbox = await hashInputs(inputs, [`rootfs=${rootfs}`]);
  return { rootfs, sandbox, inputs };
}

export const BASE_REPO = 'drdsafe-base';
export const SANDBOX_REPO = 'drdsafe-sandbox';

export function baseImageRef(rootfsHash: string): string {
  return `${BASE_REPO}:${rootfsHash.slice(0, 12)}`;
}

export function sandboxImageRef(sandboxHash: string): string {
  return `${SANDBOX_REPO}:${sandboxHash.slice(0, 12)}`;
}
