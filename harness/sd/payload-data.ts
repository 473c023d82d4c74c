/**
 * The bytes of payload files, wherever the package keeps them: a host file
 * (PSF sources, directory depots) or a member of a tape depot. A tape is read
 * front to back once for all the members asked for.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import tar from 'tar-stream';
import { UserError } from '../errors.js';
import type { PayloadData } from './package.js';

export async function readPayloadData(data: PayloadData): Promise<Buffer> {
  if (data.kind === 'file') return readFile(data.path);
  const found = await readArchiveMembers(data.archive, [data.member]);
  const bytes = found.get(data.member);
  if (bytes === undefined) throw new UserError('INPUT_INVALID', `${data.archive}: member ${data.member} is missing`);
  return bytes;
}

/** The named regular-file members of a tar archive (names as `memberName` normalises them). */
export async function readArchiveMembers(archive: string, members: Iterable<string>): Promise<Map<string, Buffer>> {
  const wanted = new Set(members);
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  const input = createReadStream(archive);
  input.on('error', (error: Error) => extract.destroy(error));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const name = memberName(entry.header.name);
      if (!wanted.has(name) || (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file')) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      out.set(name, Buffer.concat(chunks));
      if (out.size === wanted.size) break;
    }
  } finally {
    input.destroy();
  }
  return out;
}

/** `./catalog/INDEX` and `/catalog/INDEX` name `catalog/INDEX`; directories lose their trailing `/`. */
export function memberName(raw: string): string {
  return raw
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}
